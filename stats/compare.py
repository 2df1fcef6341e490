"""Comparable municipalities: nearest neighbours on standardised indicators, each distance explained.

Distance between municipalities a and b (unit of analysis: the 2024 municipality)::

    d(a, b)² = K / K_ab · ( Σ_i (z_ai − z_bi)²  +  Σ_c W · [c_a ≠ c_b] )

where z are the numeric indicators standardised over all municipalities (mean 0, standard deviation 1,
ddof = 0), c the categorical indicators (landsdel), W = 2 (the expected squared difference of one
standardised indicator between two municipalities drawn at random, so a different landsdel weighs as
much as a typical difference in one indicator), K the number of indicators and K_ab the number that both
a and b have. A missing value leaves that indicator out of the pair and the rest are scaled up by
K / K_ab, so distances stay comparable; it is never imputed.

Each term (scaled) is stored as the indicator's ``contribution``: the contributions of a pair sum to
d², and ``share`` = contribution / d² says how much of the difference each indicator makes. The
formula is symmetric in a and b by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CATEGORY_WEIGHT = 2.0


def standardise(features: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """z-scores of the numeric columns (population standard deviation, missing values left missing)."""
    values = features[numeric].astype(float)
    return (values - values.mean()) / values.std(ddof=0)


def pair_terms(features: pd.DataFrame, numeric: list[str], categorical: list[str]) -> np.ndarray:
    """Array [a, b, indicator] of the scaled squared differences (NaN where a value is missing)."""
    z = standardise(features, numeric).to_numpy()
    numeric_terms = (z[:, None, :] - z[None, :, :]) ** 2
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
        return terms * (terms.shape[2] / available)


def comparables(features: pd.DataFrame, numeric: list[str], categorical: list[str], k: int = 10,
                group: str | None = "kostra_group") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``k`` most similar municipalities of each municipality, and each indicator's contribution.

    ``features`` is indexed by municipality number with the indicator columns (and ``group``, e.g. the
    KOSTRA group, reported beside each pair but not used in the distance). Ties in distance are broken by
    municipality number. Returns ``(comparables, contributions)``: comparables with municipality,
    comparable, rank, distance, same_landsdel-style ``same_<group>``; contributions with municipality,
    comparable, indicator, value, comparable_value, contribution, share.
    """
    features = features.sort_index()
    names = numeric + categorical
    terms = pair_terms(features, numeric, categorical)
    squared = np.nansum(terms, axis=2)
    np.fill_diagonal(squared, np.inf)
    ids = features.index.to_numpy()
    values = features[names].to_numpy(dtype=object)
    groups = features[group].to_numpy(dtype=object) if group else None
    pairs, parts = [], []
    for i, municipality in enumerate(ids):
        order = np.lexsort((ids, squared[i]))[:k]  # by distance, ties by number
        for rank, j in enumerate(order, start=1):
            d2 = squared[i, j]
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


def distance(features: pd.DataFrame, numeric: list[str], categorical: list[str], a: str, b: str) -> float:
    """Distance between two municipalities under the same definition as :func:`comparables`."""
    features = features.sort_index()
    terms = pair_terms(features, numeric, categorical)
    i, j = features.index.get_loc(a), features.index.get_loc(b)
    return float(np.sqrt(np.nansum(terms[i, j])))
