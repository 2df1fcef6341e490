"""The exact-conditional test of the theme matrix (stats/matrix.py): a categories × (coded, not coded) table,
Fisher's exact test for 2 × 2, otherwise the chi-square statistic with a Monte Carlo p-value from 9,999 random
tables with the same margins (scipy), seeded: a test's result is a function of its table alone.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import MonteCarloMethod, chi2_contingency, fisher_exact

RESAMPLES = 9999
BATCH = 1000  # random tables drawn and scored at a time, where that changes nothing (see :func:`patefield`)
SEED = 20251114

Tested = tuple[str | None, float | None, float | None]


def table_key(table: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """A tested table as a hashable key: its rows of (coded, not coded) counts."""
    return tuple(map(tuple, np.asarray(table, dtype=np.int64).tolist()))


def contingency_test(table: np.ndarray, seed: int = SEED) -> tuple[str | None, float | None, float | None]:
    """(test name, statistic, p-value) for a categories × (coded, not coded) table of counts."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return None, None, None
    if table.shape == (2, 2):
        result = fisher_exact(table)
        return "fisher_exact", float(result.statistic), float(result.pvalue)
    method = MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(seed),
                              batch=BATCH if patefield(table) else None)
    result = chi2_contingency(table, correction=False, method=method)
    return "chi2_monte_carlo", float(result.statistic), float(result.pvalue)


def patefield(table: np.ndarray) -> bool:
    """Does scipy draw this table's random tables with Patefield's algorithm (``random_table``'s own rule:
    more excerpts than log(n + 1) × cells), one table after another from one generator? Then drawing them in
    batches gives the same tables and the same p-value, in bounded memory: 9,999 tables of a source table at
    100,000 excerpts are ~360 MB per temporary at once, and took twice the time. (Boyett's algorithm, for
    sparse tables, draws differently in batches: those are drawn at once, as before.)"""
    n = int(table.sum())
    return n > np.log(n + 1) * table.size
