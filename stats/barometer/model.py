"""The period regressions: residual = attractiveness, with intervals, shrinkage and ranks with uncertainty.

Model (one fit per period, unit = municipality): ``FORMULA`` by ordinary least squares (statsmodels
formula), as Telemarksforsking's «lineær regresjonsanalyse»; coefficients with HC3 (heteroscedasticity-
robust) standard errors, because the residual spread is far larger in small municipalities. Missing
values: a municipality missing the outcome or any predictor in a period is left out of that period's fit
(listwise; ``n_obs`` says how many remain).

Uncertainty. A residual is attractiveness plus noise; the noise of a rate shrinks with population. The
squared residuals are regressed on 1/population (``e² = τ² + k / population``, OLS): τ² is the spread of
true attractiveness, k / population the noise of a municipality of that size. From that:

- ``residual_se`` = √(k/pop + var(ŷ)): the residual's standard error as an estimate of attractiveness
  (noise of a municipality that size plus the fit's uncertainty), and its 95 % interval; an interval that
  excludes 0 is «above» / «below», otherwise «not distinguishable from the middle» (the funnel plot's test);
- the empirical-Bayes residual ``eb_residual`` = residual × τ² / (τ² + k/pop) with posterior SD
  √(τ² · (k/pop) / (τ² + k/pop)) — small municipalities are pulled towards 0 by how noisy they are;
- ranks by the EB residual (1 = most attractive) with a 95 % rank interval: the ranks the municipality
  would take at the ends of its posterior interval among the others' EB residuals;
- ``funnel_limit`` = 1.96 √(k/pop): the funnel plot's 95 % control limits for a residual of that size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.diagnostic import het_breuschpagan

Z95 = 1.959964
FORMULA = "net_migration_rate ~ job_growth + neighbour_job_growth + log_population + centrality_index"
TERM_COLUMNS = ["model", "period", "term", "coef", "se", "pval", "ci_low", "ci_high"]


def variance_model(residual: np.ndarray, population: np.ndarray) -> tuple[float, float]:
    """(τ², k) of ``residual² = τ² + k / population`` by least squares, each kept ≥ 0 (refit without the other)."""
    e2 = np.asarray(residual, float) ** 2
    inv = 1.0 / np.asarray(population, float)
    X = np.column_stack([np.ones_like(inv), inv])
    tau2, k = np.linalg.lstsq(X, e2, rcond=None)[0]
    if k < 0:
        return float(e2.mean()), 0.0
    if tau2 < 0:
        return 0.0, float((inv @ e2) / (inv @ inv))
    return float(tau2), float(k)


def rank_interval(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank (1 = largest value) and the ranks at ``high`` (best) and ``low`` (worst) among the others' values."""
    values = np.asarray(values, float)
    order = np.argsort(-values, kind="mergesort")
    rank = np.empty(len(values), int)
    rank[order] = np.arange(1, len(values) + 1)
    best = np.array([1 + int(np.sum(np.delete(values, i) > high[i])) for i in range(len(values))])
    worst = np.array([1 + int(np.sum(np.delete(values, i) > low[i])) for i in range(len(values))])
    return rank, best, worst


def fit_period(frame: pd.DataFrame, model: str, period: str, formula: str = FORMULA,
               population: str = "population_start") -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Fit one period; returns (fit statistics, terms, one row per municipality)."""
    outcome = formula.split("~")[0].strip()
    variables = [outcome, population] + [t.strip() for t in formula.split("~")[1].split("+")]
    data = frame.dropna(subset=list(dict.fromkeys(variables))).sort_values("unit").reset_index(drop=True)
    fit = smf.ols(formula, data).fit(cov_type="HC3")
    conf = fit.conf_int()
    terms = pd.DataFrame({"model": model, "period": period, "term": fit.params.index, "coef": fit.params.to_numpy(),
                          "se": fit.bse.to_numpy(), "pval": fit.pvalues.to_numpy(), "ci_low": conf[0].to_numpy(),
                          "ci_high": conf[1].to_numpy()})
    residual = fit.resid.to_numpy()
    pop = data[population].to_numpy(float)
    tau2, k = variance_model(residual, pop)
    noise = k / pop
    exog = fit.model.exog
    var_fit = np.einsum("ij,jk,ik->i", exog, fit.cov_params().to_numpy(), exog)
    se = np.sqrt(noise + var_fit)
    shrink = tau2 / (tau2 + noise) if tau2 > 0 else np.zeros_like(noise)
    eb = shrink * residual
    eb_sd = np.sqrt(shrink * noise)
    rank, best, worst = rank_interval(eb, eb - Z95 * eb_sd, eb + Z95 * eb_sd)
    raw_rank = rank_interval(residual, residual, residual)[0]
    rows = data[["unit", *[c for c in ("municipality",) if c in data]]].assign(
        model=model, period=period, actual=data[outcome].to_numpy(), predicted=fit.fittedvalues.to_numpy(),
        residual=residual, residual_se=se, pi_low=residual - Z95 * se, pi_high=residual + Z95 * se,
        eb_residual=eb, eb_sd=eb_sd, rank=rank, rank_best=best, rank_worst=worst, residual_rank=raw_rank,
        funnel_limit=Z95 * np.sqrt(noise), population=pop)
    rows["verdict"] = np.select([rows["pi_low"] > 0, rows["pi_high"] < 0], ["above", "below"],
                                "not_distinguishable")
    bp = het_breuschpagan(residual, exog)
    stats = {"model": model, "period": period, "formula": formula, "n_obs": int(fit.nobs), "r2": fit.rsquared,
             "r2_adj": fit.rsquared_adj, "residual_sd": float(np.sqrt(fit.mse_resid)), "cov_type": "HC3",
             "breusch_pagan_p": float(bp[1]), "tau2": tau2, "noise_k": k, "condition_number": float(fit.condition_number),
             "n_above": int((rows["verdict"] == "above").sum()), "n_below": int((rows["verdict"] == "below").sum())}
    return stats, terms[TERM_COLUMNS], rows


def fit_all(frame: pd.DataFrame, model: str, formula: str = FORMULA) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every period of ``frame`` (column ``period``): (fits, terms, residuals)."""
    fits, terms, rows = [], [], []
    for period, part in frame.groupby("period", sort=True):
        f, t, r = fit_period(part, model, str(period), formula)
        fits.append(f)
        terms.append(t)
        rows.append(r)
    return pd.DataFrame(fits), pd.concat(terms, ignore_index=True), pd.concat(rows, ignore_index=True)
