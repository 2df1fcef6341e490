"""Residual models with their uncertainty: the one fit behind the barometer and the models of ``models.py``.

Model (unit = municipality): a statsmodels formula by ordinary least squares; coefficients with HC3
(heteroscedasticity-robust) standard errors, because the residual spread is far larger where the count
behind the outcome is small. Missing values: a row missing the size, the outcome or any variable of the
formula is left out (listwise; ``n_obs`` says how many remain).

Uncertainty. A residual is the municipality's own effect plus noise; the noise of a rate shrinks with the
count behind it (``size``: inhabitants for a population rate, refugees living there for a share of them).
The squared residuals are regressed on 1/size (``e² = τ² + k / size``, least squares): τ² is the spread
of the true effects, k / size the noise of a municipality of that size. From that:

- ``residual_se`` = √(k/size + var(ŷ)): the residual's standard error as an estimate of the municipality's
  effect (noise of that size plus the fit's uncertainty), and its 95 % interval; an interval that excludes
  0 is «above» / «below», otherwise «not distinguishable from the middle» (the funnel plot's test);
- the empirical-Bayes residual ``eb_residual`` = residual × τ² / (τ² + k/size) with posterior SD
  √(τ² · (k/size) / (τ² + k/size)): small municipalities are pulled towards 0 by how noisy they are;
- ranks by the EB residual (1 = highest) with a 95 % rank interval: the ranks the municipality would take
  at the ends of its posterior interval among the others' EB residuals;
- ``funnel_limit`` = 1.96 √(k/size): the funnel plot's 95 % control limits for a residual of that size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.diagnostic import het_breuschpagan

Z95 = 1.959964
TERM_COLUMNS = ["term", "coef", "se", "pval", "ci_low", "ci_high"]
#: What :func:`fit` adds to each unit's row.
ROW_COLUMNS = ["actual", "predicted", "residual", "residual_se", "pi_low", "pi_high", "verdict", "eb_residual",
               "eb_sd", "rank", "rank_best", "rank_worst", "residual_rank", "funnel_limit", "n"]


def variance_model(residual: np.ndarray, size: np.ndarray) -> tuple[float, float]:
    """(τ², k) of ``residual² = τ² + k / size`` by least squares, each kept ≥ 0 (refit without the other)."""
    e2 = np.asarray(residual, float) ** 2
    inv = 1.0 / np.asarray(size, float)
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


def fit(frame: pd.DataFrame, formula: str, size: str, key: str = "unit") -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Fit ``formula`` on ``frame`` (one row per ``key``); returns (fit statistics, terms, one row per unit).

    The rows keep ``frame``'s columns for the units in the fit (sorted by ``key``) and add
    :data:`ROW_COLUMNS` (``n`` is the ``size`` column).
    """
    outcome = formula.split("~")[0].strip()
    data = frame.dropna(subset=[size, outcome]).sort_values(key).reset_index(drop=True)
    result = smf.ols(formula, data, missing="drop").fit(cov_type="HC3")
    data = data.loc[result.model.data.row_labels].reset_index(drop=True)
    conf = result.conf_int()
    terms = pd.DataFrame({"term": result.params.index, "coef": result.params.to_numpy(),
                          "se": result.bse.to_numpy(), "pval": result.pvalues.to_numpy(),
                          "ci_low": conf[0].to_numpy(), "ci_high": conf[1].to_numpy()})
    residual = result.resid.to_numpy()
    n = data[size].to_numpy(float)
    tau2, k = variance_model(residual, n)
    noise = k / n
    exog = result.model.exog
    se = np.sqrt(noise + np.einsum("ij,jk,ik->i", exog, result.cov_params().to_numpy(), exog))
    shrink = tau2 / (tau2 + noise) if tau2 > 0 else np.zeros_like(noise)
    eb, eb_sd = shrink * residual, np.sqrt(shrink * noise)
    rank, best, worst = rank_interval(eb, eb - Z95 * eb_sd, eb + Z95 * eb_sd)
    rows = data.assign(
        actual=data[outcome].to_numpy(), predicted=result.fittedvalues.to_numpy(), residual=residual,
        residual_se=se, pi_low=residual - Z95 * se, pi_high=residual + Z95 * se, eb_residual=eb, eb_sd=eb_sd,
        rank=rank, rank_best=best, rank_worst=worst, residual_rank=rank_interval(residual, residual, residual)[0],
        funnel_limit=Z95 * np.sqrt(noise), n=n)
    rows["verdict"] = np.select([rows["pi_low"] > 0, rows["pi_high"] < 0], ["above", "below"], "not_distinguishable")
    stats = {"formula": formula, "n_obs": int(result.nobs), "r2": float(result.rsquared),
             "r2_adj": float(result.rsquared_adj), "residual_sd": float(np.sqrt(result.mse_resid)), "cov_type": "HC3",
             "breusch_pagan_p": float(het_breuschpagan(residual, exog)[1]), "tau2": tau2, "noise_k": k,
             "condition_number": float(result.condition_number),
             "n_above": int((rows["verdict"] == "above").sum()), "n_below": int((rows["verdict"] == "below").sum())}
    return stats, terms[TERM_COLUMNS], rows
