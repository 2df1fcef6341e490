"""Select the evidence an export holds: quotes by filter, their codes and themes, references and numbers.

Reads only SQLite. A filter that names something the database does not have (a code, a municipality, a
role) is an :class:`ExportError` / :class:`UnknownMunicipality` with the fix; a filter whose tables are not
built yet (municipality statistics) says so instead of exporting nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from bolyst.corpus.errors import ExportError, UnknownMunicipality
from bolyst.corpus.records import ROLES

from .filters import Filters

#: Key indicators in the numbers table (ids of the stats stage's indicators table), in this order.
KEY_INDICATORS = ("population", "immigrants_share", "refugee_reason_share", "refugees_settled",
                  "refugees_moved_in_share", "median_household_income", "net_migration")
NAMED_LINKS = "('exact', 'mention')"  # excerpt_places links where the source names the municipality
MAX_MUNICIPALITIES = 30
EFFECTIVE = "status != 'rejected' and origin != 'model'"  # codings a human has not turned down (not the model's)


@dataclass(frozen=True)
class Quote:
    excerpt: str
    text: str
    kind: str
    speaker: str | None
    role: str | None
    place: str | None
    source: str
    citation: str
    codes: tuple[tuple[str, str], ...] = ()  # (code id, label)
    themes: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()  # names of municipalities the source names


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    definition: str | None
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Number:
    municipality: str
    name: str
    relation: str  # selected, comparable (rank n), named in quotes
    indicator: str
    label: str
    value: float
    unit: str | None
    year: int
    source: str | None
    table_id: str | None
    flag: str | None


@dataclass(frozen=True)
class Reference:
    source: str
    short: str
    citation: str


@dataclass(frozen=True)
class Evidence:
    filters: dict[str, Any]
    description: tuple[str, ...]  # each filter in words
    exported: str
    built: str | None
    quotes: tuple[Quote, ...]
    themes: tuple[Theme, ...]
    uncoded: tuple[Quote, ...]
    numbers: tuple[Number, ...]
    references: tuple[Reference, ...]
    notes: tuple[str, ...] = ()


def _has(db: sqlite_utils.Database, *tables: str) -> bool:
    names = set(db.table_names()) | set(db.view_names())
    return all(t in names for t in tables)


def resolve_municipality(db: sqlite_utils.Database, wanted: str) -> tuple[str, str]:
    """(number, name) of a municipality given by number or any of its names."""
    if not _has(db, "municipalities"):
        raise ExportError("the database has no municipality statistics yet", fix="run `bolyst build`")
    rows = list(db.query("select number, name from municipalities where number = :m or lower(name) = lower(:m)",
                         {"m": wanted}))
    if not rows and _has(db, "municipality_names"):
        rows = list(db.query("select m.number, m.name from municipality_names n join municipalities m "
                             "on m.number = n.municipality where lower(n.name) = lower(:m) order by m.number",
                             {"m": wanted}))
    if not rows:
        names = [r["name"] for r in db.query("select name from municipalities")]
        close = difflib.get_close_matches(wanted, names, n=3)
        raise UnknownMunicipality(f"no municipality {wanted!r}", where="filter municipality",
                                  fix=f"did you mean {', '.join(close)}?" if close
                                  else "give a 2024 municipality number (e.g. 0301) or name")
    return rows[0]["number"], rows[0]["name"]


def _scope(db: sqlite_utils.Database, filters: Filters) -> list[tuple[str, str, str]]:
    """(number, name, relation) of the selected municipality and, if asked, its comparables."""
    if not filters.municipality:
        return []
    number, name = resolve_municipality(db, filters.municipality)
    scope = [(number, name, "selected")]
    if filters.comparables:
        if not _has(db, "comparables"):
            raise ExportError("the database has no comparable municipalities yet", fix="run `bolyst build`")
        scope += [(r["comparable"], r["name"], f"comparable (rank {r['rank']})") for r in db.query(
            "select c.comparable, m.name, c.rank from comparables c join municipalities m on m.number = c.comparable "
            "where c.municipality = :n order by c.rank", {"n": number})]
    return scope


def _check(db: sqlite_utils.Database, filters: Filters) -> None:
    if filters.comparables and not filters.municipality:
        raise ExportError("comparables without a municipality", where="filter comparables",
                          fix="give the municipality whose comparable municipalities to include")
    if filters.code:
        if not _has(db, "codes", "codings"):
            raise ExportError("the database has no codings yet", fix="run `bolyst build`")
        if not db.execute("select 1 from codes where id = ?", [filters.code]).fetchone():
            themes = ", ".join(r[0] for r in db.execute("select id from codes where parent is null order by position"))
            raise ExportError(f"no code {filters.code!r}", where="filter theme/code", fix=f"themes: {themes}")
    if filters.role and filters.role not in ROLES:
        raise ExportError(f"no speaker role {filters.role!r}", where="filter role", fix=f"use one of: {', '.join(ROLES)}")
    if filters.source and not db.execute("select 1 from sources where id = ?", [filters.source]).fetchone():
        ids = ", ".join(r[0] for r in db.execute("select id from sources order by id"))
        raise ExportError(f"no source {filters.source!r}", where="filter source", fix=f"sources: {ids}")
    if (filters.landsdel or filters.centrality) and not _has(db, "excerpt_places", "municipalities"):
        raise ExportError("the database has no place links yet", fix="run `bolyst build`")


def _where(filters: Filters, scope: list[tuple[str, str, str]]) -> tuple[str, dict[str, Any]]:
    clauses, params = ["1"], {}
    if filters.code:
        clauses.append(f"e.id in (select excerpt from codings where {EFFECTIVE} "
                       "and (code = :code or code like :code || '.%'))")
        params["code"] = filters.code
    if scope:
        marks = ", ".join(f":m{i}" for i in range(len(scope)))
        # the view the municipality's page and `bolyst compare` read: one answer to one question
        clauses.append(f"e.id in (select excerpt from municipality_quotes where municipality in ({marks}))")
        params.update({f"m{i}": s[0] for i, s in enumerate(scope)})
    linked = (f"e.id in (select ep.excerpt from excerpt_places ep join municipalities m on m.number = ep.municipality "
              f"where ep.link_type in {NAMED_LINKS} and ")
    if filters.landsdel:
        clauses.append(f"(lower(e.landsdel) = lower(:landsdel) or {linked}lower(m.landsdel) = lower(:landsdel)))")
        params["landsdel"] = filters.landsdel
    if filters.centrality:
        clauses.append(f"(e.place in (select id from places where centrality = :centrality) or "
                       f"{linked}m.centrality_class = :centrality))")
        params["centrality"] = filters.centrality
    for key, column in (("role", "speaker_role"), ("source", "source")):
        if getattr(filters, key):
            clauses.append(f"e.{column} = :{key}")
            params[key] = getattr(filters, key)
    return " and ".join(clauses), params


def _quotes(db: sqlite_utils.Database, where: str, params: dict[str, Any]) -> list[Quote]:
    rows = list(db.query(
        "select e.id, e.text, e.kind, sp.label as speaker, e.speaker_role as role, "
        "coalesce(pl.label, e.place_description) as place, e.source, e.citation from excerpts e "
        "left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place "
        f"where {where} order by e.source, e.line_start, e.id", params))
    codes: dict[str, list[tuple[str, str, str]]] = {}
    if _has(db, "codings", "codes"):
        for r in db.query(f"select c.excerpt, c.code, c.theme, k.label_nb from codings c join codes k on k.id = c.code "
                          f"where c.{EFFECTIVE} group by c.excerpt, c.code order by k.position"):
            codes.setdefault(r["excerpt"], []).append((r["code"], r["label_nb"], r["theme"]))
    places: dict[str, list[str]] = {}
    if _has(db, "excerpt_places", "municipalities"):
        for r in db.query(f"select distinct ep.excerpt, m.name from excerpt_places ep join municipalities m "
                          f"on m.number = ep.municipality where ep.link_type in {NAMED_LINKS} order by m.name"):
            places.setdefault(r["excerpt"], []).append(r["name"])
    return [Quote(excerpt=r["id"], text=r["text"], kind=r["kind"], speaker=r["speaker"], role=r["role"],
                  place=r["place"], source=r["source"], citation=r["citation"],
                  codes=tuple((c, label) for c, label, _ in codes.get(r["id"], [])),
                  themes=tuple(dict.fromkeys(t for _, _, t in codes.get(r["id"], []))),
                  municipalities=tuple(places.get(r["id"], []))) for r in rows]


def _themes(db: sqlite_utils.Database, quotes: list[Quote], code: str | None) -> list[Theme]:
    if not _has(db, "codes"):
        return []
    rows = db.query("select id, label_nb, definition, theme from codes where parent is null order by position")
    wanted = None
    if code:
        wanted = db.execute("select theme from codes where id = ?", [code]).fetchone()[0]
    in_code = (lambda q: any(c == code or c.startswith(code + ".") for c, _ in q.codes)) if code else (lambda q: True)
    return [Theme(r["id"], r["label_nb"], r["definition"],
                  tuple(q for q in quotes if r["id"] in q.themes and in_code(q)))
            for r in rows if wanted is None or r["id"] == wanted]


def _numbers(db: sqlite_utils.Database, scope: list[tuple[str, str, str]], quotes: list[Quote],
             notes: list[str]) -> list[Number]:
    if not _has(db, "municipality_stats", "indicators", "municipalities"):
        notes.append("No municipality statistics in this database yet (run `bolyst build`).")
        return []
    if not scope and _has(db, "excerpt_places"):
        ids = [q.excerpt for q in quotes]
        named = {r["municipality"]: r["name"] for r in db.query(
            f"select distinct ep.municipality, m.name from excerpt_places ep join municipalities m on m.number = "
            f"ep.municipality where ep.link_type in {NAMED_LINKS} and ep.excerpt in "
            f"(select value from json_each(:ids)) order by ep.municipality", {"ids": _json(ids)})}
        scope = [(n, name, "named in the quotes") for n, name in named.items()]
    if not db.execute("select 1 from municipality_stats limit 1").fetchone():
        notes.append("No municipality statistics in this database yet (run `bolyst build`).")
        return []
    if len(scope) > MAX_MUNICIPALITIES:
        notes.append(f"Key numbers are shown for the first {MAX_MUNICIPALITIES} of {len(scope)} municipalities.")
        scope = scope[:MAX_MUNICIPALITIES]
    out = []
    for number, name, relation in scope:
        for r in db.query(
                "select s.indicator, i.label_en, s.value, s.unit, s.year, s.source, s.table_id, s.flag "
                "from municipality_stats s join indicators i on i.id = s.indicator "
                "where s.municipality = :n and s.value is not null and s.indicator in "
                "(select value from json_each(:ids)) and s.year = (select max(t.year) from municipality_stats t "
                "where t.municipality = s.municipality and t.indicator = s.indicator and t.value is not null)",
                {"n": number, "ids": _json(list(KEY_INDICATORS))}):
            out.append(Number(number, name, relation, r["indicator"], r["label_en"], r["value"], r["unit"],
                              r["year"], r["source"], r["table_id"], r["flag"]))
    order = {k: i for i, k in enumerate(KEY_INDICATORS)}
    return sorted(out, key=lambda n: ([s[0] for s in scope].index(n.municipality), order[n.indicator]))


def _json(values: list[str]) -> str:
    import json

    return json.dumps(values)


def describe(filters: Filters, scope: list[tuple[str, str, str]]) -> tuple[str, ...]:
    """Each filter in words, e.g. 'municipality: Vestvågøy (1860) and its 10 comparable municipalities'."""
    out = []
    if filters.code:
        out.append(f"theme/code: {filters.code} (and its sub-codes)")
    if scope:
        text = f"municipality: {scope[0][1]} ({scope[0][0]})"
        if filters.comparables:
            text += f" and its {len(scope) - 1} comparable municipalities (" + ", ".join(s[1] for s in scope[1:]) + ")"
        out.append(text + "; excerpts whose source names it, and from places with the same profile "
                          "(centrality class and size band)")
    for key, label in (("landsdel", "landsdel"), ("centrality", "centrality class"), ("role", "speaker role"),
                       ("source", "source")):
        if getattr(filters, key):
            out.append(f"{label}: {getattr(filters, key)}")
    return tuple(out) or ("none: every excerpt",)


def select_evidence(db: sqlite_utils.Database, filters: Filters, exported: str, built: str | None) -> Evidence:
    _check(db, filters)
    scope = _scope(db, filters)
    where, params = _where(filters, scope)
    quotes = _quotes(db, where, params)
    notes: list[str] = []
    themes = _themes(db, quotes, filters.code)
    if not _has(db, "codings"):
        notes.append("No codings in this database yet: quotes are listed without themes.")
    uncoded = tuple(q for q in quotes if not q.themes) if not filters.code else ()
    used = sorted({q.source for q in quotes})
    references = [Reference(r["id"], r["short"], r["citation"]) for r in db.query(
        "select id, short, citation from sources where id in (select value from json_each(:ids)) order by short",
        {"ids": _json(used)})]
    return Evidence(filters=filters.as_dict(), description=describe(filters, scope), exported=exported,
                    built=built, quotes=tuple(quotes), themes=tuple(themes), uncoded=uncoded,
                    numbers=tuple(_numbers(db, scope, quotes, notes)), references=tuple(references),
                    notes=tuple(notes))
