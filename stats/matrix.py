"""Matrix coding: how often each theme and code occurs among excerpts by a characteristic of their place.

Unit of analysis: the excerpt. Each excerpt has exactly one category per dimension (centrality class,
landsdel, population band, speaker role, source); «unknown» when the source does not say and «mixed»
when its linked municipalities disagree. Those two are counted but left out of the test. For each code
(themes count as codes) and dimension the test asks whether the share of excerpts carrying the code
differs between categories: Fisher's exact test for a 2 × 2 table, otherwise the chi-square statistic
with a Monte Carlo p-value from tables with the same margins (scipy ``chi2_contingency`` with
``MonteCarloMethod``, 9 999 tables, fixed seed — an exact-conditional test, repeatable). A warning is set
where expected counts are small (< 5), where a p-value says little either way.

Multiple testing: one test per code and dimension, several hundred in all, so ``qval`` gives the
Benjamini–Hochberg q-value over every test of the matrix beside the raw p; only q says whether a
difference survives the number of tests. Independence: an excerpt that lies inside another excerpt of
the same source (its text contained in the other's) is collapsed into the outer one, which carries the
codes of both (:func:`collapse_nested`), and the speakers behind each cell are counted beside the
excerpts (``n_speakers``, ``n_speakers_coded``; an excerpt without a speaker counts as its own). The
confounding with the source document shows in ``theme_matrix_sources`` (the same counts split by source)
and in the warning when one source supplies most of a category.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import quote_plus, urlencode

import numpy as np
import pandas as pd

from .montecarlo import (  # noqa: F401  (RESAMPLES, BATCH, patefield: read here by tests and reuse)
    BATCH, RESAMPLES, SEED, Tested, contingency_test, patefield, table_key)

DIMENSIONS = ("centrality_class", "landsdel", "population_band", "speaker_role", "source")
UNTESTED = ("unknown", "mixed")
MATRIX_COLUMNS = ["code", "theme", "level", "dimension", "category", "n_excerpts", "n_coded", "share",
                  "n_speakers", "n_speakers_coded", "expected", "test", "statistic", "pval", "qval",
                  "min_expected", "warning", "quotes_path"]
SOURCE_DOMINANCE = 0.8  # a category whose excerpts come this much from one source gets a warning


def bh_qvalues(pvals: pd.Series) -> pd.Series:
    """Benjamini–Hochberg q-values (step-up, monotone, capped at 1); missing p stays missing."""
    p = pvals.dropna().astype(float)
    m = len(p)
    if not m:
        return pd.Series(np.nan, index=pvals.index)
    order = np.argsort(p.to_numpy(), kind="mergesort")
    ranked = p.to_numpy()[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = pd.Series(np.nan, index=pvals.index)
    out.loc[p.index[order]] = q
    return out


def collapse_nested(excerpts: pd.DataFrame) -> dict[str, str]:
    """excerpt → the outermost excerpt of the same source whose text contains it (itself when none)."""
    parent: dict[str, str] = {}
    for _, group in excerpts.groupby("source"):
        items = sorted(zip(group["id"], group["text"].fillna("")), key=lambda t: (-len(t[1]), t[0]))
        for i, (eid, text) in enumerate(items):
            outer = next((oid for oid, otext in items[:i] if len(otext) > len(text) and text and text in otext), None)
            parent[eid] = parent.get(outer, outer) if outer else eid
    return parent


def quotes_path(code: str, dimension: str, category: str, db: str = "bolyst") -> str:
    """Datasette path of the canned query listing the excerpts of one matrix cell."""
    return f"/{db}/theme_quotes?" + urlencode({"code": code, "dimension": dimension, "category": category})


def _query(value: str) -> str:
    return quote_plus(value, safe="")


def _quotes_paths(codes: np.ndarray, dimension: str, categories: np.ndarray, db: str = "bolyst") -> list[str]:
    """:func:`quotes_path` of every (code, category) pair, code-major, each part quoted once."""
    codes_q = [f"/{db}/theme_quotes?code={_query(c)}&dimension={_query(dimension)}&category=" for c in codes]
    cats_q = [_query(str(c)) for c in categories]
    return [c + k for c in codes_q for k in cats_q]


def dominance_note(chars: pd.DataFrame, dimension: str) -> str | None:
    """The warning for a dimension's categories whose excerpts come mostly from one source (None when none do)."""
    if dimension == "source" or "source" not in chars:
        return None
    top = chars[~chars["category"].isin(UNTESTED)].groupby("category")["source"].agg(
        lambda s: s.value_counts(normalize=True).iloc[0])
    dominated = [str(c) for c, share in top.items() if share >= SOURCE_DOMINANCE]
    if not dominated:
        return None
    return (f"categories {', '.join(dominated)}: at least {SOURCE_DOMINANCE:.0%} of their excerpts come from "
            "one source, so a difference may be the source's (theme_matrix_sources)")


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _counts(pairs: pd.DataFrame, chars: pd.DataFrame, categories: pd.Index, n_groups: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Coded excerpts and coded speakers per (group, category): ``pairs`` (g, excerpt) against one dimension."""
    hits = pairs.merge(chars[["excerpt", "category"] + (["unit"] if "unit" in chars else [])], on="excerpt")
    hits = hits[hits["category"].notna()]
    coded = np.zeros((n_groups, len(categories)), dtype=np.int64)
    np.add.at(coded, (hits["g"].to_numpy(), categories.get_indexer(hits["category"])), 1)
    if "unit" not in chars:
        return coded, coded
    units = hits.dropna(subset=["unit"]).drop_duplicates(["g", "category", "unit"])
    speakers = np.zeros_like(coded)
    np.add.at(speakers, (units["g"].to_numpy(), categories.get_indexer(units["category"])), 1)
    return coded, speakers


def _dimension(groups: pd.DataFrame, pairs: pd.DataFrame, chars: pd.DataFrame, dimension: str,
               test: Callable[[np.ndarray], tuple]) -> dict[str, list]:
    """The cells of every group (code, theme, level) in one dimension, group-major, categories sorted."""
    sizes = chars.groupby("category").size()
    categories, n = sizes.index, sizes.to_numpy()
    speakers = chars.groupby("category")["unit"].nunique().to_numpy() if "unit" in chars else n
    coded, speakers_coded = _counts(pairs, chars, categories, len(groups))
    tested = ~categories.isin(UNTESTED)
    n_t, coded_t = n[tested], coded[:, tested]
    total, coded_total = n_t.sum(), coded_t.sum(axis=1)
    expected = np.full(coded.shape, np.nan)
    cells = {"test": [], "statistic": [], "pval": [], "min_expected": [], "warning": []}
    note = dominance_note(chars, dimension)
    for g in range(len(groups)):
        name, statistic, pval = test(np.column_stack([coded_t[g], n_t - coded_t[g]]).astype(int))
        exp_cells = np.array([])
        if total:
            expected[g, tested] = n_t * coded_total[g] / total
            exp_cells = np.concatenate([expected[g, tested], n_t - expected[g, tested]])
        small = int((exp_cells < 5).sum())
        warning = (f"{small} of {len(exp_cells)} expected counts < 5 (smallest {exp_cells.min():.1f}): "
                   "few excerpts, read shares with care" if small and name else None)
        if name and note:
            warning = f"{warning}; {note}" if warning else note
        for key, value in zip(cells, (name, statistic, pval, float(exp_cells.min()) if name else None, warning)):
            cells[key].append(value)
    k = len(categories)
    expected_cells = np.where(np.tile(tested, len(groups)), expected.ravel(), None)
    return {"code": np.repeat(groups["code"].to_numpy(), k), "theme": np.repeat(groups["theme"].to_numpy(), k),
            "level": np.repeat(groups["level"].to_numpy(), k), "dimension": np.full(coded.size, dimension, object),
            "category": np.tile(categories.to_numpy(), len(groups)), "n_excerpts": np.tile(n, len(groups)),
            "n_coded": coded.ravel(), "share": (coded / n).ravel(), "n_speakers": np.tile(speakers, len(groups)),
            "n_speakers_coded": speakers_coded.ravel(), "expected": expected_cells,
            **{key: np.repeat(_objects(values), k) for key, values in cells.items()},
            "quotes_path": np.array(_quotes_paths(groups["code"].to_numpy(), dimension, categories.to_numpy()),
                                    dtype=object),
            "_g": np.repeat(np.arange(len(groups)), k), "_c": np.tile(np.arange(k), len(groups))}


def codings_in_force(codings: pd.DataFrame) -> pd.DataFrame:
    """Which excerpts carry which code: (excerpt, code, theme) pairs in force.

    ``codings``: the coding stage's table (excerpt, code, theme, origin, status). Where human coders
    decided on an excerpt and code, their decisions are the truth: the code applies when more of them
    apply it (status 'human' or 'accepted') than reject it (ties: not applied). Elsewhere the codebook
    rules' suggestions apply (origin 'rule', status 'suggested' or 'accepted'); the trained model's
    (origin 'model') are for review only and are not counted.
    """
    human = codings[codings["origin"] == "human"]
    votes = human.assign(vote=np.where(human["status"] == "rejected", -1, 1))
    decided = votes.groupby(["excerpt", "code", "theme"], as_index=False)["vote"].sum()
    keys = set(zip(decided["excerpt"], decided["code"]))
    auto = codings[(codings["origin"] == "rule") & codings["status"].isin(["suggested", "accepted"])]
    auto = auto[np.array([(e, c) not in keys for e, c in zip(auto["excerpt"], auto["code"])], dtype=bool)]
    applied = pd.concat([decided[decided["vote"] > 0][["excerpt", "code", "theme"]],
                         auto[["excerpt", "code", "theme"]]])
    return applied.drop_duplicates().sort_values(["excerpt", "code"]).reset_index(drop=True)


def cell_members(applied: pd.DataFrame) -> pd.DataFrame:
    """(code, theme, level, excerpt) for every theme and code: a theme or code is present on an excerpt when
    it or any code under it (dotted ids: 'push.x' is under 'push') is applied."""
    rows = set()
    for r in applied.itertuples():
        rows.add((r.theme, r.theme, "theme", r.excerpt))
        parts = r.code.split(".")
        for depth in range(2, len(parts) + 1):
            rows.add((".".join(parts[:depth]), r.theme, "code", r.excerpt))
    frame = pd.DataFrame(sorted(rows), columns=["code", "theme", "level", "excerpt"])
    return frame


def theme_matrix(members: pd.DataFrame, characteristics: pd.DataFrame, seed: int = SEED,
                 known: dict[tuple, Tested] | None = None, jobs: int = 1) -> pd.DataFrame:
    """Counts, shares and tests of every code and theme by every dimension.

    ``members``: from :func:`cell_members` (code, theme, level, excerpt). ``characteristics``: excerpt,
    dimension, category — one row per excerpt and dimension for every excerpt in the corpus (the
    denominator). Missing values: an excerpt whose category is unknown or mixed is counted in its own
    row but not tested. A test's result is a function of its table and ``seed`` alone, so each distinct table
    is tested once; ``known`` (:func:`table_key` → result, e.g. from the previous build, tested with the same
    seed, resamples and scipy) spares testing those tables again. ``jobs`` > 1: the tables not known are tested
    in that many processes first (each test is seeded by itself, so the results are the same for any number).
    """
    results = dict(known or {})
    if jobs > 1:
        results.update(_tested_in_parallel(members, characteristics, seed, results, jobs))

    def test(table: np.ndarray) -> Tested:
        key = table_key(table)
        if key not in results:
            results[key] = contingency_test(table, seed)
        return results[key]

    return _frame(members, characteristics, test)


def _frame(members: pd.DataFrame, characteristics: pd.DataFrame, test: Callable[[np.ndarray], Tested]
           ) -> pd.DataFrame:
    groups = members[["code", "theme", "level"]].dropna().drop_duplicates().sort_values(
        ["code", "theme", "level"]).reset_index(drop=True)
    pairs = members.merge(groups.reset_index(names="g"), on=["code", "theme", "level"])[["g", "excerpt"]]
    pairs = pairs.drop_duplicates()
    parts = [(d, _dimension(groups, pairs, chars, d, test)) for d in DIMENSIONS
             if len(chars := characteristics[characteristics["dimension"] == d])]
    if parts and len(groups):
        position = {d: i for i, d in enumerate(DIMENSIONS)}
        order = np.lexsort(tuple(np.concatenate(k) for k in (
            [p["_c"] for _, p in parts], [np.full(len(p["_g"]), position[d]) for d, p in parts],
            [p["_g"] for _, p in parts])))
        frame = pd.DataFrame({c: np.concatenate([p[c] for _, p in parts])[order].tolist()
                              for c in MATRIX_COLUMNS if c != "qval"}).assign(qval=None)[MATRIX_COLUMNS]
    else:
        frame = pd.DataFrame([], columns=MATRIX_COLUMNS)
    tests = frame.drop_duplicates(["code", "dimension"])[["code", "dimension", "pval"]]
    tests = tests.assign(qval=bh_qvalues(tests["pval"]))
    return frame.drop(columns="qval").merge(tests[["code", "dimension", "qval"]], on=["code", "dimension"])[
        MATRIX_COLUMNS]


def _tested_in_parallel(members: pd.DataFrame, characteristics: pd.DataFrame, seed: int,
                        known: dict[tuple, Tested], jobs: int) -> dict[tuple, Tested]:
    """Every table the matrix will test and ``known`` lacks, tested in ``jobs`` forked processes (one pass of the
    counting finds them: it costs little beside the tests)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return {}
    todo: dict[tuple, np.ndarray] = {}

    def collect(table: np.ndarray) -> Tested:
        key = table_key(table)
        if key not in known:
            todo.setdefault(key, table)
        return None, None, None

    _frame(members, characteristics, collect)
    if len(todo) < 2:
        return {}
    # the largest tables first, so no process is left with one long test at the end
    keys = sorted(todo, key=lambda k: -todo[k].size)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        found = pool.map(contingency_test, [todo[k] for k in keys], [seed] * len(keys))
        return dict(zip(keys, found))


def by_source(members: pd.DataFrame, characteristics: pd.DataFrame) -> pd.DataFrame:
    """The matrix counts split by source document: code, dimension, category, source, n_excerpts, n_coded."""
    columns = ["code", "dimension", "category", "source", "n_excerpts", "n_coded"]
    chars = characteristics[characteristics["dimension"] != "source"]
    codes = np.sort(members["code"].dropna().unique())
    if not len(codes):
        return pd.DataFrame(columns=columns)
    keys = ["dimension", "category", "source"]
    sizes = chars.groupby(keys).size()
    hits = members[["code", "excerpt"]].dropna().drop_duplicates().merge(chars, on="excerpt")
    coded = hits.groupby(["code", *keys]).size()
    grid = pd.MultiIndex.from_arrays([np.repeat(codes, len(sizes))] + [
        np.tile(sizes.index.get_level_values(k).to_numpy(), len(codes)) for k in keys], names=["code", *keys])
    n_coded = coded.reindex(grid, fill_value=0).to_numpy()
    return grid.to_frame(index=False).assign(n_excerpts=np.tile(sizes.to_numpy(), len(codes)), n_coded=n_coded)[
        columns]


def characteristics(excerpts: pd.DataFrame, linked: pd.DataFrame) -> pd.DataFrame:
    """One category per excerpt and dimension.

    ``excerpts``: id, speaker_role, source. ``linked``: excerpt, centrality_class, landsdel,
    population_band — one row per municipality the source places the excerpt in (exact and profile
    links, not mentions), with the municipality's attributes at the interview date.
    """
    rows = []
    for e in excerpts.sort_values("id").itertuples():
        rows.append((e.id, "speaker_role", e.speaker_role if isinstance(e.speaker_role, str) else "unknown"))
        rows.append((e.id, "source", e.source))
    for dimension in ("centrality_class", "landsdel", "population_band"):
        # an excerpt's first linked value when its links agree on one value, else «mixed»
        first = linked.drop_duplicates("excerpt").set_index("excerpt")[dimension]
        agree = linked.groupby("excerpt")[dimension].nunique().reindex(first.index) == 1
        values = first.astype(object).where(agree, "mixed")
        for e in sorted(excerpts["id"]):
            value = values.get(e, "unknown")
            rows.append((e, dimension, str(int(value)) if isinstance(value, (int, float, np.integer)) else value))
    return pd.DataFrame(rows, columns=["excerpt", "dimension", "category"])
