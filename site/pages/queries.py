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
    #: an aggregate over whole tables (no parameters): run once per database file and kept (Store.memo), so
    #: the home, themes and code pages do not recount the corpus on every request
    whole: bool = False


#: Codings in force, one row per (excerpt, code): every coding a human has not rejected (codings.review_state,
#: see coding/schema.py); ``confirmed`` = a person applied or accepted it (evidence), else it is an unreviewed
#: automatic suggestion (rule, model or llm), counted and shown apart.
def coded(where: str = "") -> str:
    """``CODED``; with ``where`` (a condition on ``codings``) only the codings it keeps are grouped. SQLite does not
    push a sub-select or an OR into the grouped query, so ``coded where excerpt in (…)`` groups every coding first."""
    narrow = f" and {where}" if where else ""
    return f"""
  select excerpt, code, max(review_state = 'confirmed') as confirmed, max(score) as score
  from codings where review_state != 'rejected'{narrow} group by excerpt, code
"""


CODED = coded()
CODED_NEEDS = ("codings.excerpt", "codings.code", "codings.review_state", "codings.score")

#: Every (code, ancestor-or-self) pair, one pass over ``codes`` by their parents: a count per code is then a
#: join on an index, not a LIKE scan of every coding once per code (seconds per page at 10^4 excerpts).
ANCESTORS = """
  anc(code, ancestor) as (
    select id, id from codes
    union all select a.code, k.parent from anc a join codes k on k.id = a.ancestor where k.parent is not null)
"""
#: The code :code and its sub-codes, through ``anc`` (used with an index on codings.code).
SUBTREE = "(select a.code from anc a where a.ancestor = :code)"

#: What every quote on a page shows (templates/_macros.html ``quote``); joins excerpts e, speakers sp, places pl.
QUOTE_COLUMNS = """e.id, e.text, e.kind, e.lang, e.citation, e.speaker_role, sp.label as speaker,
               coalesce(pl.label, e.place_description) as place"""

CORPUS = {
    "corpus_counts": Query("""
        select (select count(*) from sources) as sources, (select count(*) from excerpts) as excerpts,
               (select count(*) from excerpts where kind = 'quote') as quotes,
               (select count(*) from speakers) as speakers, (select count(*) from findings) as findings,
               (select count(*) from places) as places""", ("sources", "excerpts", "findings"), whole=True),
    "sources": Query("""
        select s.id, s.title, s.subtitle, s.citation, s.short, s.licence, s.year, s.publisher,
               s.interview_period, s.language,
               (select count(*) from excerpts e where e.source = s.id) as excerpts,
               (select count(*) from excerpts e where e.source = s.id and e.kind = 'quote') as quotes,
               (select count(*) from findings f where f.source = s.id) as findings,
               (select count(*) from speakers p where p.source = s.id) as speakers
        from sources s order by s.year desc, s.id""", ("sources",), whole=True),
    "source": Query("select * from sources where id = :source", ("sources",)),
    "source_excerpts": Query(f"""
        select {QUOTE_COLUMNS}, e.section, e.page, e.line_start, e.line_end
        from excerpts e left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        where e.source = :source order by e.line_start, e.id""", ("excerpts",)),
    "source_findings": Query("""
        select f.id, f.statement, f.section, f.table_ref, f.population, f.period, f.citation,
               f.line_start, f.line_end
        from findings f where f.source = :source order by f.line_start, f.id""", ("findings",)),
    "source_finding_values": Query("""
        select v.finding, v.value, v.unit, v.label from finding_values v join findings f on f.id = v.finding
        where f.source = :source order by v.finding, v.position""", ("findings", "finding_values")),
    "example_quote": Query(f"""
        select {QUOTE_COLUMNS}
        from excerpts e left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        where e.kind = 'quote' order by length(e.text) > 60 desc, length(e.text), e.id limit 1""",
                           ("excerpts",), whole=True),
    "excerpts_by_role": Query("""
        select speaker_role as label, count(*) as n from excerpts
        group by 1 order by n desc, label""", ("excerpts",), whole=True),
    "excerpts_by_place": Query("""
        select p.label as label, p.id as place, count(*) as n
        from excerpts e left join places p on p.id = e.place group by 1, 2 order by n desc, label""",
                               ("excerpts", "places"), whole=True),
}

