"""Tables of the stats stage's analyses: place links, profiles, comparables, matrix, reproductions (the
residual models' tables are in ``schema_models.py``, the barometer's in ``schema_barometer.py``).

Declared here and appended to :data:`bolyst.stats.schema.TABLES` / ``QUERIES`` (see the end of that file).
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table

M = "municipalities.number"

PROFILES = Table(
    "profiles", "Anonymised place profiles of excerpts (landsdel × centrality class × population band) resolved "
                "to the set of municipalities matching them at the interview date.",
    (
        C("id", str, "'<place id>@<year>': the profile and the year (1 January) its population band was matched."),
        C("place", str, "The corpus place (kind = profile).", fk="places"),
        C("year", int, "Population year used for the band (first year of the interview period, else the "
                       "source's year; the nearest year with data)."),
        C("n_municipalities", int, "Municipalities matching the profile."),
        C("population", int, "Their population together on 1 January of year."),
    ),
    pk=("id",), label_column="id", facets=("place", "year"),
)

PROFILE_MUNICIPALITIES = Table(
    "profile_municipalities", "The municipalities each profile stands for.",
    (
        C("profile", str, "The profile.", fk="profiles"),
        C("municipality", str, "A municipality matching it.", fk=M),
        C("population", int, "Its population on 1 January of the profile's year (the number the band matched)."),
    ),
    pk=("profile", "municipality"), facets=("profile",),
)

PROFILE_STATS = Table(
    "profile_stats", "Aggregate statistics of each profile's municipalities: every indicator of "
                     "municipality_stats in its latest year with values for the set.",
    (
        C("profile", str, "The profile.", fk="profiles"),
        C("indicator", str, "The indicator.", fk="indicators"),
        C("year", int, "Year of the values aggregated."),
        C("n", int, "Municipalities of the set with a value that year."),
        C("total", float, "Sum over the set (only for counts: indicators with aggregation 'sum')."),
        C("mean", float, "Unweighted mean over the municipalities with a value."),
        C("median", float, "Median over the municipalities with a value."),
        C("min", float, "Smallest value in the set."),
        C("max", float, "Largest value in the set."),
    ),
    pk=("profile", "indicator"), facets=("indicator",),
)

EXCERPT_PLACES = Table(
    "excerpt_places", "Which municipalities each excerpt is linked to, how, and why.",
    (
        C("excerpt", str, "The excerpt.", fk="excerpts"),
        C("municipality", str, "A linked municipality (2024).", fk=M),
        C("link_type", str, "exact (the source names the municipality), mention (a municipality name occurs in "
                            "the text or the place description) or profile (the municipality matches the "
                            "anonymised profile the source gives)."),
        C("weight", float, "1 for one municipality; 1/n when the link is one of n (a profile set, or a name "
                           "several municipalities carry)."),
        C("reason", str, "Why the link was made: the name matched and where, or the profile criteria."),
        C("profile", str, "The profile, for profile links.", fk="profiles"),
    ),
    pk=("excerpt", "municipality", "link_type"), facets=("link_type", "municipality"),
    indexes=(("municipality",), ("profile",)),
)

COMPARISON_INDICATORS = Table(
    "comparison_indicators", "The indicators comparable municipalities are matched on, how each is defined, "
                             "and its mean and standard deviation over the municipalities (for the z-scores).",
    (
        C("id", str, "Indicator id used in comparable_contributions."),
        C("label", str, "Readable label."),
        C("definition", str, "How the value is computed from municipality_stats (indicators, years, sources)."),
        C("n", int, "Municipalities with a value."),
        C("mean", float, "Mean over the municipalities with a value."),
        C("sd", float, "Standard deviation (ddof 0) over them: one unit of z."),
    ),
    pk=("id",), label_column="label",
)

COMPARISON_VALUES = Table(
    "comparison_values", "Each municipality's value and z-score on each comparison indicator.",
    (
        C("municipality", str, "The municipality.", fk=M),
        C("indicator", str, "The comparison indicator.", fk="comparison_indicators"),
        C("value", float, "Its value (text for landsdel)."),
        C("z", float, "(value − mean) / sd; empty for landsdel and missing values."),
    ),
    pk=("municipality", "indicator"), facets=("indicator",),
)

COMPARABLES = Table(
    "comparables", "For each municipality its ten most similar municipalities on the comparison indicators "
                   "(standardised Euclidean distance; see comparable_contributions for why).",
    (
        C("municipality", str, "The municipality.", fk=M),
        C("comparable", str, "A similar municipality.", fk=M),
        C("rank", int, "1 = most similar."),
        C("distance", float, "d = √(Σ contributions); symmetric: d(a, b) = d(b, a)."),
        C("same_kostra_group", int, "1 when both are in the same SSB KOSTRA group (2024), else 0; SSB's own "
                                    "grouping of comparable municipalities, shown beside ours."),
        C("same_landsdel", int, "1 when both are in the same landsdel, else 0."),
    ),
    pk=("municipality", "comparable"), facets=("same_kostra_group", "same_landsdel"), sort="municipality",
)

COMPARABLE_CONTRIBUTIONS = Table(
    "comparable_contributions", "How much each indicator adds to the squared distance between a municipality "
                                "and each of its comparables: the contributions of a pair sum to distance².",
    (
        C("municipality", str, "The municipality.", fk=M),
        C("comparable", str, "The comparable municipality.", fk=M),
        C("indicator", str, "The comparison indicator.", fk="comparison_indicators"),
        C("value", float, "The municipality's value (text for landsdel)."),
        C("comparable_value", float, "The comparable's value (text for landsdel)."),
        C("contribution", float, "(z_a − z_b)², or 2 for a different landsdel, scaled by K / K_ab when some "
                                 "indicators are missing for the pair."),
        C("share", float, "contribution / distance²: the indicator's part of the difference."),
    ),
    pk=("municipality", "comparable", "indicator"), facets=("indicator",),
)

EXCERPT_CHARACTERISTICS = Table(
    "excerpt_characteristics", "One category per excerpt and dimension, from the municipalities the source places "
                               "it in (exact and profile links, not mentions) and from its speaker and source. "
                               "An excerpt nested in another of the same source is left out (the matrix counts "
                               "the outer one).",
    (
        C("excerpt", str, "The excerpt.", fk="excerpts"),
        C("dimension", str, "centrality_class, landsdel, population_band, speaker_role or source."),
        C("category", str, "The excerpt's category; 'unknown' when not stated, 'mixed' when its linked "
                           "municipalities differ."),
    ),
    pk=("excerpt", "dimension"), facets=("dimension", "category"),
)

THEME_MATRIX = Table(
    "theme_matrix", "Matrix coding: excerpts per theme and code by municipality and speaker characteristics, "
                    "with an exact test of whether the share differs between categories (raw p and BH q). "
                    "Nested excerpts are collapsed into the excerpt that contains them.",
    (
        C("code", str, "Code or theme.", fk="codes"),
        C("theme", str, "Its theme.", fk="codes"),
        C("level", str, "theme or code."),
        C("dimension", str, "centrality_class, landsdel, population_band, speaker_role or source."),
        C("category", str, "Category of the dimension ('unknown' / 'mixed' are counted, not tested)."),
        C("n_excerpts", int, "Excerpts in the category."),
        C("n_coded", int, "Of those, excerpts carrying the code (human codings where a human decided on the "
                          "excerpt and code, else automatic ones)."),
        C("share", float, "n_coded / n_excerpts."),
        C("n_speakers", int, "Speakers behind those excerpts (an excerpt without a named speaker counts as one)."),
        C("n_speakers_coded", int, "Of those, speakers with at least one excerpt carrying the code."),
        C("expected", float, "Coded excerpts expected in the category if the share were equal everywhere."),
        C("test", str, "fisher_exact (2 categories) or chi2_monte_carlo (chi-square, p-value from 9 999 random "
                       "tables with the same margins, fixed seed); empty when nothing to test."),
        C("statistic", float, "Odds ratio (Fisher) or chi-square statistic, same for every category of the "
                              "code and dimension."),
        C("pval", float, "Raw p-value of the test (same for every category of the code and dimension); not "
                         "corrected for the number of tests — read qval."),
        C("qval", float, "Benjamini–Hochberg q-value over every test of the matrix (one per code and dimension): "
                         "the false discovery rate at which this difference would be reported."),
        C("min_expected", float, "Smallest expected count of the tested table."),
        C("warning", str, "Set when expected counts are below 5 (the table is sparse, read shares with care) or "
                          "when one source supplies most of a category (the difference may be the source's)."),
        C("quotes_path", str, "Datasette path of the excerpts in this cell (canned query theme_quotes)."),
    ),
    pk=("code", "dimension", "category"), facets=("level", "theme", "dimension"),
)

THEME_MATRIX_SOURCES = Table(
    "theme_matrix_sources", "The theme matrix split by source document: how much of each cell one source "
                            "supplies (the confounding of place and speaker characteristics with the source).",
    (
        C("code", str, "Code or theme.", fk="codes"),
        C("dimension", str, "centrality_class, landsdel, population_band or speaker_role."),
        C("category", str, "Category of the dimension."),
        C("source", str, "Source document.", fk="sources"),
        C("n_excerpts", int, "Excerpts of this source in the category (nested ones collapsed)."),
        C("n_coded", int, "Of those, excerpts carrying the code."),
    ),
    pk=("code", "dimension", "category", "source"), facets=("dimension", "source"),
)

MATRIX_CODINGS = Table(
    "matrix_codings", "The codings the theme matrix counts: which excerpts carry each theme and code (with the "
                      "codes under it), human decisions first, else automatic suggestions; a nested excerpt's codes "
                      "count on the excerpt that contains it.",
    (
        C("code", str, "Theme or code.", fk="codes"),
        C("theme", str, "Its theme.", fk="codes"),
        C("level", str, "theme or code."),
        C("excerpt", str, "An excerpt carrying it.", fk="excerpts"),
    ),
    pk=("code", "excerpt"), facets=("level", "theme"),
)

REPRODUCTIONS = Table(
    "reproductions", "Published tables reproduced from the raw statistics: each published figure beside ours, "
                     "the difference and why.",
    (
        C("table_ref", str, "The published table, e.g. 'Fafo-rapport 2025:14 Tabell 1'."),
        C("row", str, "Row of the table as published."),
        C("measure", str, "persons or percent."),
        C("published", float, "The figure as published (see finding)."),
        C("reproduced", float, "Our figure from the shipped SSB data."),
        C("difference", float, "reproduced − published."),
        C("explanation", str, "How ours was computed, and why a figure differs."),
        C("finding", str, "The published figure in the corpus.", fk="findings"),
    ),
    pk=("table_ref", "row", "measure"), facets=("table_ref", "measure"),
)

TABLES = (PROFILES, PROFILE_MUNICIPALITIES, PROFILE_STATS, EXCERPT_PLACES, COMPARISON_INDICATORS,
          COMPARISON_VALUES, COMPARABLES, COMPARABLE_CONTRIBUTIONS,
          EXCERPT_CHARACTERISTICS, MATRIX_CODINGS, THEME_MATRIX, THEME_MATRIX_SOURCES, REPRODUCTIONS)
