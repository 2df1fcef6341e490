"""Matrix coding: which codings count, hand-counted cells, exact tests against independent computations.

Fixture: SYNTHETIC codings and characteristics of ten excerpt ids.
"""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest
from bolyst.stats.matrix import (
    RESAMPLES,
    SEED,
    cell_members,
    characteristics,
    codings_in_force,
    contingency_test,
    patefield,
    theme_matrix,
)

CODINGS = pd.DataFrame([
    # excerpt, code, theme, origin, status
    ("e1", "push.loneliness", "push", "rule", "suggested"),
    ("e2", "push.loneliness", "push", "rule", "rejected"),   # automatic, rejected on review
    ("e2", "push.loneliness", "push", "human", "rejected"),  # the human decision behind it
    ("e3", "push.loneliness", "push", "rule", "suggested"),
    ("e3", "push.loneliness", "push", "human", "rejected"),  # human overrules automation
    ("e4", "push.jobs", "push", "human", "human"),           # human adds a code automation missed
    ("e5", "stay.family", "stay", "rule", "suggested"),
    ("e6", "push.loneliness", "push", "human", "human"),     # two coders disagree: tie → not applied
    ("e6", "push.loneliness", "push", "human", "rejected"),
], columns=["excerpt", "code", "theme", "origin", "status"])


def test_human_decisions_first_else_automatic():
    applied = codings_in_force(CODINGS)
    assert list(applied.itertuples(index=False, name=None)) == [
        ("e1", "push.loneliness", "push"), ("e4", "push.jobs", "push"), ("e5", "stay.family", "stay")]


def test_cell_members_roll_codes_up_to_themes():
    applied = pd.DataFrame([("e1", "push.loneliness.winter", "push"), ("e2", "push", "push")],
                           columns=["excerpt", "code", "theme"])
    assert list(cell_members(applied).itertuples(index=False, name=None)) == [
        ("push", "push", "theme", "e1"), ("push", "push", "theme", "e2"),
        ("push.loneliness", "push", "code", "e1"), ("push.loneliness.winter", "push", "code", "e1")]


def fisher_two_sided(table: np.ndarray) -> float:
    """Fisher's exact p by enumerating the hypergeometric distribution (independent of scipy)."""
    (a, b), (c, d) = table
    row1, col1, n = a + b, a + c, a + b + c + d

    def prob(x: int) -> float:
        return comb(col1, x) * comb(n - col1, row1 - x) / comb(n, row1)

    observed = prob(a)
    support = range(max(0, row1 + col1 - n), min(row1, col1) + 1)
    return sum(prob(x) for x in support if prob(x) <= observed * (1 + 1e-7))


def test_fisher_for_two_categories():
    table = np.array([[5, 1], [1, 5]])
    test, _, pval = contingency_test(table)
    assert test == "fisher_exact"
    assert pval == pytest.approx(fisher_two_sided(table))  # = 0.0800 (hand: 2·(1+...)/924 …)


def test_monte_carlo_chi_square_for_more_categories():
    table = np.array([[8, 2], [3, 7], [5, 5]])
    test, statistic, pval = contingency_test(table)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
    assert test == "chi2_monte_carlo"
    assert statistic == pytest.approx(((table - expected) ** 2 / expected).sum())
    assert 0 < pval < 1
    assert contingency_test(table) == (test, statistic, pval)  # fixed seed: same p every build


def test_drawing_in_batches_changes_no_p_value():
    """The Monte Carlo tables are drawn in batches only where scipy's Patefield sampler gives the same tables that
    way; the p-values equal scipy's drawn at once, on SYNTHETIC tables on both sides of scipy's rule."""
    from scipy.stats import MonteCarloMethod, chi2_contingency

    rng = np.random.default_rng(3)
    kinds = set()
    for rows, most in [(5, 60), (40, 30), (300, 4), (120, 3), (1500, 60)]:
        size = rng.integers(1, most, rows)
        coded = rng.binomial(size, 0.3)
        table = np.column_stack([coded, size - coded])
        at_once = chi2_contingency(table, correction=False, method=MonteCarloMethod(
            n_resamples=RESAMPLES, rng=np.random.default_rng(SEED)))
        assert contingency_test(table) == ("chi2_monte_carlo", at_once.statistic, at_once.pvalue)
        kinds.add(patefield(table))
    assert kinds == {True, False}  # both samplers were met


def test_nothing_to_test():
    assert contingency_test(np.array([[0, 4], [0, 6]])) == (None, None, None)  # nobody coded
    assert contingency_test(np.array([[3, 4], [0, 0]])) == (None, None, None)  # one category left