#: The key numbers of a municipality page, in this order (ids of the stats stage's ``indicators``); their
#: time series are charted against comparables and the national median. Other indicators are listed below.
KEY_INDICATORS = (
    "population", "net_migration_per_1000", "immigrants_share", "refugee_reason_share", "refugees_settled_per_1000",
    "refugees_living_per_1000", "refugees_moved_in_share", "median_household_income",
)
# The key indicators and the counts of the key rates (their n): net migration, refugees settled, living.
_KEYS = ", ".join(f"'{k}'" for k in KEY_INDICATORS)
_KEYS_AND_COUNTS = (f"(select id from indicators where id in ({_KEYS}) union "
                    f"select numerator from indicators where id in ({_KEYS}) and aggregation = 'rate')")

#: National median per indicator and year over the municipalities with a value (n of them).
MEDIANS_SQL = """
  with ranked as (
    select indicator, year, value,
           row_number() over (partition by indicator, year order by value) as r,
           count(*) over (partition by indicator, year) as n
    from municipality_stats where value is not null
  )
  select indicator, year, avg(value) as median, max(n) as n from ranked
  where r in ((n + 1) / 2, (n + 2) / 2) group by indicator, year order by indicator, year
"""

STATS = {
    "municipalities": Query("""
        select number, name, county_name, landsdel, centrality_class, population, population_year
        from municipalities order by number""", ("municipalities",)),
    "municipality_finder": Query("""
        select n.name, n.municipality as number, m.name as current, n.kind, max(n.valid_to) as valid_to
        from municipality_names n join municipalities m on m.number = n.municipality
        group by n.name, n.municipality, n.kind
        order by n.name, n.kind != 'current', n.municipality""",
                                 ("municipality_names.kind", "municipality_names.valid_to", "municipalities.number")),
    "municipality": Query("""
        select m.*, k.label as kostra_label from municipalities m
        left join kostra_groups k on k.id = m.kostra_group where m.number = :municipality""",
                          ("municipalities", "kostra_groups")),
    "indicators": Query("select * from indicators order by sort_order, id", ("indicators",)),
    "national_medians": Query(MEDIANS_SQL, ("municipality_stats",)),
    "municipality_latest": Query("""
        select s.indicator, s.value, s.unit, s.year, s.source, s.table_id, s.method, s.flag, s.note
        from municipality_stats s
        where s.municipality = :municipality and s.value is not null
          and s.year = (select max(s2.year) from municipality_stats s2 where s2.municipality = s.municipality
                        and s2.indicator = s.indicator and s2.value is not null)""", ("municipality_stats",)),
    "comparables": Query("""
        select c.comparable as number, m.name, c.rank, c.distance, c.same_kostra_group, c.same_landsdel,
               m.landsdel, m.centrality_class, m.population
        from comparables c join municipalities m on m.number = c.comparable
        where c.municipality = :municipality order by c.rank""",
                         ("comparables.rank", "comparables.distance", "comparables.same_kostra_group",
                          "municipalities.number")),
    "peer_series": Query(f"""
        with peers(number) as (
          select :municipality union select comparable from comparables where municipality = :municipality)
        select s.municipality, s.indicator, s.year, s.value
        from peers p cross join municipality_stats s on s.municipality = p.number
        where s.value is not null and s.indicator in {_KEYS_AND_COUNTS}
        order by s.indicator, s.municipality, s.year""",
                         ("municipality_stats", "comparables.comparable", "indicators.numerator")),
    "own_series": Query(f"""
        select municipality, indicator, year, value from municipality_stats
        where value is not null and municipality = :municipality and indicator in {_KEYS_AND_COUNTS}
        order by indicator, year""",
                        ("municipality_stats", "indicators.numerator")),
    "places_linked": Query("""
        select x.municipality as number, m.name, count(distinct x.excerpt) as n,
               count(distinct case when x.link_type = 'exact' then x.excerpt end) as n_exact
        from excerpt_places x join municipalities m on m.number = x.municipality
        where x.link_type in ('exact', 'mention') group by 1 order by n desc, m.name limit 20""",
                           ("excerpt_places.link_type", "municipalities.number"), whole=True),
    "comparable_contributions": Query("""
        select cc.comparable, cc.indicator, coalesce(ci.label, cc.indicator) as label, cc.value,
               cc.comparable_value, cc.contribution, cc.share
        from comparable_contributions cc left join comparison_indicators ci on ci.id = cc.indicator
        where cc.municipality = :municipality order by cc.comparable, cc.share desc, cc.indicator""",
                                      ("comparable_contributions.share", "comparison_indicators.label")),
    "residuals": Query("""
        select r.model, o.outcome, o.description, o.period, o.r2, o.n_obs, r.actual, r.predicted, r.residual,
               r.pi_low, r.pi_high, r.verdict, r.eb_residual, r.eb_sd, r.rank, r.rank_best, r.rank_worst, r.n,
               (select count(*) from model_residuals r2 where r2.model = r.model) as ranked
        from model_residuals r join models o on o.id = r.model
        where r.municipality = :municipality order by r.model""",
                       ("model_residuals.residual", "model_residuals.pi_low", "model_residuals.rank_best",
                        "models.outcome", "models.description", "models.period")),
    "municipality_excerpts": Query(f"""
        select {QUOTE_COLUMNS}, x.relation, x.link_type, x.reason
        from municipality_quotes x join excerpts e on e.id = x.excerpt
        left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        where x.municipality = :municipality
        group by e.id order by x.relation = 'similar', e.source, e.line_start, e.id""",
                                    ("municipality_quotes",)),
}

