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
from .reliability import (  # noqa: F401  (re-exported: the statistics were first written here)
    Alpha, Kappa, Scores, alpha_of, cohen_kappa, kappa_of, krippendorff_alpha, precision_recall, scores_of)
from .splits import DEV, HELDOUT, TEST, TRAINING

LLM_PREFIX = "llm:"  # a language model's coder id is 'llm:<model>' (coding/llm/)


def is_automatic(coder: str) -> bool:
    """True for the rules, the trained model, the two combined and any language model ('llm:<model>')."""
    return coder in AUTOMATIC or coder.startswith(LLM_PREFIX)


SPLITS = (TEST, HELDOUT, DEV, TRAINING, "all")
LANGS = ("all", "nb", "nn", "en")
UNITS = ("corpus", "decided")


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
    tally = Tally(coders)
    tables: dict[str, list[dict]] = {"agreement_kappa": [], "agreement_alpha": [], "agreement_scores": []}
    for split in SPLITS:
        in_split = frozenset(e for e, s in split_of.items() if split in ("all", s))
        by_lang = {lang: in_split if lang == "all" else frozenset(e for e in in_split if lang_of.get(e) == lang)
                   for lang in LANGS}
        for node in codes:
            for lang in LANGS if node.depth == 0 else ("all",):
                where = {"level": "theme" if node.depth == 0 else "code", "code": node.id, "theme": node.theme,
                         "split": split, "lang": lang}
                for row_kind, row in tally.rows(node.id, by_lang[lang], (split, lang)):
                    tables[row_kind].append({**where, **row})
    return tables


class Tally:
    """The counts behind one table, kept per coder and code, so a table costs the units that carry the code
    instead of every unit of the corpus: κ, the scores and α need only how many units fall in each cell.
    (Unit by unit, 100,000 excerpts took minutes per build.) The same counts give the same values."""

    def __init__(self, coders: Sequence[Ratings]) -> None:
        self.coders = list(coders)
        self.present: list[dict[str, set[str]]] = []  # per coder: code -> units it applies the code to (and coded)
        for r in self.coders:
            by_code: dict[str, set[str]] = {}
            for unit, code in r.present:
                if unit in r.units:
                    by_code.setdefault(code, set()).add(unit)
            self.present.append(by_code)
        self.coding = Counter(u for r in self.coders for u in r.units)  # unit -> how many coders coded it
        self._shared: dict[tuple, int] = {}
        self._coded: dict[tuple, Counter[int]] = {}

    def rows(self, code: str, units: frozenset[str], key: Hashable) -> Iterable[tuple[str, dict]]:
        """The rows of one table: ``code`` on ``units`` (``key`` names the unit set, for the counts kept)."""
        present = [by_code.get(code, set()) & units for by_code in self.present]
        for (i, a), (j, b) in combinations(enumerate(self.coders), 2):
            n = self._shared.get((key, i, j))
            if n is None:
                n = self._shared[key, i, j] = len(a.units & b.units & units)
            if not n:
                continue
            pa, pb = present[i] & b.units, present[j] & a.units
            both = len(pa & pb)
            k = kappa_of(n, both, len(pa) - both, len(pb) - both)
            yield "agreement_kappa", {"coder_a": a.coder, "coder_b": b.coder, **asdict(k)}
            if is_automatic(a.coder) and not is_automatic(b.coder):
                yield "agreement_scores", {"auto_coder": a.coder, "coder": b.coder, **asdict(scores_of(k))}
        alpha = alpha_of(self._kinds(present, units, key))
        if alpha.n_units:
            yield "agreement_alpha", {"coders": ", ".join(r.coder for r in self.coders), **asdict(alpha)}

    def _kinds(self, present: list[set[str]], units: frozenset[str], key: Hashable) -> Counter:
        """How many units have each kind of values (see :func:`alpha_of`): m coders coded the unit, k of them
        apply the code. Units nobody applies it to are counted per m once per unit set."""
        coded = self._coded.get(key)
        if coded is None:
            coded = self._coded[key] = Counter(self.coding[u] for u in units)
        absent = Counter(coded)
        kinds: Counter = Counter()
        for unit in set().union(*present):
            m, k = self.coding[unit], sum(unit in p for p in present)
            absent[m] -= 1
            kinds[tuple((v, c) for v, c in ((False, m - k), (True, k)) if c)] += 1
        for m, units_m in absent.items():
            if m and units_m:
                kinds[((False, m),)] += units_m
        return kinds


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
