"""Every SQL query the pages run, as data: name → ``Query(sql, needs)``.

Pages read only from SQLite through these names (``store.Store.run``); each page links to the query
behind its numbers (``Links.query``), so a reader can rerun it in Datasette. ``needs`` lists the tables
and columns a query reads: when one is not built yet, the page says "no data yet" instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    sql: str
    needs: tuple[str, ...]  # "table" or "table.column"
    title: str = ""


#: Effective codings, one row per (excerpt, code): a human decision wins over automation and a human
#: "reject" removes the code (see coding/FORMAT.md).
CODED = """
  select excerpt, code, max(human) as human, max(score) as score from (
    select excerpt, code, (origin = 'human') as human, score from codings where status != 'rejected'
  ) group by excerpt, code
"""
CODED_NEEDS = ("codings.excerpt", "codings.code", "codings.origin", "codings.score", "codings.status")

#: A code and its sub-codes: ids are dotted ("push.loneliness" is under "push").
UNDER = "(c.code = :code or c.code like :code || '.%')"

#: Per excerpt, the groups a prevalence chart splits by (from its place profile or named municipality).
EXCERPT_GROUPS = """
  select e.id as excerpt, e.speaker_role as role,
         coalesce(e.landsdel, m.landsdel) as landsdel,
         coalesce(p.centrality, m.centrality) as centrality,
         case when coalesce(p.population_max, m.population) is null then null
              when coalesce(p.population_max, m.population) <= 5000 then 'under 5 000'
              when coalesce(p.population_max, m.population) <= 20000 then '5 000–20 000'
              when coalesce(p.population_max, m.population) <= 50000 then '20 000–50 000'
              else 'over 50 000' end as population_band
  from excerpts e
  left join places p on p.id = e.place
  left join (select excerpt, min(municipality) as municipality from excerpt_places
             where match = 'named' group by excerpt) n on n.excerpt = e.id
  left join municipalities m on m.id = n.municipality
"""
GROUP_NEEDS = ("excerpt_places.match", "municipalities.landsdel", "municipalities.centrality",
               "municipalities.population")

CORPUS = {
    "corpus_counts": Query("""
        select (select count(*) from sources) as sources, (select count(*) from excerpts) as excerpts,
               (select count(*) from excerpts where kind = 'quote') as quotes,
               (select count(*) from speakers) as speakers, (select count(*) from findings) as findings,
               (select count(*) from places) as places""", ("sources", "excerpts", "findings")),
    "sources": Query("""
        select s.id, s.title, s.subtitle, s.citation, s.short, s.licence, s.year, s.publisher,
               s.interview_period, s.language,
               (select count(*) from excerpts e where e.source = s.id) as excerpts,
               (select count(*) from excerpts e where e.source = s.id and e.kind = 'quote') as quotes,
               (select count(*) from findings f where f.source = s.id) as findings,
               (select count(*) from speakers p where p.source = s.id) as speakers
        from sources s order by s.year desc, s.id""", ("sources",)),
    "source": Query("select * from sources where id = :source", ("sources",)),
    "source_excerpts": Query("""
        select e.id, e.text, e.kind, e.section, e.page, e.line_start, e.line_end, e.citation,
               e.speaker_role, sp.label as speaker, coalesce(pl.label, e.place_description) as place
        from excerpts e left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        where e.source = :source order by e.line_start, e.id""", ("excerpts",)),
    "source_findings": Query("""
        select f.id, f.statement, f.section, f.table_ref, f.population, f.period, f.citation,
               f.line_start, f.line_end,
               (select group_concat(v.label || ': ' || v.value || ' ' || v.unit, '; ')
                  from (select * from finding_values where finding = f.id order by position) v) as vals
        from findings f where f.source = :source order by f.line_start, f.id""", ("findings", "finding_values")),
    "excerpts_by_role": Query("""
        select coalesce(speaker_role, 'ukjent') as label, count(*) as n from excerpts
        group by 1 order by n desc, label""", ("excerpts",)),
    "excerpts_by_place": Query("""
        select coalesce(p.label, 'ikke oppgitt / not stated') as label, p.id as place, count(*) as n
        from excerpts e left join places p on p.id = e.place group by 1, 2 order by n desc, label""",
                               ("excerpts", "places")),
}
