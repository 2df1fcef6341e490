"""Canned queries over the analysis tables (merged into :data:`bolyst.stats.schema.QUERIES`)."""

from __future__ import annotations

_TARGET = """target as (
  select number from municipalities where number = :municipality or lower(name) = lower(:municipality)
  union all
  select municipality from municipality_names where lower(name) = lower(:municipality)
  limit 1
)"""

COMPARABLE_QUOTES_SQL = f"""with {_TARGET},
peers as (
  select (select number from target) as municipality, 0 as rank, 0.0 as distance, null as same_kostra_group
  union all
  select comparable, rank, distance, same_kostra_group from comparables
  where municipality = (select number from target)
)
select
  peers.rank,
  m.number,
  m.name,
  round(peers.distance, 2) as distance,
  peers.same_kostra_group,
  m.kostra_group,
  m.population,
  m.population_year,
  m.centrality_class,
  m.landsdel,
  excerpt_places.link_type,
  round(excerpt_places.weight, 4) as weight,
  excerpt_places.reason,
  excerpts.id as excerpt,
  excerpts.text as quote,
  excerpts.citation
from peers
join municipalities m on m.number = peers.municipality
left join excerpt_places on excerpt_places.municipality = m.number
left join excerpts on excerpts.id = excerpt_places.excerpt
order by peers.rank, excerpt_places.weight desc, excerpts.id"""

THEME_CHARACTERISTIC_SQL = """select
  theme_matrix.level,
  theme_matrix.code,
  codes.label_nb as label,
  theme_matrix.theme,
  theme_matrix.dimension,
  theme_matrix.category,
  theme_matrix.n_excerpts,
  theme_matrix.n_coded,
  round(theme_matrix.share, 3) as share,
  round(theme_matrix.expected, 2) as expected,
  theme_matrix.test,
  round(theme_matrix.pval, 4) as pval,
  theme_matrix.warning,
  theme_matrix.quotes_path
from theme_matrix
left join codes on codes.id = theme_matrix.code
where theme_matrix.dimension = :dimension
order by theme_matrix.theme, theme_matrix.level desc, theme_matrix.code, theme_matrix.category"""

THEME_QUOTES_SQL = """select
  excerpts.id as excerpt,
  excerpts.text as quote,
  matrix_codings.code,
  excerpts.speaker_role as role,
  coalesce(places.label, excerpts.place_description) as place,
  excerpts.citation,
  sources.citation as reference
from matrix_codings
join excerpt_characteristics ch on ch.excerpt = matrix_codings.excerpt
join excerpts on excerpts.id = matrix_codings.excerpt
join sources on sources.id = excerpts.source
left join places on places.id = excerpts.place
where matrix_codings.code = :code and ch.dimension = :dimension and ch.category = :category
order by excerpts.id"""

QUERIES: dict[str, dict] = {
    "comparable_quotes": {
        "title": "Comparable municipalities and their quotes / Sammenlignbare kommuner og sitater",
        "description": "A municipality (number such as 3427, or any current, Sámi, Kven or historical name) and its "
                       "ten most similar municipalities (table comparables; why in comparable_contributions), "
                       "with key numbers, SSB's KOSTRA group beside ours, and every quote linked to each of them "
                       "— exactly, by a mention, or through a matching anonymised profile (weight 1/n).",
        "sql": COMPARABLE_QUOTES_SQL,
        "params": ["municipality"],
    },
    "theme_by_characteristic": {
        "title": "Theme × municipality characteristic / Tema etter kommunetype",
        "description": "Matrix coding: for each theme and code, excerpts and the share coded by one dimension "
                       "(centrality_class, landsdel, population_band, speaker_role or source), with the exact "
                       "test and a warning where counts are small. quotes_path opens the quotes of a cell.",
        "sql": THEME_CHARACTERISTIC_SQL,
        "params": ["dimension"],
    },
    "theme_quotes": {
        "title": "Quotes of a matrix cell / Sitater i en celle",
        "description": "The excerpts counted in one cell of theme_matrix: a code or theme (e.g. push), a dimension "
                       "(e.g. landsdel) and a category (e.g. Nord-Norge), with citations.",
        "sql": THEME_QUOTES_SQL,
        "params": ["code", "dimension", "category"],
    },
}
