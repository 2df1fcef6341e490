"""The residual models (stats/models.py on stats/regression.py) against an independent computation.

Fixture: SYNTHETIC data for 40 municipality numbers, generated here with a fixed seed: a share whose noise
shrinks with the count behind it, as a share of refugees does. Golden numbers come from textbook formulas
computed here with numpy, not with statsmodels: β = lstsq(X, y); HC3 covariance (XᵀX)⁻¹ Xᵀ diag(eᵢ² /
(1 − hᵢ)²) X (XᵀX)⁻¹ with hᵢ the leverages; the variance model e² = τ² + k/n by lstsq; the residual's
standard error √(k/nᵢ + xᵢ Cov xᵢᵀ); the empirical-Bayes factor τ² / (τ² + k/nᵢ).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bolyst.stats import regression
from bolyst.stats.models import MODELS, RESIDUAL_COLUMNS, TERM_COLUMNS, ModelSpec, fit_model

RNG = np.random.default_rng(20251114)
N = 40


def synthetic() -> pd.DataFrame:
    """SYNTHETIC: outcome = 10 + 0.03 centrality − 1.5 ln(population) + true effect + noise ∝ 1/√n."""
    data = pd.DataFrame({
        "centrality_index": RNG.uniform(400, 1000, N),
        "log_population": np.log(RNG.uniform(1000, 100000, N)),
        "n_living": np.round(np.exp(RNG.uniform(np.log(5), np.log(5000), N))),
    }, index=pd.Index([f"{i:04d}" for i in range(1, N + 1)], name="number"))
    data["share"] = (10 + 0.03 * data["centrality_index"] - 1.5 * data["log_population"]
                     + RNG.normal(0, 3, N) + RNG.normal(0, 1, N) * np.sqrt(2000 / data["n_living"]))
    data.loc["0040", "centrality_index"] = np.nan  # a missing predictor: left out
    return data


DATA = synthetic()
SPEC = ModelSpec("test", "share", ("centrality_index", "log_population"), "SYNTHETIC test model",
                 size="n_living", period="2022", min_n=20)


def used() -> pd.DataFrame:
    return DATA[(DATA["n_living"] >= 20) & DATA["centrality_index"].notna()].sort_index()


def numpy_reference(frame: pd.DataFrame) -> dict[str, np.ndarray | float]:
    X = np.column_stack([np.ones(len(frame)), frame["centrality_index"], frame["log_population"]])
    y = frame["share"].to_numpy()
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    cov = bread @ (X.T * (e ** 2 / (1 - h) ** 2)) @ X @ bread
    n = frame["n_living"].to_numpy()
    tau2, k = np.linalg.lstsq(np.column_stack([np.ones(len(n)), 1 / n]), e ** 2, rcond=None)[0]
    se = np.sqrt(k / n + np.einsum("ij,jk,ik->i", X, cov, X))
    shrink = tau2 / (tau2 + k / n)
    return {"beta": beta, "e": e, "hc3": np.sqrt(np.diag(cov)), "tau2": tau2, "k": k, "se": se, "n": n,
            "eb": shrink * e, "eb_sd": np.sqrt(shrink * k / n),
            "r2": 1 - e @ e / ((y - y.mean()) @ (y - y.mean()))}


def test_exclusions_by_size_and_missing_predictor():
    fit, terms, residuals = fit_model(DATA, SPEC)
    expected = used()
    assert 0 < len(expected) < N - 1  # the seed gives some municipalities under 20 as well as the missing one
    assert residuals["municipality"].tolist() == expected.index.tolist()
    assert fit["n_obs"] == len(expected) and residuals["n"].tolist() == expected["n_living"].tolist()
    assert list(terms.columns) == TERM_COLUMNS and list(residuals.columns) == RESIDUAL_COLUMNS


def test_coefficients_and_hc3_standard_errors_match_numpy():
    fit, terms, _ = fit_model(DATA, SPEC)
    ref = numpy_reference(used())
    assert terms["term"].tolist() == ["Intercept", "centrality_index", "log_population"]
    assert terms["coef"].to_numpy() == pytest.approx(ref["beta"])
    assert terms["se"].to_numpy() == pytest.approx(ref["hc3"])
    assert (terms["ci_high"] - terms["coef"]).to_numpy() == pytest.approx(1.959964 * ref["hc3"], rel=1e-5)
    assert fit["r2"] == pytest.approx(ref["r2"]) and fit["cov_type"] == "HC3"
    assert (fit["id"], fit["period"], fit["size"], fit["min_n"]) == ("test", "2022", "n_living", 20)


def test_residual_intervals_shrinkage_and_verdicts_match_the_formulas():
    fit, _, residuals = fit_model(DATA, SPEC)
    ref = numpy_reference(used())
    assert ref["tau2"] > 0 and ref["k"] > 0  # the clipped branches are tested below
    assert (fit["tau2"], fit["noise_k"]) == pytest.approx((ref["tau2"], ref["k"]))
    assert residuals["residual"].to_numpy() == pytest.approx(ref["e"])
    assert (residuals["actual"] - residuals["predicted"]).to_numpy() == pytest.approx(ref["e"])
    assert residuals["residual_se"].to_numpy() == pytest.approx(ref["se"])
    assert residuals["pi_low"].to_numpy() == pytest.approx(ref["e"] - 1.959964 * ref["se"])
    assert residuals["eb_residual"].to_numpy() == pytest.approx(ref["eb"])
    assert residuals["eb_sd"].to_numpy() == pytest.approx(ref["eb_sd"])
    assert residuals["funnel_limit"].to_numpy() == pytest.approx(1.959964 * np.sqrt(ref["k"] / ref["n"]))
    low, high = ref["e"] - 1.959964 * ref["se"], ref["e"] + 1.959964 * ref["se"]
    expected = np.where(low > 0, "above", np.where(high < 0, "below", "not_distinguishable"))
    assert residuals["verdict"].tolist() == expected.tolist()
    assert (fit["n_above"], fit["n_below"]) == ((expected == "above").sum(), (expected == "below").sum())


def test_ranks_follow_the_shrunken_residual_with_intervals():
    _, _, residuals = fit_model(DATA, SPEC)
    ordered = residuals.sort_values("rank")
    assert ordered["rank"].tolist() == list(range(1, len(residuals) + 1))
    assert ordered["eb_residual"].is_monotonic_decreasing
    assert residuals.sort_values("residual_rank")["residual"].is_monotonic_decreasing
    assert (residuals["rank_best"] <= residuals["rank"]).all() and (residuals["rank"] <= residuals["rank_worst"]).all()
    # A municipality's interval covers exactly the others whose EB residual lies inside its posterior interval.
    row = residuals.iloc[0]
    others = residuals["eb_residual"].drop(residuals.index[0])
    assert row["rank_best"] == 1 + (others > row["eb_residual"] + 1.959964 * row["eb_sd"]).sum()
    assert row["rank_worst"] == 1 + (others > row["eb_residual"] - 1.959964 * row["eb_sd"]).sum()


def test_variance_model_keeps_both_parts_non_negative():
    # SYNTHETIC residuals: bigger in the LARGE municipalities, so the free fit gives k < 0 → k = 0, τ² = mean e².
    assert regression.variance_model(np.array([1.0, 2.0, 3.0]), np.array([10.0, 100.0, 1000.0])) == \
        pytest.approx((14 / 3, 0.0))
    # SYNTHETIC residuals with e² = 4/n − 0.01: the free fit's τ² is −0.01 → τ² = 0, k refitted through the
    # origin: Σ(e²/n) / Σ(1/n²).
    n = np.array([4.0, 16.0, 64.0])
    e2 = 4 / n - 0.01
    tau2, k = regression.variance_model(np.sqrt(e2) * np.array([1.0, -1.0, 1.0]), n)
    assert tau2 == 0.0 and k == pytest.approx((e2 / n).sum() / (1 / n ** 2).sum())


def test_published_model_is_specified():
    assert [m.id for m in MODELS] == ["refugee_secondary_in"]
    spec = MODELS[0]
    assert spec.formula == "moved_in_share ~ centrality_index + log_population"
    assert (spec.size, spec.period, spec.min_n) == ("refugees_living", "2022", 20)
