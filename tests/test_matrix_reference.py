"""The vectorised theme matrix gives, cell for cell and type for type, the frame the per-code loop gave.

``reference_theme_matrix`` and ``reference_by_source`` are the functions of stats/matrix.py before the counting was
vectorised (one groupby per code and dimension, iterrows), kept here only as the yardstick. Both sides run on the
shipped corpus's matrix inputs and on the hand-made fixture of tests/test_matrix.py; the tests themselves are
replaced by a quick asymptotic stand-in (the same on both sides) where the Monte Carlo would only cost time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bolyst.stats import analysis, matrix
from bolyst.stats.matrix import (DIMENSIONS, MATRIX_COLUMNS, SEED, SOURCE_DOMINANCE, UNTESTED, bh_qvalues,
                                 quotes_path)
from scipy.stats import chi2_contingency

from tests.test_matrix import CODINGS


def _reference_cells(coded, chars, code, theme, level, dimension, seed):
    chars = chars.assign(coded=chars["excerpt"].isin(coded))
    counts = chars.groupby("category")["coded"].agg(["size", "sum"])
    speakers = chars.groupby("category")["unit"].nunique() if "unit" in chars else counts["size"]
    speakers_coded = (chars[chars["coded"]].groupby("category")["unit"].nunique() if "unit" in chars
                      else counts["sum"]).reindex(counts.index, fill_value=0)
    tested = counts[~counts.index.isin(UNTESTED)]
    table = np.column_stack([tested["sum"], tested["size"] - tested["sum"]]).astype(int)
    test, statistic, pval = matrix.contingency_test(table, seed)
    total, coded_total = tested["size"].sum(), tested["sum"].sum()
    expected = tested["size"] * coded_total / total if total else tested["size"] * np.nan
    exp_cells = np.concatenate([expected, tested["size"] - expected]) if total else np.array([])
    small = int((exp_cells < 5).sum())
    warning = (f"{small} of {len(exp_cells)} expected counts < 5 (smallest {exp_cells.min():.1f}): "
               "few excerpts, read shares with care" if small and test else None)
    if test and dimension != "source" and "source" in chars:
        top = chars[~chars["category"].isin(UNTESTED)].groupby("category")["source"].agg(
            lambda s: s.value_counts(normalize=True).iloc[0])
        dominated = [str(c) for c, share in top.items() if share >= SOURCE_DOMINANCE]
        if dominated:
            note = (f"categories {', '.join(dominated)}: at least {SOURCE_DOMINANCE:.0%} of their excerpts come from "
                    "one source, so a difference may be the source's (theme_matrix_sources)")
            warning = f"{warning}; {note}" if warning else note
    rows = []
    for category, r in counts.iterrows():
        rows.append({"code": code, "theme": theme, "level": level, "dimension": dimension, "category": category,
                     "n_excerpts": int(r["size"]), "n_coded": int(r["sum"]), "share": r["sum"] / r["size"],
                     "n_speakers": int(speakers[category]), "n_speakers_coded": int(speakers_coded[category]),
                     "expected": float(expected[category]) if category in expected.index else None,
                     "test": test, "statistic": statistic, "pval": pval,
                     "min_expected": float(exp_cells.min()) if test else None, "warning": warning,
                     "quotes_path": quotes_path(code, dimension, str(category))})
    return rows


def reference_theme_matrix(members, characteristics, seed=SEED):
    rows = []
    for (code, theme, level), group in members.groupby(["code", "theme", "level"], sort=True):
        coded = set(group["excerpt"])
        for dimension in DIMENSIONS:
            chars = characteristics[characteristics["dimension"] == dimension]
            if len(chars):
                rows.extend(_reference_cells(coded, chars, code, theme, level, dimension, seed))
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    tests = frame.drop_duplicates(["code", "dimension"])[["code", "dimension", "pval"]]
    tests = tests.assign(qval=bh_qvalues(tests["pval"]))
    return frame.drop(columns="qval").merge(tests[["code", "dimension", "qval"]], on=["code", "dimension"])[
        MATRIX_COLUMNS]


def reference_by_source(members, characteristics):
    chars = characteristics[characteristics["dimension"] != "source"]
    rows = []
    for code, group in members.groupby("code", sort=True):
        coded = chars.assign(coded=chars["excerpt"].isin(set(group["excerpt"])))
        counts = coded.groupby(["dimension", "category", "source"])["coded"].agg(["size", "sum"]).reset_index()
        rows.append(counts.assign(code=code).rename(columns={"size": "n_excerpts", "sum": "n_coded"}))
    return pd.concat(rows, ignore_index=True)[["code", "dimension", "category", "source", "n_excerpts", "n_coded"]]


def reference_characteristics(excerpts, linked):
    rows = []
    for e in excerpts.sort_values("id").itertuples():
        rows.append((e.id, "speaker_role", e.speaker_role if isinstance(e.speaker_role, str) else "unknown"))
        rows.append((e.id, "source", e.source))
    for dimension in ("centrality_class", "landsdel", "population_band"):
        values = linked.groupby("excerpt")[dimension].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed")
        for e in sorted(excerpts["id"]):
            value = values.get(e, "unknown")
            rows.append((e, dimension, str(int(value)) if isinstance(value, (int, float, np.integer)) else value))
    return pd.DataFrame(rows, columns=["excerpt", "dimension", "category"])


def asymptotic(table: np.ndarray, seed: int = SEED):
    """A quick stand-in for the Monte Carlo test (same on both sides): chi-square's asymptotic p."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return None, None, None
    result = chi2_contingency(table, correction=False)
    return "chi2_asymptotic", float(result.statistic), float(result.pvalue)


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns, dtypes, order and values, down to each value's type (None is not NaN, 1 is not 1.0)."""
    assert list(got.columns) == list(want.columns) and got.dtypes.to_dict() == want.dtypes.to_dict()
    assert got.index.equals(want.index)
    for column in want.columns:
        for i, (a, b) in enumerate(zip(got[column].tolist(), want[column].tolist(), strict=True)):
            both_nan = isinstance(a, float) and isinstance(b, float) and a != a and b != b
            assert both_nan or (type(a), a) == (type(b), b), (column, i, a, b)


