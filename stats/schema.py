"""Tables of the stats stage (declared as data; see bolyst.corpus.shape).

Municipality statistics are stored on the 2024 municipal structure (357 municipalities), in long form
(``municipality_stats``), with one row per indicator in ``indicators`` saying where the numbers come from.
Numbers published on then-valid municipality numbers are mapped to 2024 through ``municipality_crosswalk``.
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table, View

from .schema_quotes import MUNICIPALITY_QUOTES

KOSTRA_GROUPS = Table(
    "kostra_groups", "SSB's KOSTRA groups (17 groups of similar municipalities, as used in 2024).",
    (
        C("id", str, "Group code, EKG01 … EKG17."),
        C("label", str, "Group name, e.g. 'KOSTRA-gruppe 7'."),
        C("population_band", str, "Population band of the group's municipalities, as described."),
        C("bound_costs", str, "Level of bound costs per inhabitant (Lave / Middels / Høye)."),
        C("free_income", str, "Level of free disposable income per inhabitant (Lave / Middels / Høye)."),
        C("municipality_count", int, "Number of municipalities in the group, as described."),
        C("source", str, "Where the description comes from."),
    ),
    pk=("id",), label_column="label",
)

MUNICIPALITIES = Table(
    "municipalities", "Norway's 357 municipalities on the 2024 structure, with key attributes. Every number "
                      "here also appears, with year and source, in municipality_stats.",
    (
        C("number", str, "Official municipality number (kommunenummer), 4 characters, e.g. '0301'."),
        C("name", str, "Norwegian name, e.g. 'Kautokeino'."),
        C("official_name", str, "Official SSB name with every language form, e.g. 'Guovdageaidnu - Kautokeino'."),
        C("name_sami", str, "Sámi name form(s) in the official name, where there is one."),
        C("name_kven", str, "Kven name form in the official name, where there is one."),
        C("county", str, "County number (fylkesnummer, 2024), e.g. '46'."),
        C("county_name", str, "County name (2024)."),
        C("landsdel", str, "Part of the country: Østlandet, Sørlandet, Vestlandet, Trøndelag or Nord-Norge "
                           "(traditional five landsdeler, assigned by county; see stats/data/SOURCES.yaml)."),
        C("centrality_class", int, "SSB centrality class 1 (most central) … 6 (least central), SSB's 2020 index "
                                   "carried over to 2024 numbers."),
        C("centrality_index", int, "SSB centrality index 0–1000."),
        C("kostra_group", str, "KOSTRA group (2024).", fk="kostra_groups"),
        C("population", int, "Population 1 January of population_year (SSB 07459)."),
        C("population_year", int, "Year (1 January) of population."),
        C("lat", float, "Latitude of the municipality's mean point (WGS84; approximate, for distances)."),
        C("lon", float, "Longitude of the municipality's mean point (WGS84; approximate, for distances)."),
        C("sami_area", int, "1 if in the administrative area for Sámi language (Kartverket, 2020 numbers), else 0."),
    ),
    pk=("number",), label_column="name", facets=("county_name", "landsdel", "centrality_class", "kostra_group"),
    sort="number",
)

INDICATORS = Table(
    "indicators", "What each statistic in municipality_stats is, and where it comes from (one row per indicator).",
    (
        C("id", str, "Indicator id, e.g. 'population', 'immigrants_share'."),
        C("label_nb", str, "Label in Norwegian."),
        C("label_en", str, "Label in English."),
        C("unit", str, "Unit: persons, percent, NOK, class, index, degrees …"),
        C("source", str, "Publisher: SSB, IMDi or Kartverket."),
        C("table_id", str, "Publisher's table or dataset id, e.g. '07459' or 'IMDi bosatt_anmodede'."),
        C("licence", str, "Licence of the numbers (SSB: CC BY 4.0; IMDi/Kartverket: NLOD)."),
        C("structure", str, "Municipal structure of the published numbers: '2024' or 'then-valid' (mapped to 2024 "
                            "through municipality_crosswalk)."),
        C("aggregation", str, "How values are combined when municipalities merge: sum, ratio (percent, "
                              "recomputed from summed parts), rate (per 1000 of a denominator that may come from "
                              "another table, e.g. population on 1 January), or none (attribute of a 2024 "
                              "municipality)."),
        C("numerator", str, "For a ratio or rate: the indicator counted (its n).", fk="indicators"),
        C("denominator", str, "For a ratio or rate: the indicator it is per.", fk="indicators"),
        C("per", int, "For a ratio or rate: per how many of the denominator (100 for a percent, 1000 for a rate)."),
        C("years", str, "Years covered, e.g. '1986–2026'."),
        C("snapshot", str, "Snapshot file in stats/data/ the numbers are read from."),
        C("upstream", str, "Where the snapshot was derived from (repository, path, commit)."),
        C("description", str, "What the number measures, its reference date and definition."),
        C("caveats", str, "Known limitations, from the source's documentation and our checks."),
        C("sort_order", int, "Display order on profiles."),
    ),
    pk=("id",), label_column="label_en", facets=("source", "unit", "structure"), sort="sort_order",
)

MUNICIPALITY_STATS = Table(
    "municipality_stats", "Municipality statistics in long form on the 2024 structure: one number per "
                          "municipality, indicator and year, with its source.",
    (
        C("municipality", str, "Municipality (2024 number).", fk="municipalities.number"),
        C("indicator", str, "What the number is.", fk="indicators"),
        C("year", int, "Year the number refers to (1 January for population stocks, calendar year for flows)."),
        C("value", float, "The number; empty where the source has none (see flag)."),
        C("unit", str, "Unit of value (copied from indicators)."),
        C("source", str, "Publisher (copied from indicators)."),
        C("table_id", str, "Publisher's table id (copied from indicators)."),
        C("method", str, "published (as published on the 2024 structure), mapped (summed from then-valid "
                         "numbers through municipality_crosswalk) or derived (ratio of mapped numbers)."),
        C("flag", str, "Quality flag, empty when exact: split_unallocated (includes area now in another "
                       "municipality: the whole of a split municipality goes to the part that continues its "
                       "name), no_series (the source has no comparable number; the value is empty, and for "
                       "the other parts of a split municipality never estimated), dot_as_zero (IMDi published "
                       "«.», read as 0; the note quotes why), suppressed (hidden by "
                       "the publisher for small numbers), incomplete (some parts suppressed or missing: a "
                       "lower bound), partial_year, possible_duplicate (the source lists a municipality under its "
                       "old and new number in the same year with the same value; the sum may count it twice)."),
        C("note", str, "Explanation of the flag, naming the municipalities involved."),
    ),
    pk=("municipality", "indicator", "year"), facets=("indicator", "flag", "method"),
    indexes=(("indicator", "year"),),
)

MUNICIPALITY_CROSSWALK = Table(
    "municipality_crosswalk", "Every municipality number valid since 1980 mapped to the 2024 municipality or "
                              "municipalities that now cover its area.",
    (
        C("number", str, "Municipality number as published (then-valid). SSB marks a reused number with a "
                         "'u' suffix, e.g. '0716u' = Våle (−2001), distinct from '0716' = Re (2002–2019)."),
        C("name", str, "Name with validity as SSB labels it, e.g. 'Haram (-2019)'."),
        C("valid_from", int, "First year (1 January) the number is valid; 1980 = valid at least since 1980."),
        C("valid_to", int, "Last year the number is valid (2026 = still valid)."),
        C("municipality", str, "2024 municipality covering (part of) its area.", fk="municipalities.number"),
        C("type", str, "same (unchanged), renumber (new number, same area), merge (whole area went into a larger "
                       "municipality), split (area divided between several 2024 municipalities)."),
        C("weight", float, "Share of the old municipality's numbers allocated to this 2024 municipality: 1 unless "
                           "split; for splits estimated from population (see method)."),
        C("method", str, "ssb_grouping (SSB's 1994–2024 grouping file), klass_chain (KLASS 2013→2020 transitions, "
                         "then SSB's grouping to 2024), population_continuity (code ceased before 1994: receiving "
                         "municipality found from SSB 06913 population changes)."),
        C("note", str, "How the link and weight were determined."),
    ),
    pk=("number", "valid_from", "municipality"), facets=("type", "method"), sort="number",
)

MUNICIPALITY_NAMES = Table(
    "municipality_names", "Names by which a municipality is or was known, for look-up: current Norwegian, Sámi "
                          "and Kven forms, and historical names with the numbers they carried.",
    (
        C("name", str, "The name."),
        C("municipality", str, "2024 municipality the name leads to.", fk="municipalities.number"),
        C("kind", str, "current, official (full SSB name), sami, kven, historical or variant (spelling found "
                       "in a source)."),
        C("number", str, "Municipality number that carried the name (then-valid for historical names)."),
        C("valid_from", int, "First year the name/number pair is valid."),
        C("valid_to", int, "Last year the name/number pair is valid (2026 = still valid)."),
    ),
    pk=("name", "kind", "number", "municipality"), facets=("kind",), sort="name",
)

BUILD_FINGERPRINTS = Table(
    "build_fingerprints", "The stats tables computed from the statistics snapshots and the stats code alone (not "
                          "from the corpus), each with a hash of those inputs: `bolyst build --incremental` copies "
                          "them from the previous database only when hash and row count are unchanged "
                          "(stats/reuse.py).",
    (
        C("name", str, "The table."),
        C("fingerprint", str, "SHA-256 of the inputs: every file in stats/data, the stats code, and the versions of "
                              "Python, SQLite and the libraries that compute the table."),
        C("row_count", int, "The table's rows when it was written."),
    ),
    pk=("name",),
)

TABLES = (KOSTRA_GROUPS, MUNICIPALITIES, INDICATORS, MUNICIPALITY_STATS, MUNICIPALITY_CROSSWALK,
          MUNICIPALITY_NAMES, BUILD_FINGERPRINTS)

#: Indicators shown in the wide view (latest year with a value for each).
WIDE_INDICATORS = (
    "population", "immigrants_share", "refugee_reason_share", "refugees_settled", "refugees_moved_in_share",
    "median_household_income", "net_migration",
)


def _wide_sql() -> str:
    cols = ",\n  ".join(
        f"(select value from municipality_stats s where s.municipality = m.number and s.indicator = '{i}' "
        f"and s.value is not null order by s.year desc limit 1) as {i},\n  "
        f"(select year from municipality_stats s where s.municipality = m.number and s.indicator = '{i}' "
        f"and s.value is not null order by s.year desc limit 1) as {i}_year"
        for i in WIDE_INDICATORS)
    return ("select m.number, m.name, m.county_name, m.landsdel, m.centrality_class, m.centrality_index, "
            f"m.kostra_group,\n  {cols}\nfrom municipalities m order by m.number")


MUNICIPALITY_WIDE = View(
    "municipality_wide", "One row per municipality: attributes and the latest year with a value of key "
                         "indicators (each value's year beside it; sources in indicators).",
    _wide_sql(),
    {"number": "Municipality number (2024).", "name": "Norwegian name.", "county_name": "County (2024).",
     "landsdel": "Part of the country.", "centrality_class": "SSB centrality class 1–6.",
     "centrality_index": "SSB centrality index 0–1000.", "kostra_group": "KOSTRA group (2024).",
     **{c: f"Latest value of indicator '{i}' (see indicators)." if c == i else f"Year of {i}."
        for i in WIDE_INDICATORS for c in (i, f"{i}_year")}},
)

VIEWS: tuple[View, ...] = (MUNICIPALITY_WIDE, MUNICIPALITY_QUOTES)

PROFILE_SQL = """\
with matches as (
  select number as municipality, 0 as rank from municipalities where number = :municipality
  union
  select municipality, case kind when 'historical' then 2 else 1 end from municipality_names
  where lower(name) = lower(:municipality)
),
best as (select distinct municipality from matches where rank = (select min(rank) from matches)),
target as (select municipality from best where (select count(*) from best) = 1)
select m.number as municipality, m.name, i.label_en as indicator, i.label_nb as indikator, s.value, s.unit,
  s.year, s.source, s.table_id, s.flag, s.note, s.indicator as indicator_id
