"""Tables of the barometer (stats/barometer/): fits, terms, residuals with intervals, validation figures.

Appended to :data:`bolyst.stats.schema.TABLES` (end of that file); written by ``analysis.run_barometer``.
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table

_MODEL = "barometer (Telemarksforsking's Attraktivitetsbarometer, 2003–2016, 2017 municipalities) or " \
         "flyttestruktur (the substitute after 2016: no job growth, 2024 municipalities — not the barometer)."

BAROMETER_FITS = Table(
    "barometer_fits", "One regression per model and three-year period: fit statistics and diagnostics "
                      "(methods page: /methods/barometer).",
    (
        C("model", str, "Model: " + _MODEL),
        C("period", str, "Three-year period, e.g. '2008–2010' (calendar years, both included)."),
        C("formula", str, "statsmodels formula (OLS; coefficient standard errors HC3)."),
        C("n_obs", int, "Municipalities in the fit (missing outcome or predictor: left out)."),
        C("r2", float, "R²."),
        C("r2_adj", float, "Adjusted R²."),
        C("residual_sd", float, "Standard deviation of the residuals (percentage points)."),
        C("cov_type", str, "Covariance of the coefficients: HC3 (robust to unequal variance)."),
        C("breusch_pagan_p", float, "p-value of the Breusch–Pagan test of constant residual variance (small = "
                                    "the variance differs, which the intervals allow for)."),
        C("tau2", float, "τ²: variance of true attractiveness, from residual² = τ² + k / population."),
        C("noise_k", float, "k: noise variance × population (a municipality of n inhabitants has noise k / n)."),
        C("condition_number", float, "Condition number of the design (collinearity check)."),
        C("n_above", int, "Municipalities whose residual's 95 % interval (residual ± 1.96 residual_se) lies above 0."),
        C("n_below", int, "Municipalities whose interval lies below 0."),
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
        C("coef", float, "Coefficient (percentage points of net migration per unit)."),
        C("se", float, "HC3 standard error."),
        C("pval", float, "Two-sided p-value (HC3, normal)."),
        C("ci_low", float, "Lower bound of the 95 % confidence interval."),
        C("ci_high", float, "Upper bound of the 95 % confidence interval."),
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
        C("actual", float, "Observed outcome (= net_migration_rate)."),
        C("predicted", float, "Outcome the regression predicts from the predictors."),
        C("residual", float, "actual − predicted, percentage points: the attractiveness index."),
        C("residual_se", float, "√(k/population + var(predicted)): the residual's standard error as an estimate of "
                                "attractiveness (noise of a municipality that size plus the fit's uncertainty)."),
        C("pi_low", float, "residual − 1.96 × residual_se."),
        C("pi_high", float, "residual + 1.96 × residual_se."),
        C("verdict", str, "above / below (the interval excludes 0) or not_distinguishable (from the middle)."),
        C("eb_residual", float, "Empirical-Bayes residual: residual × τ² / (τ² + k/population)."),
        C("eb_sd", float, "Posterior standard deviation of eb_residual."),
        C("rank", int, "Rank by eb_residual within the period (1 = most attractive)."),
        C("rank_best", int, "Best rank within the 95 % posterior interval."),
        C("rank_worst", int, "Worst rank within the 95 % posterior interval."),
        C("residual_rank", int, "Rank by the raw residual (as Telemarksforsking ranks; for comparison only)."),
        C("funnel_limit", float, "1.96 × √(k/population): the funnel plot's 95 % control limit for this size."),
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
