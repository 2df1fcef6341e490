"""Agreement between coders: Cohen's κ per pair, Krippendorff's α across all, and the automatic coder's
precision / recall / F1 against each human coder — per code and per theme, on each split (seed documents:
training and held-out; development set: dev and test) and on all, and per language (nb, nn, en) for the themes.

Unit of analysis: one excerpt × one code, valued *present* or *absent*. A coder applies a code when it
(or any code under it in the codebook tree) is among the coder's codings of the excerpt, so a theme is
present when any of its sub-codes is. A human coder applies the codes their latest decisions add or
accept. Which excerpts a coder has coded (``units``):

* ``"corpus"`` (the default): a coder has coded every excerpt they read (:class:`~bolyst.coding.decisions.Reading`:
  the whole development set for its coders; of the documents, those the coder made a decision in); an
  excerpt read without a decision carries none of their codes. This is how coding/decisions/ is written:
  each coder read every excerpt in scope and recorded only the codes that apply.
* ``"decided"``: a human coder has coded only the excerpts with at least one decision in their file (for
  coders who reviewed part of the corpus). Excerpts a coder did not code are then missing values, not
  absences: κ and the scores use the excerpts both sides coded; α uses every excerpt coded by at least two.

A language model run by ``bolyst code --llm-url`` is the coder "llm:<model>": it has coded the excerpts
it was sent (table llm_answers), and is compared and scored like any automatic coder.

The automatic coders have always coded every excerpt: "auto" (the codebook rules, origin rule) and, when
the build trained one (a ``coding_models`` row), "model" (the trained suggester, origin model) and
"combined" (what ``bolyst code`` suggests: the rules' codes plus each theme the model suggests). Each is
compared with every other coder like any coder, and scored (precision / recall / F1) against each human.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations

import sqlite_utils
from bolyst.corpus.shape import ensure_shape

from . import schema
from .coder import AUTO, AUTOMATIC, COMBINED, MODEL
from .decisions import Reading
from .splits import DEV, HELDOUT, TEST, TRAINING

LLM_PREFIX = "llm:"  # a language model's coder id is 'llm:<model>' (coding/llm/)


def is_automatic(coder: str) -> bool:
    """True for the rules, the trained model, the two combined and any language model ('llm:<model>')."""
    return coder in AUTOMATIC or coder.startswith(LLM_PREFIX)


SPLITS = (TEST, HELDOUT, DEV, TRAINING, "all")
LANGS = ("all", "nb", "nn", "en")
UNITS = ("corpus", "decided")


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
    n = len(a)
    both, a_only, b_only, neither = pairs[True, True], pairs[True, False], pairs[False, True], pairs[False, False]
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
    coincidences: Counter[tuple[Hashable, Hashable]] = Counter()
    n_units = 0
    for values in units:
        counts = Counter(v for v in values if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        n_units += 1
        for c in counts:
            for k in counts:
                coincidences[c, k] += counts[c] * (counts[k] - (c == k)) / (m - 1)
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
    k = cohen_kappa(predicted, truth)
    tp, fp, fn = k.both, k.a_only, k.b_only
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(k.n_units, tp, fp, fn, k.neither, precision, recall, f1)


@dataclass(frozen=True)
class Ratings:
    """One coder's work: the excerpts coded, and the (excerpt, code) pairs applied (ancestors included)."""

    coder: str
    units: frozenset[str]
    present: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class CodeNode:
    id: str
    theme: str
    depth: int


def with_ancestors(pairs: Iterable[tuple[str, str]], parents: dict[str, str | None]) -> frozenset[tuple[str, str]]:
    out = set()
    for excerpt, code in pairs:
        node: str | None = code
        while node is not None:
            out.add((excerpt, node))
            node = parents.get(node)
    return frozenset(out)