@pytest.fixture(scope="module")
def shipped(built_db):
    data = analysis.inputs(built_db)
    return analysis.matrix_inputs(data, analysis.read(built_db, "select * from excerpt_places"))


def test_the_shipped_corpus_characteristics_are_the_reference_ones(built_db):
    data = analysis.inputs(built_db)
    linked = analysis.placed_attributes(analysis.read(built_db, "select * from excerpt_places"), data)
    assert linked["excerpt"].duplicated().any()  # excerpts placed in several municipalities («mixed» or not)
    assert_same(matrix.characteristics(data["excerpts"], linked), reference_characteristics(data["excerpts"], linked))


def test_the_shipped_corpus_matrix_is_the_reference_one(shipped, monkeypatch):
    monkeypatch.setattr(matrix, "contingency_test", asymptotic)
    chars, members = shipped
    got, want = matrix.theme_matrix(members, chars), reference_theme_matrix(members, chars)
    assert len(want) > 10_000 and want["test"].notna().sum() > 1000
    assert_same(got, want)
    assert_same(matrix.by_source(members, chars), reference_by_source(members, chars))


def test_the_shipped_corpus_matrix_with_the_monte_carlo_test_on_a_few_codes(shipped):
    """The real tests on a few codes' tables (the whole matrix's Monte Carlo takes seconds on each side)."""
    chars, members = shipped
    some = members[members["code"].isin(sorted(members["code"].unique())[:4])]
    got = matrix.theme_matrix(some, chars)
    assert set(got["test"].dropna()) == {"chi2_monte_carlo"}
    assert_same(got, reference_theme_matrix(some, chars))


def test_the_tests_in_two_processes_give_the_same_matrix(shipped):
    """``jobs`` = 2 tests the tables in two forked processes first: the same frame, value for value."""
    chars, members = shipped
    some = members[members["code"].isin(sorted(members["code"].unique())[4:8])]
    one = matrix.theme_matrix(some, chars)
    assert set(one["test"].dropna()) >= {"chi2_monte_carlo"}
    assert_same(matrix.theme_matrix(some, chars, jobs=2), one)
    found = matrix._tested_in_parallel(some, chars, SEED, {}, 2)  # what the processes returned, table by table
    assert len(found) > 10 and all(matrix.contingency_test(np.array(k), SEED) == v for k, v in found.items())


def test_the_hand_made_fixture_without_speakers_or_sources():
    excerpts = pd.DataFrame({"id": [f"e{i}" for i in range(1, 11)], "source": ["a"] * 5 + ["b"] * 5,
                             "speaker_role": ["refugee"] * 6 + [None] * 4})
    linked = pd.DataFrame({"excerpt": ["e1", "e2", "e2"], "landsdel": ["Nord-Norge", "Nord-Norge", "Østlandet"],
                           "centrality_class": [5, 5, 5], "population_band": ["x", "x", "x"]})
    chars = matrix.characteristics(excerpts, linked)
    assert_same(chars, reference_characteristics(excerpts, linked))
    members = matrix.cell_members(matrix.codings_in_force(CODINGS))
    assert_same(matrix.theme_matrix(members, chars), reference_theme_matrix(members, chars))
    assert_same(matrix.theme_matrix(members.iloc[:0], chars), reference_theme_matrix(members.iloc[:0], chars))
