"""Tables of the residual models (stats/models.py) and the columns every residual model shares with the
barometer's tables (stats/schema_barometer.py): fit diagnostics, HC3 terms, the residual with its
interval, the empirical-Bayes estimate and the rank with its interval (stats/regression.py).

Appended to :data:`bolyst.stats.schema.TABLES` (end of that file); written by ``analysis.run_models``.
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table


def fit_columns() -> tuple[C, ...]:
    """What :func:`bolyst.stats.regression.fit` reports about one fit."""
    return (
        C("formula", str, "statsmodels formula (OLS; coefficient standard errors HC3)."),
        C("n_obs", int, "Municipalities in the fit (missing outcome, predictor or size: left out)."),
        C("r2", float, "R²."),
        C("r2_adj", float, "Adjusted R²."),
        C("residual_sd", float, "Standard deviation of the residuals (units of the outcome)."),
        C("cov_type", str, "Covariance of the coefficients: HC3 (robust to unequal variance)."),
        C("breusch_pagan_p", float, "p-value of the Breusch–Pagan test of constant residual variance (small = "
                                    "the variance differs, which the intervals allow for)."),
        C("tau2", float, "τ²: variance of the municipalities' true effects, from residual² = τ² + k / size."),
        C("noise_k", float, "k: noise variance × size (a municipality of size n has noise variance k / n)."),
        C("condition_number", float, "Condition number of the design (collinearity check)."),
        C("n_above", int, "Municipalities whose residual's 95 % interval (residual ± 1.96 residual_se) lies above 0."),
        C("n_below", int, "Municipalities whose interval lies below 0."),
    )


def term_columns() -> tuple[C, ...]:
    return (
        C("coef", float, "Coefficient (units of the outcome per unit of the term)."),
        C("se", float, "HC3 standard error."),
        C("pval", float, "Two-sided p-value (HC3, normal)."),
        C("ci_low", float, "Lower bound of the 95 % confidence interval."),
        C("ci_high", float, "Upper bound of the 95 % confidence interval."),
    )


def residual_columns(size: str, index: str) -> tuple[C, ...]:
    """One municipality's residual with its uncertainty; ``size`` names the count its noise shrinks with."""
    return (
        C("actual", float, "Observed outcome."),
        C("predicted", float, "Outcome the regression predicts from the predictors."),
        C("residual", float, f"actual − predicted: {index}."),
        C("residual_se", float, f"√(k/{size} + var(predicted)): the residual's standard error as an estimate of "
                                f"the municipality's own effect (noise of that {size} plus the fit's uncertainty)."),
        C("pi_low", float, "residual − 1.96 × residual_se."),
        C("pi_high", float, "residual + 1.96 × residual_se."),
        C("verdict", str, "above / below (the interval excludes 0) or not_distinguishable (from the middle)."),
        C("eb_residual", float, f"Empirical-Bayes residual: residual × τ² / (τ² + k/{size})."),
        C("eb_sd", float, "Posterior standard deviation of eb_residual."),
        C("rank", int, "Rank by eb_residual among the municipalities of the fit (1 = highest)."),
        C("rank_best", int, "Best rank within the 95 % posterior interval."),
        C("rank_worst", int, "Worst rank within the 95 % posterior interval."),
        C("residual_rank", int, "Rank by the raw residual (for comparison only)."),
        C("funnel_limit", float, f"1.96 × √(k/{size}): the funnel plot's 95 % control limit for this {size}."),
    )


MODELS = Table(
    "models", "Residual models of municipality outcomes besides the barometer (Telemarksforsking's method: actual − "
              "expected from structural factors), one row per model with its fit and diagnostics "
              "(methods page: /methods/<id>).",
    (
        C("id", str, "Model id."),
        C("outcome", str, "The outcome variable."),
        C("description", str, "What the model asks, its variables, sources, years and exclusions."),
        C("period", str, "The year (or years) the outcome describes."),
        C("size", str, "The count the outcome is a share of (its noise shrinks with it); model_residuals.n."),
        C("min_n", int, "Municipalities with a smaller size are left out."),
        *fit_columns(),
    ),
    pk=("id",), label_column="id",
)

MODEL_TERMS = Table(
    "model_terms", "Coefficients of each model, one row per term (OLS, HC3 standard errors).",
    (
        C("model", str, "The model.", fk="models"),
        C("term", str, "Term of the formula ('Intercept' or a variable)."),
        *term_columns(),
    ),
    pk=("model", "term"), facets=("model",),
)

MODEL_RESIDUALS = Table(
    "model_residuals", "Each municipality's actual value, what its profile predicts, the residual with its 95 % "
                       "interval, the empirical-Bayes estimate and the rank with its interval (the residual plot's "
                       "data: predicted against residual, and n against residual for the funnel).",
    (
        C("model", str, "The model.", fk="models"),
        C("municipality", str, "The municipality.", fk="municipalities.number"),
        *residual_columns("n", "above 0 does better than its profile predicts"),
        C("n", float, "The size: the count behind the outcome (models.size, e.g. refugees living there)."),
    ),
    pk=("model", "municipality"), facets=("model", "verdict"), sort="rank",
)

TABLES = (MODELS, MODEL_TERMS, MODEL_RESIDUALS)
