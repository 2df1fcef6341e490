"""The attractiveness models against an independent computation (numpy least squares, scipy's t).

Fixture: SYNTHETIC data for eight municipality numbers, generated with a fixed seed. Golden numbers:
coefficients, standard errors and prediction intervals come from the textbook OLS formulas computed here
with numpy (β = lstsq(X, y); s² = RSS / (n − p); se = √diag(s² (XᵀX)⁻¹); prediction interval
ŷ ± t(0.975, n − p) · √(s² (1 + x (XᵀX)⁻¹ xᵀ))), not with statsmodels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bolyst.stats.models import MODELS, ModelSpec, attractiveness
from scipy import stats

RNG = np.random.default_rng(20251114)
N = 8
DATA = pd.DataFrame({
    "centrality_index": RNG.uniform(500, 1000, N),
    "population": RNG.uniform(1000, 100000, N),
    "n_settled": [5, 40, 60, 80, 100, 25, 30, 50],
}, index=[f"{i:04d}" for i in range(1, N + 1)])
DATA["retention"] = 60 + 0.02 * DATA["centrality_index"] + 3 * np.log(DATA["population"]) + RNG.normal(0, 5, N)
DATA.loc["0008", "centrality_index"] = np.nan  # missing predictor: left out

SPEC = ModelSpec("test", "retention", ("centrality_index", "np.log(population)"), "synthetic test model",
                 n_column="n_settled", min_n=20)


def numpy_ols(frame: pd.DataFrame):
    x = np.column_stack([np.ones(len(frame)), frame["centrality_index"], np.log(frame["population"])])
    y = frame["retention"].to_numpy()
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    n, p = x.shape
    resid = y - x @ beta
    s2 = resid @ resid / (n - p)
    xtx_inv = np.linalg.inv(x.T @ x)
    se = np.sqrt(np.diag(s2 * xtx_inv))
    t = stats.t.ppf(0.975, n - p)
    half = t * np.sqrt(s2 * (1 + np.einsum("ij,jk,ik->i", x, xtx_inv, x)))
    r2 = 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))
    return beta, se, resid, half, r2


def test_terms_and_residuals_match_numpy():
    terms, residuals = attractiveness(DATA, SPEC)
    # 0001 has n = 5 < 20 and 0008 lacks a predictor: six municipalities remain.
    used = DATA.drop(index=["0001", "0008"])
    beta, se, resid, half, r2 = numpy_ols(used)
    assert terms["term"].tolist() == ["Intercept", "centrality_index", "np.log(population)"]
    assert np.allclose(terms["coef"], beta) and np.allclose(terms["se"], se)
    assert terms["n_obs"].unique().tolist() == [6]
    assert terms["r2"].iloc[0] == pytest.approx(r2)
    assert residuals["municipality"].tolist() == used.index.tolist()
    assert np.allclose(residuals["residual"], resid)
    assert np.allclose(residuals["actual"] - residuals["predicted"], residuals["residual"])
    assert np.allclose(residuals["ci_high"] - residuals["residual"], half)
    assert np.allclose(residuals["residual"] - residuals["ci_low"], half)
    assert residuals["n"].tolist() == used["n_settled"].tolist()


def test_rank_orders_by_residual():
    _, residuals = attractiveness(DATA, SPEC)
    ordered = residuals.sort_values("rank")
    assert ordered["rank"].tolist() == list(range(1, 7))
    assert ordered["residual"].is_monotonic_decreasing


def test_confidence_interval_of_terms_matches_t():
    terms, _ = attractiveness(DATA, SPEC)
    t = stats.t.ppf(0.975, 6 - 3)
    assert np.allclose(terms["ci_high"] - terms["coef"], t * terms["se"])


def test_published_models_have_described_specs():
    assert [m.id for m in MODELS] == ["refugee_secondary_in"]
    assert all(m.description and "~" in m.formula for m in MODELS)