CODE_NEEDS = ("codes.id", "codes.parent", "codes.label_nb", "codes.label_en", "codes.definition")

CODING = {
    "codes": Query(f"""
        with coded as ({CODED}),
        per as (select k.id, c.excerpt, max(c.confirmed) as confirmed from codes k
                join coded c on c.code = k.id or c.code like k.id || '.%' group by k.id, c.excerpt)
        select k.id, k.parent, k.label_nb, k.label_en, k.definition,
               (select count(*) from per p where p.id = k.id and p.confirmed) as n,
               (select count(*) from per p where p.id = k.id and p.confirmed) as n_human,
               (select count(*) from per p where p.id = k.id and not p.confirmed) as n_unreviewed
        from codes k order by k.position, k.id""", CODE_NEEDS + CODED_NEEDS + ("codes.position",), whole=True),
    "code": Query("select * from codes where id = :code", CODE_NEEDS),
    "themes_for_search": Query("select id as value, label_nb as label from codes where parent is null "
                               "order by position", CODE_NEEDS + ("codes.position",)),
    "code_total": Query(f"""
        with recursive {ANCESTORS},
        per as (select excerpt, max(review_state = 'confirmed') as confirmed from codings
                where review_state != 'rejected' and code in {SUBTREE} group by excerpt)
        select (select count(*) from per where confirmed) as n, (select count(*) from per where not confirmed)
          as n_unreviewed, (select count(*) from excerpts) as total""", CODED_NEEDS + ("codes.parent",)),
    "code_matrix_total": Query("select count(*) as n from matrix_codings where code = :code",
                               ("matrix_codings.code",)),
    "code_matrix": Query("""
        select dimension, category, n_excerpts, n_coded, n_speakers, n_speakers_coded, share, test, statistic,
               pval, qval, warning
        from theme_matrix where code = :code order by dimension, category""",
                         ("theme_matrix.n_coded", "theme_matrix.n_speakers_coded", "theme_matrix.pval",
                          "theme_matrix.warning")),
    "code_quotes": Query(f"""
        with recursive {ANCESTORS},
        mine as (select excerpt, max(review_state = 'confirmed') as confirmed, max(score) as score from codings
                 where review_state != 'rejected' and code in {SUBTREE} group by excerpt)
        select {QUOTE_COLUMNS}, m.confirmed, m.score
        from mine m join excerpts e on e.id = m.excerpt
        left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        where m.confirmed = :confirmed
        order by e.kind = 'quote' desc, m.score desc, length(e.text), e.id
        limit :limit""", CODED_NEEDS + ("codes.parent",)),
    "code_cooccurring": Query(f"""
        with recursive {ANCESTORS},
        mine as (select distinct excerpt from codings where review_state = 'confirmed' and code in {SUBTREE}),
        coded as (select excerpt, code from codings where review_state = 'confirmed'
                  and excerpt in (select excerpt from mine) group by excerpt, code)
        select k.id, k.label_nb, k.label_en, count(distinct c.excerpt) as n
        from coded c join codes k on k.id = c.code
        where c.code not in {SUBTREE} and not (:code like c.code || '.%')
        group by k.id order by n desc, k.id limit 12""", CODE_NEEDS + CODED_NEEDS + ("codes.parent",)),
    "code_rule_patterns": Query("select id, pattern from code_rules where code = :code order by id",
                                ("code_rules.pattern", "code_rules.code")),
    "code_findings": Query("""
        select f.id, f.statement, f.section, f.table_ref, f.population, f.period, f.citation, s.short
        from findings_fts join findings f on f.rowid = findings_fts.rowid join sources s on s.id = f.source
        where findings_fts match :terms order by findings_fts.rank limit 12""", ("findings_fts",)),
}