def agreement_tables(coders: Sequence[Ratings], codes: Sequence[CodeNode], split_of: dict[str, str],
                     lang_of: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """Tidy rows for agreement_kappa, agreement_alpha and agreement_scores (see schema.py): per code and split
    over every language, and per theme, split and language (``lang_of``: excerpt → nb | nn | en)."""
    coders = sorted(coders, key=lambda r: (AUTOMATIC.index(r.coder) if r.coder in AUTOMATIC
                                           else len(AUTOMATIC) if is_automatic(r.coder) else len(AUTOMATIC) + 1,
                                           r.coder))
    lang_of = lang_of or {}
    tables: dict[str, list[dict]] = {"agreement_kappa": [], "agreement_alpha": [], "agreement_scores": []}
    for split in SPLITS:
        in_split = {e for e, s in split_of.items() if split in ("all", s)}
        for node in codes:
            for lang in LANGS if node.depth == 0 else ("all",):
                units = in_split if lang == "all" else {e for e in in_split if lang_of.get(e) == lang}
                where = {"level": "theme" if node.depth == 0 else "code", "code": node.id, "theme": node.theme,
                         "split": split, "lang": lang}
                for row_kind, row in _rows(coders, node.id, units):
                    tables[row_kind].append({**where, **row})
    return tables


def _rows(coders: Sequence[Ratings], code: str, in_split: set[str]) -> Iterable[tuple[str, dict]]:
    for a, b in combinations(coders, 2):
        units = sorted(a.units & b.units & in_split)
        if units:
            k = cohen_kappa([(u, code) in a.present for u in units], [(u, code) in b.present for u in units])
            yield "agreement_kappa", {"coder_a": a.coder, "coder_b": b.coder, **asdict(k)}
            if is_automatic(a.coder) and not is_automatic(b.coder):
                yield "agreement_scores", {"auto_coder": a.coder, "coder": b.coder, **asdict(precision_recall(
                    [(u, code) in a.present for u in units], [(u, code) in b.present for u in units]))}
    units = sorted(in_split)
    table = [[((u, code) in r.present) if u in r.units else None for r in coders] for u in units]
    alpha = krippendorff_alpha(table)
    if alpha.n_units:
        yield "agreement_alpha", {"coders": ", ".join(r.coder for r in coders), **asdict(alpha)}


def ratings_from_db(db: sqlite_utils.Database, units_of: str = "corpus"
                    ) -> tuple[list[Ratings], list[CodeNode], dict[str, str], dict[str, str]]:
    """The coders' work as the coding stage stored it (codings, coding_decisions, excerpt_splits)."""
    if units_of not in UNITS:
        raise ValueError(f"units_of must be one of {UNITS}")
    parents = {r["id"]: r["parent"] for r in db.query("select id, parent from codes")}
    codes = [CodeNode(r["id"], r["theme"], r["depth"])
             for r in db.query("select id, theme, depth from codes order by depth > 0, position")]
    splits = list(db.query("select excerpt, split, lang, source_group from excerpt_splits"))
    split_of = {r["excerpt"]: r["split"] for r in splits}
    lang_of = {r["excerpt"]: r["lang"] for r in splits}
    devset = {r["excerpt"]: r["source_group"] == "devset" for r in splits}
    reading = Reading.of((r["coder"], r["excerpt"], r["scope"]) for r in db.query(
        "select coder, excerpt, scope from coding_decisions"))
    automatic = {coder: with_ancestors(_codings_of(db, origin), parents) for coder, origin in _automatic_coders(db)}
    if MODEL in automatic:
        automatic[COMBINED] = automatic[AUTO] | automatic[MODEL]
    coders = [Ratings(coder, frozenset(split_of), present) for coder, present in automatic.items()]
    coders += _llm_coders(db, parents)
    units: dict[str, set[str]] = {}
    present: dict[str, list[tuple[str, str]]] = {}
    for r in db.query("select coder, excerpt, code, action from coding_decisions where in_force = 1"):
        units.setdefault(r["coder"], set()).add(r["excerpt"])
        if r["action"] in ("add", "accept"):
            present.setdefault(r["coder"], []).append((r["excerpt"], r["code"]))
    for coder in sorted(units):
        coded = frozenset(units[coder]) if units_of == "decided" else frozenset(
            e for e, is_devset in devset.items() if reading.read(coder, e, is_devset))
        coders.append(Ratings(coder, coded, with_ancestors(present.get(coder, []), parents)))
    return coders, codes, split_of, lang_of


def _codings_of(db: sqlite_utils.Database, origin: str) -> list[tuple[str, str]]:
    return [(r["excerpt"], r["code"]) for r in db.query(
        "select distinct excerpt, code from codings where origin = ? order by excerpt, code", [origin])]


def _automatic_coders(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(coder, origin) of each automatic coder: the rules always, the model when one was trained."""
    model = "coding_models" in db.table_names() and db["coding_models"].count > 0
    return [(AUTO, "rule")] + ([(MODEL, MODEL)] if model else [])


def _llm_coders(db: sqlite_utils.Database, parents: dict[str, str | None]) -> list[Ratings]:
    """Each language model ('llm:<model>') as a coder of the excerpts it read (llm_answers)."""
    if "llm_answers" not in db.table_names():
        return []
    read: dict[str, set[str]] = {}
    for r in db.query("select coder, excerpt from llm_answers"):
        read.setdefault(r["coder"], set()).add(r["excerpt"])
    out = []
    for coder in sorted(read):
        pairs = [(r["excerpt"], r["code"]) for r in db.query(
            "select distinct excerpt, code from codings where origin = 'llm' and coder = ?", [coder])]
        out.append(Ratings(coder, frozenset(read[coder]), with_ancestors(pairs, parents)))
    return out


def agreement(db: sqlite_utils.Database, units: str = "corpus") -> dict[str, list[dict]]:
    """Compute every agreement table from ``db`` and store them (replacing earlier results).

    ``units``: "corpus" (every coder coded every excerpt) or "decided" (see the module docstring).
    """
    tables = agreement_tables(*ratings_from_db(db, units))
    for table in schema.AGREEMENT_TABLES:  # derived tables: recreated in their declared shape
        db[table.name].drop(ignore=True)
    ensure_shape(db, schema.AGREEMENT_TABLES)
    for name, rows in tables.items():
        for row in rows:
            row["units"] = units
        db[name].insert_all(rows)
    return tables