from municipality_stats s
join indicators i on i.id = s.indicator
join municipalities m on m.number = s.municipality
where s.municipality = (select municipality from target)
  and s.value is not null
  and s.year = (select max(s2.year) from municipality_stats s2 where s2.municipality = s.municipality
                and s2.indicator = s.indicator and s2.value is not null)
order by i.sort_order"""

#: Datasette canned queries of this stage: name -> {title, description, sql, ...}
QUERIES: dict[str, dict] = {
    "municipality_profile": {
        "title": "Municipality profile / Kommuneprofil",
        "description": "Key numbers for one municipality (number such as 0301, or any current, Sámi, Kven or "
                       "historical name; current names win over historical ones): the latest year of every "
                       "indicator, with its source, table and flag. A name shared by several municipalities "
                       "(Herøy, or split Snillfjord) gives no rows: use the number.",
        "sql": PROFILE_SQL,
        "params": ["municipality"],
    },
}

# Analyses of the stats stage (place links, profiles, comparables, models, matrix coding, reproductions):
# declared in schema_analysis.py and queries_analysis.py, written by analysis.py.
from .queries_analysis import QUERIES as _ANALYSIS_QUERIES  # noqa: E402
from .schema_analysis import TABLES as _ANALYSIS_TABLES  # noqa: E402

from .schema_barometer import TABLES as _BAROMETER_TABLES  # noqa: E402
from .schema_models import TABLES as _MODEL_TABLES  # noqa: E402
from .schema_rates import TABLES as _RATE_TABLES  # noqa: E402

TABLES = TABLES + _ANALYSIS_TABLES + _MODEL_TABLES + _BAROMETER_TABLES + _RATE_TABLES
QUERIES.update(_ANALYSIS_QUERIES)
