"""The key numbers an evidence export holds: the latest value of each key indicator for the municipalities
in scope (or those the quotes name), with year and source."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from bolyst.site.pages.i18n import N_, translate
from bolyst.site.pages.queries import KEY_INDICATORS  # the municipality page's, in its order

from .sql import has, json_list

NAMED_LINKS = "('exact', 'mention')"  # excerpt_places links where the source names the municipality
MAX_MUNICIPALITIES = 30


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



def numbers(db: sqlite_utils.Database, scope: list[tuple[str, str, str]], quotes: list,
             notes: list[str], lang: str = "nb") -> list[Number]:
    no_stats = translate(lang, N_("Ingen kommunestatistikk i databasen ennå (kjør `bolyst build`)."))
    if not has(db, "municipality_stats", "indicators", "municipalities"):
        notes.append(no_stats)
        return []
    if not scope and has(db, "excerpt_places"):
        ids = [q.excerpt for q in quotes]
        named = {r["municipality"]: r["name"] for r in db.query(
            f"select distinct ep.municipality, m.name from excerpt_places ep join municipalities m on m.number = "
            f"ep.municipality where ep.link_type in {NAMED_LINKS} and ep.excerpt in "
            f"(select value from json_each(:ids)) order by ep.municipality", {"ids": json_list(ids)})}
        scope = [(n, name, "named in the quotes") for n, name in named.items()]
    if not db.execute("select 1 from municipality_stats limit 1").fetchone():
        notes.append(no_stats)
        return []
    if len(scope) > MAX_MUNICIPALITIES:
        notes.append(translate(lang, N_("Nøkkeltall vises for de første %(max)s av %(n)s kommuner."),
                               max=MAX_MUNICIPALITIES, n=len(scope)))
        scope = scope[:MAX_MUNICIPALITIES]
    out = []
    for number, name, relation in scope:
        for r in db.query(
                f"select s.indicator, i.label_{'en' if lang == 'en' else 'nb'} as label, s.value, s.unit, s.year, s.source, s.table_id, s.flag "
                "from municipality_stats s join indicators i on i.id = s.indicator "
                "where s.municipality = :n and s.value is not null and s.indicator in "
                "(select value from json_each(:ids)) and s.year = (select max(t.year) from municipality_stats t "
                "where t.municipality = s.municipality and t.indicator = s.indicator and t.value is not null)",
                {"n": number, "ids": json_list(list(KEY_INDICATORS))}):
            out.append(Number(number, name, relation, r["indicator"], r["label"], r["value"], r["unit"],
                              r["year"], r["source"], r["table_id"], r["flag"]))
    order = {k: i for i, k in enumerate(KEY_INDICATORS)}
    return sorted(out, key=lambda n: ([s[0] for s in scope].index(n.municipality), order[n.indicator]))


