"""The reliability statistics of :mod:`bolyst.coding.agreement`, from judgements or from counts: Cohen's κ,
Krippendorff's α (nominal, with missing values) and precision / recall / F1 of an automatic coder.

Each has a count form (``kappa_of``, ``alpha_of``, ``scores_of``): the agreement tables count units per cell
instead of listing them, and the list forms count first and then call the count form, so both give the same
values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Kappa:
    n_units: int
    both: int
    a_only: int
    b_only: int
    neither: int
    observed: float | None
    expected: float | None
    kappa: float | None


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> Kappa:
    """Cohen's κ for two coders' binary judgements of the same units (p_o − p_e) / (1 − p_e)."""
    if len(a) != len(b):
        raise ValueError("both coders must judge the same units")
    pairs = Counter(zip(map(bool, a), map(bool, b)))
    return kappa_of(len(a), pairs[True, True], pairs[True, False], pairs[False, True])


def kappa_of(n: int, both: int, a_only: int, b_only: int) -> Kappa:
    """Cohen's κ from the counts of ``n`` units: both coders apply the code, only a, only b."""
    neither = n - both - a_only - b_only
    if n == 0:
        return Kappa(0, 0, 0, 0, 0, None, None, None)
    observed = (both + neither) / n
    rate_a, rate_b = (both + a_only) / n, (both + b_only) / n
    expected = rate_a * rate_b + (1 - rate_a) * (1 - rate_b)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else None
    return Kappa(n, both, a_only, b_only, neither, observed, expected, kappa)


@dataclass(frozen=True)
class Alpha:
    n_units: int
    n_values: int
    observed_disagreement: float | None
    expected_disagreement: float | None
    alpha: float | None


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> Alpha:
    """Krippendorff's α, nominal: 1 − D_o / D_e from the coincidence matrix (None = missing value).

    Each unit's m ≥ 2 values contribute every ordered pair of different coders with weight 1/(m − 1).
    """
    kinds: Counter[tuple[tuple[Hashable, int], ...]] = Counter()
    for values in units:
        kinds[tuple(sorted(Counter(v for v in values if v is not None).items(), key=repr))] += 1
    return alpha_of(kinds)


def alpha_of(kinds: Counter[tuple[tuple[Hashable, int], ...]]) -> Alpha:
    """Krippendorff's α (nominal) from how many units have each kind of values: ((value, count), …) → units."""
    coincidences: Counter[tuple[Hashable, Hashable]] = Counter()
    n_units = 0
    for kind, units in sorted(kinds.items(), key=repr):
        counts = dict(kind)
        m = sum(counts.values())
        if m < 2:
            continue
        n_units += units
        for c in counts:
            for k in counts:
                coincidences[c, k] += units * counts[c] * (counts[k] - (c == k)) / (m - 1)
    totals: Counter[Hashable] = Counter()
    for (c, _), value in coincidences.items():
        totals[c] += value
    n = sum(totals.values())
    if n_units == 0:
        return Alpha(0, 0, None, None, None)
    observed = sum(v for (c, k), v in coincidences.items() if c != k) / n
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n * (n - 1))
    alpha = 1 - observed / expected if expected > 0 else None
    return Alpha(n_units, round(n), observed, expected, alpha)


@dataclass(frozen=True)
class Scores:
    n_units: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None
    recall: float | None
    f1: float | None


def precision_recall(predicted: Sequence[bool], truth: Sequence[bool]) -> Scores:
    return scores_of(cohen_kappa(predicted, truth))


def scores_of(k: Kappa) -> Scores:
    """Precision, recall and F1 of coder a (predicted) against coder b (truth) from their κ counts."""
    tp, fp, fn = k.both, k.a_only, k.b_only
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(k.n_units, tp, fp, fn, k.neither, precision, recall, f1)
