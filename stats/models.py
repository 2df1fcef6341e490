"""Regression models as tidy tables: Telemarksforsking's attractiveness method (actual − expected).

Telemarksforsking's Attraktivitetsbarometer (seed 003, section 1 «Hvordan måle bostedsattraktivitet?»)
regresses net migration on job growth; a municipality's attractiveness is the vertical distance between
its actual value and the value the regression line predicts («avstanden mellom den faktiske og den
forventede nettoflyttingen gitt arbeidsplassveksten»). :func:`attractiveness` applies the same idea to
any outcome and structural predictors: OLS, then each municipality's residual with the 95 % prediction
interval, ranked. The model specifications Bolyst publishes are in :data:`MODELS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

TERM_COLUMNS = ["model", "term", "coef", "se", "pval", "ci_low", "ci_high", "n_obs", "formula", "r2"]
RESIDUAL_COLUMNS = ["model", "municipality", "actual", "predicted", "residual", "ci_low", "ci_high",
                    "rank", "n"]


@dataclass(frozen=True)
class ModelSpec:
    """One published model: outcome ~ predictors on the municipalities with at least ``min_n`` cases."""

    id: str
    outcome: str
    predictors: tuple[str, ...]
    description: str
    n_column: str | None = None  # the count the outcome is a share of (reported as n)
    min_n: int = 0

    @property
    def formula(self) -> str:
        return f"{self.outcome} ~ {' + '.join(self.predictors)}"


def attractiveness(data: pd.DataFrame, spec: ModelSpec, alpha: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit ``spec`` by OLS and rank municipalities by actual − predicted.

    Model: ``spec.formula`` by ordinary least squares (statsmodels), one observation per municipality
    (``data`` indexed by 2024 municipality number). Missing values: a municipality missing the outcome,
    any predictor, or with fewer than ``spec.min_n`` cases in ``spec.n_column`` is left out (listwise
    deletion); ``n_obs`` says how many remain. Returns ``(terms, residuals)``:

    - terms: one row per coefficient — coef, standard error, p-value, ``1 − alpha`` confidence interval,
      n_obs, formula and R²;
    - residuals: one row per municipality — actual, predicted, residual = actual − predicted, and the
      residual's ``1 − alpha`` prediction interval (actual minus the prediction interval of a new
      observation with the municipality's predictors: it excludes 0 when the municipality lies outside
      what its profile predicts), rank (1 = largest positive residual) and n (the count behind the share).
    """
    columns = [spec.outcome, *_variables(spec.predictors)] + ([spec.n_column] if spec.n_column else [])
    frame = data[list(dict.fromkeys(columns))].dropna()
    if spec.n_column:
        frame = frame[frame[spec.n_column] >= spec.min_n]
    frame = frame.sort_index()
    fit = smf.ols(spec.formula, frame).fit()
    conf = fit.conf_int(alpha=alpha)
    terms = pd.DataFrame({
        "model": spec.id, "term": fit.params.index, "coef": fit.params.to_numpy(), "se": fit.bse.to_numpy(),
        "pval": fit.pvalues.to_numpy(), "ci_low": conf[0].to_numpy(), "ci_high": conf[1].to_numpy(),
        "n_obs": int(fit.nobs), "formula": spec.formula, "r2": fit.rsquared})
    pred = fit.get_prediction(frame).summary_frame(alpha=alpha)
    actual = frame[spec.outcome].to_numpy()
    residuals = pd.DataFrame({
        "model": spec.id, "municipality": frame.index.to_numpy(), "actual": actual,
        "predicted": pred["mean"].to_numpy(), "residual": actual - pred["mean"].to_numpy(),
        "ci_low": actual - pred["obs_ci_upper"].to_numpy(), "ci_high": actual - pred["obs_ci_lower"].to_numpy(),
        "n": frame[spec.n_column].to_numpy() if spec.n_column else np.nan})
    order = residuals.sort_values(["residual", "municipality"], ascending=[False, True]).index
    residuals.loc[order, "rank"] = np.arange(1, len(order) + 1)
    residuals["rank"] = residuals["rank"].astype(int)
    return terms[TERM_COLUMNS], residuals[RESIDUAL_COLUMNS]


def _variables(predictors: tuple[str, ...]) -> list[str]:
    """Column names inside formula terms: 'np.log(population)' → 'population', 'C(landsdel)' → 'landsdel'."""
    out = []
    for term in predictors:
        inner = term.split("(")[-1].rstrip(")") if "(" in term else term
        out.append(inner.split(",")[0].strip())
    return out


#: The models Bolyst publishes (variables from :func:`bolyst.stats.features.model_frame`). Net migration is
#: modelled by the barometer (stats/barometer/: job growth per three-year period, 2003–2016) and, after
#: 2016, by its named substitute; the earlier one-year model on the 2017 job level is withdrawn. The
#: «retention index» is withdrawn too: its numerator (refugees living in their first municipality with 0–4
#: years in Norway, a stock that includes family reunified later) and its denominator (refugees settled
#: 2017–2021) are different cohorts, and no shipped table follows a settlement cohort over time.
MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "refugee_secondary_in", "moved_in_share", ("centrality_index", "np.log(population)"),
        "Which municipalities attract refugees settled elsewhere more than their centrality and size predict. "
        "Outcome: refugees who moved here as % of refugees living here, 1 Jan 2022 (IMDi). Municipalities "
        "with fewer than 20 refugees living there are left out.",
        n_column="refugees_living", min_n=20),
)