def test_theme_matrix_cells_hand_counted():
    excerpts = pd.DataFrame({"id": [f"e{i}" for i in range(1, 11)], "source": ["a"] * 5 + ["b"] * 5,
                             "speaker_role": ["refugee"] * 6 + [None] * 4})
    linked = pd.DataFrame({"excerpt": ["e1", "e2", "e2"], "landsdel": ["Nord-Norge", "Nord-Norge", "Østlandet"],
                           "centrality_class": [5, 5, 5], "population_band": ["x", "x", "x"]})
    chars = characteristics(excerpts, linked)
    assert chars.set_index(["excerpt", "dimension"])["category"].to_dict()[("e2", "landsdel")] == "mixed"
    members = cell_members(codings_in_force(CODINGS))
    result = theme_matrix(members, chars)
    push_source = result[(result["code"] == "push") & (result["dimension"] == "source")]
    # push applies to e1, e4 (source a); none of e6–e10 (source b).
    assert push_source[["category", "n_excerpts", "n_coded"]].to_dict("records") == [
        {"category": "a", "n_excerpts": 5, "n_coded": 2}, {"category": "b", "n_excerpts": 5, "n_coded": 0}]
    assert push_source["test"].unique().tolist() == ["fisher_exact"]
    assert push_source["pval"].iloc[0] == pytest.approx(fisher_two_sided(np.array([[2, 3], [0, 5]])))
    assert push_source["expected"].tolist() == [1.0, 1.0]
    assert push_source["warning"].iloc[0] == "4 of 4 expected counts < 5 (smallest 1.0): few excerpts, read shares with care"  # expected 1, 4, 1, 4
    assert push_source["quotes_path"].iloc[0] == "/bolyst/theme_quotes?code=push&dimension=source&category=a"
    roles = result[(result["code"] == "push") & (result["dimension"] == "speaker_role")]
    assert roles["category"].tolist() == ["refugee", "unknown"]
    assert roles["test"].isna().all()  # only one known category


def test_bh_qvalues_against_a_direct_implementation():
    """Direct BH: q_(i) = min over j ≥ i of p_(j) · m / j, capped at 1 (SYNTHETIC p-values, seeded)."""
    from bolyst.stats.matrix import bh_qvalues

    rng = np.random.default_rng(3)
    p = pd.Series(np.concatenate([rng.uniform(0, 0.01, 5), rng.uniform(0, 1, 40), [np.nan]]))
    got = bh_qvalues(p)
    values = p.dropna().to_numpy()
    m = len(values)
    direct = {}
    for i, pi in enumerate(values):
        rank = 1 + int(np.sum(values < pi)) + int(np.sum(values[:i] == pi))
        ranks = {j: 1 + int(np.sum(values < values[j])) + int(np.sum(values[:j] == values[j])) for j in range(m)}
        direct[i] = min(1.0, min(values[j] * m / ranks[j] for j in range(m) if ranks[j] >= rank))
    assert got.iloc[:m].tolist() == pytest.approx([direct[i] for i in range(m)])
    assert np.isnan(got.iloc[-1])
    # Hand example: p = 0.01, 0.04, 0.03 → sorted 0.01, 0.03, 0.04 → 0.03, 0.045, 0.04 → monotone 0.03, 0.04, 0.04.
    assert bh_qvalues(pd.Series([0.01, 0.04, 0.03])).tolist() == pytest.approx([0.03, 0.04, 0.04])


def test_nested_excerpts_collapse_into_the_outer_one():
    from bolyst.stats.matrix import collapse_nested

    excerpts = pd.DataFrame({"id": ["a", "b", "c", "d"], "source": ["s", "s", "s", "t"],
                             "text": ["Vi flyttet hit for jobben, og vi blir.", "flyttet hit for jobben", "vi blir",
                                      "flyttet hit for jobben"]})
    assert collapse_nested(excerpts) == {"a": "a", "b": "a", "c": "a", "d": "d"}  # d: another source


def test_built_matrix_has_q_values_speakers_and_source_split(built_db):
    tests = built_db.execute("select count(*), sum(pval < 0.05), sum(qval < 0.05), sum(qval < pval) from "
                             "(select distinct code, dimension, pval, qval from theme_matrix where pval is not null)"
                             ).fetchone()
    n, raw, corrected, below = tests
    assert n > 100 and corrected <= raw and below == 0
    assert built_db.execute("select count(*) from theme_matrix where n_speakers > n_excerpts "
                            "or n_speakers_coded > n_coded").fetchone() == (0,)
    assert built_db.execute("select count(*) from theme_matrix_sources").fetchone()[0] > 0
    # The source split adds up to the cell (dimension other than source).
    mismatch = built_db.execute(
        "select count(*) from theme_matrix t join (select code, dimension, category, sum(n_excerpts) as n, "
        "sum(n_coded) as c from theme_matrix_sources group by 1, 2, 3) s using (code, dimension, category) "
        "where s.n != t.n_excerpts or s.c != t.n_coded").fetchone()
    assert mismatch == (0,)
