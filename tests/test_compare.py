"""Comparable municipalities: symmetric distances, contributions that add up, hand-checked neighbours.

Fixture: SYNTHETIC indicator values for six municipality numbers, chosen so z-scores are easy by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from bolyst.stats.compare import CATEGORY_WEIGHT, comparables, distance, standardise

NUMERIC = ["x", "y"]
CATEGORICAL = ["landsdel"]
FEATURES = pd.DataFrame({
    "x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
    "y": [10.0, 10.0, 20.0, 20.0, np.nan, 30.0],
    "landsdel": ["Øst", "Øst", "Vest", "Vest", "Nord", "Nord"],
    "kostra_group": ["EKG01", "EKG01", "EKG02", "EKG01", "EKG03", None],
}, index=["0001", "0002", "0003", "0004", "0005", "0006"])


@pytest.fixture(scope="module")
def result():
    return comparables(FEATURES, NUMERIC, CATEGORICAL, k=3)


def test_distance_is_symmetric_for_every_pair():
    ids = FEATURES.index
    for a in ids:
        for b in ids:
            assert distance(FEATURES, NUMERIC, CATEGORICAL, a, b) == pytest.approx(
                distance(FEATURES, NUMERIC, CATEGORICAL, b, a), abs=1e-12)


def test_pairs_listed_both_ways_have_equal_distance(result):
    pairs, _ = result
    d = {(r.municipality, r.comparable): r.distance for r in pairs.itertuples()}
    both = [(a, b) for a, b in d if (b, a) in d]
    assert both  # the fixture has mutual neighbours
    assert all(d[a, b] == pytest.approx(d[b, a]) for a, b in both)


def test_contributions_sum_to_squared_distance(result):
    pairs, parts = result
    sums = parts.groupby(["municipality", "comparable"])["contribution"].sum()
    for r in pairs.itertuples():
        assert sums[r.municipality, r.comparable] == pytest.approx(r.distance ** 2)
    shares = parts.groupby(["municipality", "comparable"])["share"].sum()
    assert np.allclose(shares.to_numpy(), 1.0)


def test_hand_computed_distance():
    # x: mean 2.5, sd sqrt(17.5/6); 0001 vs 0002 differ by 1 in x → z-difference 1/sd.
    # y: mean 18, values 10, 10 → z-difference 0. Same landsdel → 0. d² = 1 / (17.5 / 6).
    sd_x = math.sqrt(17.5 / 6)
    assert standardise(FEATURES, NUMERIC)["x"].iloc[1] == pytest.approx((1 - 2.5) / sd_x)
    assert distance(FEATURES, NUMERIC, CATEGORICAL, "0001", "0002") == pytest.approx(1 / sd_x)


def test_missing_value_is_left_out_and_rest_scaled():
    # 0005 has no y: the pair 0005–0006 uses x and landsdel (K_ab = 2 of K = 3), scaled by 3/2.
    sd_x = math.sqrt(17.5 / 6)
    expected = (3 / 2) * ((1 / sd_x) ** 2 + 0.0)
    assert distance(FEATURES, NUMERIC, CATEGORICAL, "0005", "0006") ** 2 == pytest.approx(expected)


def test_different_landsdel_weighs_category_weight():
    # 0002 and 0003: x differs by 1, y by 10 (sd of y over five values), landsdel differs.
    y = FEATURES["y"].dropna()
    sd_y = y.std(ddof=0)
    sd_x = math.sqrt(17.5 / 6)
    expected = (1 / sd_x) ** 2 + (10 / sd_y) ** 2 + CATEGORY_WEIGHT
    assert distance(FEATURES, NUMERIC, CATEGORICAL, "0002", "0003") ** 2 == pytest.approx(expected)


def test_ranks_and_kostra_flag(result):
    pairs, _ = result
    first = pairs[pairs["municipality"] == "0001"]
    assert first["rank"].tolist() == [1, 2, 3]
    assert first["comparable"].iloc[0] == "0002"  # same landsdel, closest x, same y
    assert first["same_kostra_group"].iloc[0] == 1
    assert pairs.loc[pairs["comparable"] == "0006", "same_kostra_group"].isna().all()  # 0006 has no group
    assert (pairs["municipality"] != pairs["comparable"]).all()
