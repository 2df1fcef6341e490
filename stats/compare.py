"""Comparable municipalities: nearest neighbours on standardised indicators, each distance explained.

Distance between municipalities a and b (unit of analysis: the 2024 municipality)::

    d(a, b)² = K / K_ab · ( Σ_i w_i (z_ai − z_bi)²  +  Σ_c W · [c_a ≠ c_b] )

where z are the numeric indicators, transformed where they are skewed (``log``, or ``rank``: normal scores
Φ⁻¹((rank − 0.5) / n), so one small municipality with an extreme rate cannot dominate every distance), then
standardised over all municipalities (mean 0, standard deviation 1, ddof = 0), w_i the indicator's weight (``weights``; 2 for population size, which matters most for what a
municipality can offer, else 1), c the categorical indicators (landsdel), W = 1 (half the expected squared
difference of one standardised indicator between two municipalities drawn at random: a different landsdel
counts, but less than a typical difference in size), K the number of indicators and K_ab the number that
both a and b have. A missing value leaves that indicator out of the pair and the rest are scaled up by
K / K_ab, so distances stay comparable; it is never imputed. A pair with more than two indicators missing
is not compared at all (:data:`MAX_MISSING`), so a municipality with few numbers (1580 Haram, re-established
in 2024) cannot look close to everyone.

Each term (scaled) is stored as the indicator's ``contribution``: the contributions of a pair sum to
d², and ``share`` = contribution / d² says how much of the difference each indicator makes. The
formula is symmetric in a and b by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

CATEGORY_WEIGHT = 1.0
MAX_MISSING = 2


def transformed(values: pd.Series, how: str) -> pd.Series:
    """``none``, ``log`` (natural log; values ≤ 0 missing) or ``rank`` (normal scores, ties averaged)."""
    if how == "log":
        return np.log(values.where(values > 0))
    if how == "rank":
        ranks = values.rank(method="average")
        return pd.Series(norm.ppf((ranks - 0.5) / values.notna().sum()), index=values.index)
    return values


def standardise(features: pd.DataFrame, numeric: list[str], transforms: dict[str, str] | None = None) -> pd.DataFrame:
    """z-scores of the (transformed) numeric columns (population standard deviation, missing left missing)."""
    values = features[numeric].astype(float)
    values = pd.DataFrame({c: transformed(values[c], (transforms or {}).get(c, "none")) for c in numeric})
    return (values - values.mean()) / values.std(ddof=0)


def pair_terms(features: pd.DataFrame, numeric: list[str], categorical: list[str],
               transforms: dict[str, str] | None = None, weights: dict[str, float] | None = None) -> np.ndarray:
    """Array [a, b, indicator] of the scaled weighted squared differences (NaN where a value is missing)."""
    z = standardise(features, numeric, transforms).to_numpy()
    w = np.array([(weights or {}).get(c, 1.0) for c in numeric])
    numeric_terms = w * (z[:, None, :] - z[None, :, :]) ** 2
    cat_terms = []
    for column in categorical:
        values = features[column].to_numpy(dtype=object)
        missing = pd.isna(values)
        differ = (values[:, None] != values[None, :]).astype(float) * CATEGORY_WEIGHT
        differ[missing[:, None] | missing[None, :]] = np.nan
        cat_terms.append(differ[:, :, None])
    terms = np.concatenate([numeric_terms, *cat_terms], axis=2)
    available = (~np.isnan(terms)).sum(axis=2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = terms * (terms.shape[2] / available)
    scaled[np.broadcast_to(available < terms.shape[2] - MAX_MISSING, scaled.shape)] = np.nan
    return scaled


def comparables(features: pd.DataFrame, numeric: list[str], categorical: list[str], k: int = 10,
                group: str | None = "kostra_group", transforms: dict[str, str] | None = None,
                weights: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``k`` most similar municipalities of each municipality, and each indicator's contribution.

    ``features`` is indexed by municipality number with the indicator columns (and ``group``, e.g. the
    KOSTRA group, reported beside each pair but not used in the distance). Ties in distance are broken by
    municipality number. Returns ``(comparables, contributions)``: comparables with municipality,
    comparable, rank, distance, same_landsdel-style ``same_<group>``; contributions with municipality,
    comparable, indicator, value, comparable_value, contribution, share.
    """
    features = features.sort_index()
    names = numeric + categorical
    terms = pair_terms(features, numeric, categorical, transforms, weights)
    squared = np.where(np.isnan(terms).all(axis=2), np.inf, np.nansum(terms, axis=2))
    np.fill_diagonal(squared, np.inf)
    ids = features.index.to_numpy()
    values = features[names].to_numpy(dtype=object)
    groups = features[group].to_numpy(dtype=object) if group else None
    pairs, parts = [], []
    for i, municipality in enumerate(ids):
        order = np.lexsort((ids, squared[i]))[:k]  # by distance, ties by number
        for rank, j in enumerate(order, start=1):
            d2 = squared[i, j]
            if not np.isfinite(d2):
                break
            row = {"municipality": municipality, "comparable": ids[j], "rank": rank, "distance": float(np.sqrt(d2))}
            if group:
                a, b = groups[i], groups[j]
                row[f"same_{group}"] = None if pd.isna(a) or pd.isna(b) else int(a == b)
            pairs.append(row)
            for n in np.flatnonzero(~np.isnan(terms[i, j])):
                parts.append({"municipality": municipality, "comparable": ids[j], "indicator": names[n],
                              "value": values[i, n], "comparable_value": values[j, n],
                              "contribution": float(terms[i, j, n]),
                              "share": float(terms[i, j, n] / d2) if d2 > 0 else None})
    return pd.DataFrame(pairs), pd.DataFrame(parts)


def distance(features: pd.DataFrame, numeric: list[str], categorical: list[str], a: str, b: str,
             transforms: dict[str, str] | None = None, weights: dict[str, float] | None = None) -> float:
    """Distance between two municipalities under the same definition as :func:`comparables`."""
    features = features.sort_index()
    terms = pair_terms(features, numeric, categorical, transforms, weights)
    i, j = features.index.get_loc(a), features.index.get_loc(b)
    return float(np.sqrt(np.nansum(terms[i, j])))


def nearest(z: pd.DataFrame, categories: pd.Series, number: str, candidates: list[str], k: int,
            weights: dict[str, float] | None = None) -> list[tuple[str, float, list[tuple[str, float]]]]:
    """The ``k`` nearest of ``candidates`` to ``number`` from stored z-scores (same formula as above).

    Returns (comparable, distance, [(indicator, share of d²), … largest first]) sorted by distance, then number.
    """
    names = list(z.columns) + [categories.name]
    out = []
    for other in sorted(c for c in candidates if c != number):
        w = np.array([(weights or {}).get(c, 1.0) for c in z.columns])
        terms = list(w * (z.loc[number] - z.loc[other]).to_numpy(float) ** 2)
        a, b = categories.get(number), categories.get(other)
        terms.append(np.nan if pd.isna(a) or pd.isna(b) else CATEGORY_WEIGHT * float(a != b))
        terms = np.array(terms, float)
        available = (~np.isnan(terms)).sum()
        if available < len(terms) - MAX_MISSING:
            continue
        terms = terms * (len(terms) / available)
        d2 = float(np.nansum(terms))
        shares = sorted(((names[i], float(t / d2)) for i, t in enumerate(terms) if not np.isnan(t) and d2 > 0),
                        key=lambda s: -s[1])
        out.append((other, float(np.sqrt(d2)), shares))
    return sorted(out, key=lambda r: (r[1], r[0]))[:k]
