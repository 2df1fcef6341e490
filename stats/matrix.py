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

from urllib.parse import urlencode

import numpy as np
import pandas as pd
from scipy.stats import MonteCarloMethod, chi2_contingency, fisher_exact

DIMENSIONS = ("centrality_class", "landsdel", "population_band", "speaker_role", "source")
UNTESTED = ("unknown", "mixed")
RESAMPLES = 9999
SEED = 20251114
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


def contingency_test(table: np.ndarray, seed: int = SEED) -> tuple[str | None, float | None, float | None]:
    """(test name, statistic, p-value) for a categories × (coded, not coded) table of counts."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return None, None, None
    if table.shape == (2, 2):
        result = fisher_exact(table)
        return "fisher_exact", float(result.statistic), float(result.pvalue)
    method = MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(seed))
    result = chi2_contingency(table, correction=False, method=method)
    return "chi2_monte_carlo", float(result.statistic), float(result.pvalue)


def quotes_path(code: str, dimension: str, category: str, db: str = "bolyst") -> str:
    """Datasette path of the canned query listing the excerpts of one matrix cell."""
    return f"/{db}/theme_quotes?" + urlencode({"code": code, "dimension": dimension, "category": category})


def _cells(coded: set[str], chars: pd.DataFrame, code: str, theme: str, level: str, dimension: str,
           seed: int) -> list[dict]:
    chars = chars.assign(coded=chars["excerpt"].isin(coded))
    counts = chars.groupby("category")["coded"].agg(["size", "sum"])
    speakers = chars.groupby("category")["unit"].nunique() if "unit" in chars else counts["size"]
    speakers_coded = (chars[chars["coded"]].groupby("category")["unit"].nunique() if "unit" in chars
                      else counts["sum"]).reindex(counts.index, fill_value=0)
    tested = counts[~counts.index.isin(UNTESTED)]
    table = np.column_stack([tested["sum"], tested["size"] - tested["sum"]]).astype(int)
    test, statistic, pval = contingency_test(table, seed)
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


def theme_matrix(members: pd.DataFrame, characteristics: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Counts, shares and tests of every code and theme by every dimension.

    ``members``: from :func:`cell_members` (code, theme, level, excerpt). ``characteristics``: excerpt,
    dimension, category — one row per excerpt and dimension for every excerpt in the corpus (the
    denominator). Missing values: an excerpt whose category is unknown or mixed is counted in its own
    row but not tested.
    """
    rows = []
    for (code, theme, level), group in members.groupby(["code", "theme", "level"], sort=True):
        coded = set(group["excerpt"])
        for dimension in DIMENSIONS:
            chars = characteristics[characteristics["dimension"] == dimension]
            if len(chars):
                rows.extend(_cells(coded, chars, code, theme, level, dimension, seed))
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    tests = frame.drop_duplicates(["code", "dimension"])[["code", "dimension", "pval"]]
    tests = tests.assign(qval=bh_qvalues(tests["pval"]))
    return frame.drop(columns="qval").merge(tests[["code", "dimension", "qval"]], on=["code", "dimension"])[
        MATRIX_COLUMNS]


def by_source(members: pd.DataFrame, characteristics: pd.DataFrame) -> pd.DataFrame:
    """The matrix counts split by source document: code, dimension, category, source, n_excerpts, n_coded."""
    chars = characteristics[characteristics["dimension"] != "source"]
    rows = []
    for code, group in members.groupby("code", sort=True):
        coded = chars.assign(coded=chars["excerpt"].isin(set(group["excerpt"])))
        counts = coded.groupby(["dimension", "category", "source"])["coded"].agg(["size", "sum"]).reset_index()
        rows.append(counts.assign(code=code).rename(columns={"size": "n_excerpts", "sum": "n_coded"}))
    if not rows:
        return pd.DataFrame(columns=["code", "dimension", "category", "source", "n_excerpts", "n_coded"])
    return pd.concat(rows, ignore_index=True)[["code", "dimension", "category", "source", "n_excerpts", "n_coded"]]


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
        values = linked.groupby("excerpt")[dimension].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed")
        for e in sorted(excerpts["id"]):
            value = values.get(e, "unknown")
            rows.append((e, dimension, str(int(value)) if isinstance(value, (int, float, np.integer)) else value))
    return pd.DataFrame(rows, columns=["excerpt", "dimension", "category"])
