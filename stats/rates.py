"""Rates for small municipalities: empirical-Bayes shrinkage and funnel limits of count-based rates per 1,000.

Which rates. :data:`RATES`: refugees settled and refugees living per 1,000 residents, counts of people,
modelled as Poisson counts. Net migration per 1,000 is left out: it is a difference of two counts (in minus
out) and can be negative, so neither a Poisson nor a gamma model fits it (a negative rate has no Poisson
likelihood and no gamma prior).

Unit: one municipality in one year. Input: each municipality's count (the rate's numerator) and its
denominator (residents on 1 January), both as ``municipality_stats`` holds them on 2024 borders. A
municipality without a count that year (IMDi suppressed or did not report it) is left out of that year, also
from the national rate; ``n_municipalities`` says how many remain.

Model, per rate and year (Poisson–gamma, Clayton & Kaldor 1987; moments as in Marshall 1991, «Mapping
disease and mortality rates using empirical Bayes estimators», Appl. Statist. 40:283–294, the global
estimator): count_i ~ Poisson(n_i θ_i) with θ_i ~ Gamma(mean m, variance A).

- ``national_rate`` m = Σ count / Σ n;
- A = s² − m / n̄, with s² = Σ n_i (r_i − m)² / Σ n_i (r_i = count_i / n_i) and n̄ = Σ n_i / N; A < 0 → 0;
- ``shrinkage`` w_i = A / (A + m / n_i): the weight of the municipality's own rate (0 = all national);
- ``eb_rate`` = m + w_i (r_i − m), the posterior mean; the posterior is Gamma(shape count_i + m²/A,
  rate n_i + m/A), whose 2.5 and 97.5 percentiles are ``eb_low`` and ``eb_high`` (A = 0: all equal to m).

Funnel limits (Spiegelhalter 2005, «Funnel plots for comparing institutional performance», Stat. Med.
24:1185–1202, appendix A.1.2): exact Poisson limits, interpolated between integers so the funnel is smooth.
For the expected count E = m n_i and probability p: r_p = the smallest count with P(X ≤ r_p) ≥ p (X ~
Poisson(E)), α = (P(X ≤ r_p) − p) / P(X = r_p), limit = max(r_p − α, 0) / n_i. p = 0.025 / 0.975 for the
95 % limits and 0.001 / 0.999 for the 99.8 % limits. ``verdict`` says whether the observed rate lies
above, below or within the 95 % limits (``verdict_998``: the 99.8 % limits).

Every rate leaves here per 1,000 (``PER``), as municipality_stats stores it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

#: The count-based rates shrunk and funnelled (not net_migration_per_1000: it can be negative).
RATES = ("refugees_settled_per_1000", "refugees_living_per_1000")
PER = 1000
#: (column suffix, lower and upper tail probability) of the funnel's control limits.
LIMITS = (("95", 0.025, 0.975), ("998", 0.001, 0.999))
COLUMNS = ["indicator", "year", "municipality", "count", "population", "rate", "expected", "national_rate",
           "n_municipalities", "between_var", "shrinkage", "eb_rate", "eb_low", "eb_high", "limit95_low",
           "limit95_high", "limit998_low", "limit998_high", "verdict", "verdict_998", "flag"]


def poisson_limit(expected: np.ndarray, p: float) -> np.ndarray:
    """Spiegelhalter's interpolated Poisson quantile of ``expected`` at ``p`` (a count, ≥ 0)."""
    expected = np.asarray(expected, float)
    r = sps.poisson.ppf(p, expected)
    below = sps.poisson.cdf(r, expected)
    alpha = (below - p) / sps.poisson.pmf(r, expected)
    return np.maximum(r - alpha, 0.0)


def between_variance(count: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """(m, A) per person: the pooled rate and Marshall's moment estimate of the true rates' variance (≥ 0)."""
    count, n = np.asarray(count, float), np.asarray(n, float)
    m = count.sum() / n.sum()
    s2 = float(np.sum(n * (count / n - m) ** 2) / n.sum())
    return float(m), max(s2 - m / n.mean(), 0.0)


def _verdict(rate: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.select([rate > high, rate < low], ["above", "below"], "within")


def shrink(frame: pd.DataFrame) -> pd.DataFrame:
    """One rate in one year: ``frame`` has ``count`` and ``population`` per municipality; adds the columns
    of :data:`COLUMNS` that describe the estimate (rates per 1,000)."""
    count, n = frame["count"].to_numpy(float), frame["population"].to_numpy(float)
    m, a = between_variance(count, n)
    rate = count / n
    w = a / (a + m / n) if a > 0 else np.zeros_like(n)
    out = frame.assign(rate=PER * rate, expected=m * n, national_rate=PER * m, n_municipalities=len(frame),
                       between_var=PER**2 * a, shrinkage=w, eb_rate=PER * (m + w * (rate - m)))
    if a > 0:
        shape, scale = count + m * m / a, 1.0 / (n + m / a)
        out["eb_low"] = PER * sps.gamma.ppf(0.025, shape, scale=scale)
        out["eb_high"] = PER * sps.gamma.ppf(0.975, shape, scale=scale)
    else:
        out["eb_low"] = out["eb_high"] = PER * m
    for name, low, high in LIMITS:
        out[f"limit{name}_low"] = PER * poisson_limit(m * n, low) / n
        out[f"limit{name}_high"] = PER * poisson_limit(m * n, high) / n
    out["verdict"] = _verdict(out["rate"], out["limit95_low"], out["limit95_high"])
    out["verdict_998"] = _verdict(out["rate"], out["limit998_low"], out["limit998_high"])
    return out


def rate_estimates(stats: pd.DataFrame, indicators: pd.DataFrame, rates: tuple[str, ...] = RATES) -> pd.DataFrame:
    """Rows of the ``rate_estimates`` table from municipality_stats rows (``municipality, indicator, year,
    value, flag``) and the indicators' ``id, numerator, denominator``; sorted by indicator, year, municipality.

    A rate row joins its numerator (the count) and denominator of the same municipality and year; rows
    without a count or with a denominator ≤ 0 are left out. ``flag`` is the rate row's flag (e.g.
    partial_year: that year's counts, and so its national rate, cover part of the year only)."""
    meta = indicators.set_index("id")
    values = stats.dropna(subset=["value"]).set_index(["indicator", "municipality", "year"])["value"]
    frames = []
    for rate in rates:
        numerator, denominator = meta.at[rate, "numerator"], meta.at[rate, "denominator"]
        rows = stats[(stats["indicator"] == rate) & stats["value"].notna()][["municipality", "year", "flag"]]
        key = list(zip(rows["municipality"], rows["year"]))
        rows = rows.assign(indicator=rate,
                           count=[values.get((numerator, m, y)) for m, y in key],
                           population=[values.get((denominator, m, y)) for m, y in key]).dropna(
                               subset=["count", "population"])
        rows = rows[rows["population"] > 0]
        frames += [shrink(group.sort_values("municipality")) for _, group in rows.groupby("year")]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    out["flag"] = out["flag"].replace("", None)
    return out.sort_values(["indicator", "year", "municipality"]).reset_index(drop=True)
