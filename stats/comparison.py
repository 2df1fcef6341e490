"""``bolyst compare``: a municipality, its comparable municipalities, their key numbers and their quotes.

Reads only the built database (tables municipalities, comparables, comparable_contributions,
excerpt_places, excerpts); the name or number is resolved with :func:`bolyst.stats.names.lookup`, which
raises ``UnknownMunicipality`` with the closest names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from bolyst.corpus.errors import StatsDataError

from .names import lookup


@dataclass(frozen=True)
class Peer:
    rank: int  # 0 = the municipality asked for
    number: str
    name: str
    distance: float | None
    same_kostra_group: int | None
    kostra_group: str | None
    population: int | None
    population_year: int | None
    centrality_class: int | None
    landsdel: str | None
    main_differences: tuple[tuple[str, float], ...]  # (indicator, share of d²), largest first
    values: dict[str, float]  # comparison indicator → value (comparison_values)


@dataclass(frozen=True)
class Quote:
    excerpt: str
    text: str
    citation: str
    links: tuple[tuple[str, str, str], ...]  # (municipality name, link_type, reason)
    relation: str = "here"  # here (the source names it) or similar (same profile), as on its page


@dataclass(frozen=True)
class Comparison:
    peers: tuple[Peer, ...]
    quotes: tuple[Quote, ...]


_PEERS = """select p.rank, m.number, m.name, p.distance, p.same_kostra_group, m.kostra_group, m.population,
  m.population_year, m.centrality_class, m.landsdel
from (select :n as municipality, 0 as rank, null as distance, null as same_kostra_group
      union all select comparable, rank, distance, same_kostra_group from comparables where municipality = :n) p
join municipalities m on m.number = p.municipality order by p.rank"""

_SHARES = """select comparable, indicator, share from comparable_contributions
where municipality = :n and share > 0 order by comparable, share desc"""

#: The municipality's quotes from the view its page and its export read (stats/schema_quotes.py), in the page's order.
_QUOTES = """select e.id, e.text, e.citation, m.name, q.link_type, q.reason, q.relation
from municipality_quotes q join excerpts e on e.id = q.excerpt join municipalities m on m.number = q.municipality
where q.municipality = :n
order by q.relation = 'similar', e.source, e.line_start, e.id"""


#: ``within`` choices: restrict the comparables to the same KOSTRA group or the same centrality class.
WITHIN = {"kostra": "kostra_group", "centrality": "centrality_class"}
_INFO = ("number", "name", "kostra_group", "population", "population_year", "centrality_class", "landsdel")


def _restricted(db: sqlite_utils.Database, number: str, k: int, within: str) -> list[dict]:
    """The ``k`` nearest within the same group, from the stored z-scores (comparison_values)."""
    import pandas as pd

    from .compare import nearest
    from .features import WEIGHTS

    info = pd.DataFrame(list(db.query(f"select {', '.join(_INFO)} from municipalities"))).set_index("number")
    column = WITHIN[within]
    group = info.at[number, column]
    candidates = list(info.index[info[column] == group]) if group is not None else []
    zl = pd.DataFrame(list(db.query("select municipality, indicator, value, z from comparison_values")))
    z = zl[zl["indicator"] != "landsdel"].pivot(index="municipality", columns="indicator", values="z")
    land = zl[zl["indicator"] == "landsdel"].set_index("municipality")["value"].rename("landsdel")
    rows = [{"rank": 0, "number": number, "distance": None, "same_kostra_group": None, "shares": []}]
    for rank, (other, d, shares) in enumerate(nearest(z, land, number, candidates, k, WEIGHTS), start=1):
        same = info.at[other, "kostra_group"] == info.at[number, "kostra_group"]
        rows.append({"rank": rank, "number": other, "distance": d, "same_kostra_group": int(same), "shares": shares})
    return [{**r, **{c: info.at[r["number"], c] for c in _INFO if c != "number"}} for r in rows]


def compare(db_path: Path, name_or_number: str, k: int = 10, within: str | None = None) -> Comparison:
    """The municipality ``name_or_number`` (number, or any current, Sámi, Kven or historical name), its
    ``k`` most similar municipalities and its quotes (the same set as its page and its export). ``within`` ('kostra' or
    'centrality') keeps only municipalities of the same KOSTRA group or centrality class."""
    number = lookup(name_or_number).number
    if not Path(db_path).exists():
        raise StatsDataError("no database", path=db_path, fix="run `bolyst build` first (or pass --db)")
    db = sqlite_utils.Database(db_path)
    if within:
        rows = _restricted(db, number, k, within)
        shares = {r["number"]: [s for s in r["shares"] if s[1] > 0] for r in rows}
    else:
        rows = [r for r in db.query(_PEERS, {"n": number}) if r["rank"] <= k]
        shares = {}
        for row in db.query(_SHARES, {"n": number}):
            shares.setdefault(row["comparable"], []).append((row["indicator"], row["share"]))
    values: dict[str, dict[str, float]] = {}
    wanted = {r["number"] for r in rows}
    for row in db.query("select municipality, indicator, value from comparison_values where indicator != 'landsdel'"):
        if row["municipality"] in wanted:
            values.setdefault(row["municipality"], {})[row["indicator"]] = row["value"]
    peers = tuple(Peer(**{**{key: r[key] for key in ("rank", "number", "name", "distance", "same_kostra_group",
                                                     "kostra_group", "population", "population_year",
                                                     "centrality_class", "landsdel")},
                          "main_differences": tuple(shares.get(r["number"], [])[:2]),
                          "values": values.get(r["number"], {})})
                  for r in rows)
    quotes: dict[str, dict] = {}
    for r in db.query(_QUOTES, {"n": number}):
        quote = quotes.setdefault(r["id"], {"excerpt": r["id"], "text": r["text"], "citation": r["citation"],
                                            "relation": r["relation"], "links": []})
        quote["links"].append((r["name"], r["link_type"], r["reason"]))
    return Comparison(peers, tuple(Quote(**{**q, "links": tuple(q["links"])}) for q in quotes.values()))