#: Reliability: the automatic coder ('combined', what `bolyst code` suggests) against the reference coding on
#: the measuring splits, beside two humans against each other (coding/agreement.py).
RELIABILITY_PAIRS = """((coder_a = 'combined' and coder_b = case split when 'heldout' then 'lead-researcher'
                                                              else 'devset-reconciled' end)
  or (coder_a = 'devset-coder-a' and coder_b = 'devset-coder-b')
  or (coder_a = 'lead-researcher' and coder_b = 'second-coder'))"""
RELIABILITY = {
    "reliability_kappa": Query(f"""
        select split, lang, code, coder_a, coder_b, n_units, kappa from agreement_kappa
        where level = 'theme' and split in ('test', 'heldout') and {RELIABILITY_PAIRS}
        order by split = 'heldout', coder_a = 'combined' desc, lang != 'all', lang, code""",
                               ("agreement_kappa.kappa", "agreement_kappa.lang")),
    "reliability_scores": Query("""
        select split, code, coder, n_units, tp, fp, fn, precision, recall, f1 from agreement_scores
        where level = 'theme' and lang = 'all' and auto_coder = 'combined' and split in ('test', 'heldout')
          and coder = case split when 'heldout' then 'lead-researcher' else 'devset-reconciled' end
        order by split = 'heldout', code""", ("agreement_scores.precision", "agreement_scores.lang")),
    "reliability_splits": Query("""
        select coalesce(source_group, 'documents') as material, split, lang, count(*) as excerpts,
               count(distinct substr(excerpt, 1, instr(excerpt, '/') - 1)) as sources
        from excerpt_splits group by 1, 2, 3 order by 1 desc, 2, 3""", ("excerpt_splits.lang",)),
}

#: What every quote shows (templates/_macros.html ``quote``, one partial): its codes from the coding stage's
#: excerpt_codes view (labels, origins, review state) for one excerpt (so SQLite reads only its codings);
#: rejected codes never.
QUOTE = {
    "quote_labels": Query("""
        select excerpt, code, theme, label_nb, label_en, theme_label_nb, theme_label_en, review_state, origins,
               coders, score, evidence, rationale, rules
        from excerpt_codes where excerpt = :excerpt and review_state != 'rejected'
        order by review_state, position""", ("excerpt_codes.review_state", "excerpt_codes.origins")),
    "excerpt": Query(f"""
        select {QUOTE_COLUMNS}, e.source, e.section, e.page, e.line_start, e.line_end, s.title as source_title,
               s.citation as reference
        from excerpts e left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        join sources s on s.id = e.source
        where e.id = :excerpt or replace(e.id, '/', '_') = :excerpt""", ("excerpts", "sources")),
    "excerpt_ids": Query("select id from excerpts order by id", ("excerpts",)),
    "excerpt_codings": Query("""
        select c.code, k.label_nb, k.label_en, c.coder, c.origin, c.review_state, c.status, c.rule, c.span_text,
               c.score, c.rationale, c.note, c.decided, c.decision_file
        from codings c join codes k on k.id = c.code where c.excerpt = :excerpt
        order by c.review_state, k.position, c.origin, c.coder""", ("codings.review_state", "codings.rationale")),
    "excerpt_places_of": Query("""
        select x.municipality as number, m.name, x.link_type, x.reason from excerpt_places x
        join municipalities m on m.number = x.municipality where x.excerpt = :excerpt
        order by x.link_type, m.name""", ("excerpt_places.reason", "municipalities.number")),
}

QUERIES: dict[str, Query] = {**CORPUS, **CODING, **STATS, **RELIABILITY, **QUOTE}

from .queries_methods import METHODS  # noqa: E402  (the methods pages' queries)

QUERIES.update({name: Query(sql, needs) for name, (sql, needs) in METHODS.items()})
