"""Tables of the barometer (stats/barometer/): fits, terms, residuals with intervals, validation figures.
The columns every residual model has are declared once in ``schema_models.py``.

Appended to :data:`bolyst.stats.schema.TABLES` (end of that file); written by ``analysis.run_barometer``.
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table

from .schema_models import fit_columns, residual_columns, term_columns

_MODEL = "barometer (Telemarksforsking's Attraktivitetsbarometer, 2003–2016, 2017 municipalities) or " \
         "flyttestruktur (the substitute after 2016: no job growth, 2024 municipalities — not the barometer)."

BAROMETER_FITS = Table(
    "barometer_fits", "One regression per model and three-year period: fit statistics and diagnostics "
                      "(methods page: /methods/barometer).",
    (
        C("model", str, "Model: " + _MODEL),
        C("period", str, "Three-year period, e.g. '2008–2010' (calendar years, both included)."),
        *fit_columns(),
    ),
    pk=("model", "period"), facets=("model",),
)

BAROMETER_TERMS = Table(
    "barometer_terms", "Coefficients per model, period and term.",
    (
        C("model", str, "Model: " + _MODEL),
        C("period", str, "Three-year period."),
        C("term", str, "Intercept, job_growth (own private job growth, %), neighbour_job_growth (municipalities "
                       "within 40 km, %), log_population (ln inhabitants 1 Jan of the first year), "
                       "centrality_index (SSB, standing in for labour-market integration)."),
        *term_columns(),
    ),
    pk=("model", "period", "term"), facets=("model", "period", "term"),
)

BAROMETER_RESIDUALS = Table(
    "barometer_residuals", "Each municipality's net migration, what its jobs and structure predict, the residual "
                           "(the attractiveness index) with its interval, the empirical-Bayes estimate and the rank "
                           "with its interval, plus the decomposition of population change.",
    (
        C("model", str, "Model: " + _MODEL),
        C("period", str, "Three-year period."),
        C("unit", str, "Municipality number of the model's structure (2017 for barometer, 2024 for flyttestruktur)."),
        C("unit_name", str, "Its name in that structure."),
        C("municipality", str, "The 2024 municipality the unit lies in (the first, for a unit later split).",
          fk="municipalities.number"),
        C("population", float, "Inhabitants on 1 January of the first year (SSB 06913)."),
        C("population_start", float, "Same as population (kept with the decomposition)."),
        C("net_migration", float, "Net migration incl. immigration over the period, persons (SSB 06913)."),
        C("natural_increase", float, "Births − deaths over the period, persons (SSB 06913)."),
        C("net_migration_rate", float, "Outcome: net migration incl. immigration, sum of the three annual values "
                                       "per 100 inhabitants on 1 January of each year."),
        C("natural_increase_rate", float, "Births − deaths the same way (decomposition; not in the model)."),
        C("job_growth", float, "Private-sector job growth by place of work over the period, % (empty after 2016)."),
        C("neighbour_job_growth", float, "The same for municipalities within 40 km, % (empty after 2016)."),
        C("log_population", float, "ln(population)."),
        C("centrality_index", float, "SSB centrality index (2020-based; the substitute for labour-market integration)."),
        *residual_columns("population", "percentage points, the attractiveness index"),
    ),
    pk=("model", "period", "unit"), facets=("model", "period", "verdict"), sort="rank",
)

BAROMETER_VALIDATION = Table(
    "barometer_validation", "Agreement of the barometer's residuals with Telemarksforsking's own (summed "
                            "bostedsattraktivitet), per period; only these figures are shipped, not their table.",
    (
        C("period", str, "Three-year period."),
        C("metric", str, "n, pearson, spearman, top20_overlap, bottom20_overlap, or seed_rank:<2017 number> "
                         "(a municipality the seed names for 2008–2010)."),
        C("value", float, "The figure."),
        C("detail", str, "What it measures; for seed_rank what the seed says."),
    ),
    pk=("period", "metric"), facets=("metric",),
)

TABLES = (BAROMETER_FITS, BAROMETER_TERMS, BAROMETER_RESIDUALS, BAROMETER_VALIDATION)
