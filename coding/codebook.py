"""Load and validate the codebook (coding/FORMAT.md) into frozen records.

``load_codebook`` reads ``coding/codebook.yaml`` and checks it as a whole: every problem (unknown parent,
duplicate code or rule id, a pattern spaCy's ``span_ruler`` rejects, an example excerpt that is not in
the corpus, a missing label or definition …) becomes a ``CodebookError`` naming the code or rule and its
YAML line; all of them are raised together as one ``ErrorList``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bolyst.corpus.errors import BolystError, CodebookError, ErrorList
from bolyst.corpus.yamlio import LINE, load_yaml, strip_lines

from bolyst.corpus.lemmas import lemma

from .patterns import PatternChecker
from .splits import SplitRow, assign_splits

#: Rule languages: Bokmål, Nynorsk, English, "nor" (ISO 639-2: Norwegian) for a rule that holds in both
#: written Norwegians, and "all" for a rule written in concepts (a frame, or a pattern of {CONCEPT: …}
#: tokens) that holds in every one. ("no" is not used: YAML reads a bare no as false.)
LANGS = ("nb", "nn", "nor", "en", "all")
CONCEPT_LANGS = ("nor", "nb", "nn", "en")
_CODE_KEYS = {"id", "parent", "label", "definition", "includes", "excludes", "examples", "rules", "note", "notes",
              "about"}
#: Which place a code is about, as its definition says (a sub-code without ``about`` takes its parent's): the
#: country of origin, the place people leave, the place they go to, or the place where they live now.
ABOUT = ("origin", "place_left", "destination", "current_place")
_RULE_KEYS = {"id", "lang", "pattern", "frame", "score", "examples", "counter_examples", "note", "notes"}
DEFAULT_SCORE = 0.5


@dataclass(frozen=True)
class Rule:
    """One spaCy pattern that suggests ``code``; ``pattern`` is a token pattern (list) or a phrase (str)."""

    id: str
    code: str
    lang: str
    pattern: str | list[dict[str, Any]] | None = field(hash=False)
    score: float = DEFAULT_SCORE
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    line: int | None = None
    frame: tuple[str, ...] = ()  # concepts that must all occur in one sentence (instead of a pattern)

    @property
    def kind(self) -> str:
        if self.frame:
            return "frame"
        return "phrase" if isinstance(self.pattern, str) else "tokens"

    def applies_to(self, lang: str) -> bool:
        """Does the rule hold in excerpts of ``lang`` (nb, nn or en)?"""
        return self.lang in (lang, "all") or (self.lang == "nor" and lang in ("nb", "nn"))

    def pattern_for(self, lang: str, concepts: dict[str, dict[str, tuple[str, ...]]]) -> Any:
        """The spaCy pattern in ``lang``: each {CONCEPT: name} token becomes {LEMMA: {IN: the words}}."""
        return expand_concepts(self.pattern, concepts, lang)


@dataclass(frozen=True)
class Code:
    """A theme (no parent) or a sub-code of the framework."""

    id: str
    label_nb: str
    label_en: str
    definition: str
    parent: str | None = None
    includes: str | None = None
    excludes: str | None = None
    examples: tuple[str, ...] = ()  # excerpt ids that show the code
    rules: tuple[Rule, ...] = ()
    line: int | None = None
    about: str | None = None  # see ABOUT; None: take the parent's


@dataclass(frozen=True)
class Codebook:
    codes: tuple[Code, ...]
    framework: str | None = None
    holdout_seed: int = 0
    holdout_share: float = 0.0
    path: str | None = None
    devset_seed: int = 0
    devset_test_share: float = 0.0
    concepts: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict, hash=False, compare=False)

    def __hash__(self) -> int:  # one codebook per file: cached pipelines are keyed by it
        return hash((self.path, self.codes, self.framework, self.holdout_seed, self.devset_seed))

    @cached_property
    def by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for c in self.codes for r in c.rules)

    @cached_property
    def rules_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes if c.parent is None)

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its ancestors, nearest first (the last is the theme)."""
        chain = [code]
        while (parent := self.by_id[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain

    def theme(self, code: str) -> str:
        """The top-level ancestor of ``code`` (a theme is its own theme)."""
        return self.ancestors(code)[-1]

    def about(self, code: str) -> str | None:
        """The place ``code`` is about (``ABOUT``): its own ``about``, else its nearest ancestor's."""
        for node in self.ancestors(code):
            if self.by_id[node].about:
                return self.by_id[node].about
        return None

    def depth(self, code: str) -> int:
        """0 for a theme, 1 for its sub-codes, …"""
        return len(self.ancestors(code)) - 1

    def splits(self, rows: Iterable[SplitRow]) -> dict[str, str]:
        """excerpt id → training | heldout | dev | test (:mod:`bolyst.coding.splits`)."""
        return assign_splits(rows, self.holdout_seed, self.holdout_share, self.devset_seed, self.devset_test_share)


def concept_words(concepts: dict[str, dict[str, tuple[str, ...]]], name: str, lang: str) -> list[str]:
    """The single words of concept ``name`` in ``lang`` (nb and nn include the concept's ``nor`` words)."""
    keys = ("nor", lang) if lang in ("nb", "nn") else (lang,)
    return sorted({w.lower().lstrip("=") for key in keys for w in concepts.get(name, {}).get(key, ()) if " " not in w})


def expand_concepts(pattern: Any, concepts: dict[str, dict[str, tuple[str, ...]]], lang: str) -> Any:
    """``pattern`` with each {CONCEPT: name} token as {LEMMA: {IN: the concept's words and their lemmas}}."""
    if not isinstance(pattern, list):
        return pattern
    out = []
    for token in pattern:
        if isinstance(token, dict) and "CONCEPT" in token:
            words = concept_words(concepts, str(token["CONCEPT"]), lang)
            token = {k: v for k, v in token.items() if k != "CONCEPT"}
            token["LEMMA"] = {"IN": sorted(set(words) | {lemma(w, lang) for w in words})}
        out.append(token)
    return out


def load_codebook(path: Path, excerpt_ids: Collection[str] | None = None) -> Codebook:
    """Read and validate the codebook; ``excerpt_ids`` (the corpus) checks the codes' example excerpts."""
    data = load_yaml(Path(path), error=CodebookError)
    checker = _Checker(str(path), excerpt_ids)
    book = checker.codebook(data)
    if checker.errors:
        raise ErrorList(checker.errors)
    return book


class _Checker:
    """Builds records from the parsed YAML, collecting every problem with its line."""

    def __init__(self, path: str, excerpt_ids: Collection[str] | None) -> None:
        self.path = path
        self.excerpt_ids = set(excerpt_ids) if excerpt_ids is not None else None
        self.errors: list[BolystError] = []
        self.patterns = PatternChecker()
        self.concepts: dict[str, dict[str, tuple[str, ...]]] = {}

    def fail(self, record: Any, what: str, message: str, fix: str | None = None) -> None:
        line = record.get(LINE) if isinstance(record, dict) else None
        where = ", ".join(b for b in (f"line {line}" if line else None, what) if b) or None
        self.errors.append(CodebookError(message, path=self.path, where=where, fix=fix))

    def codebook(self, data: Any) -> Codebook:
        if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
            self.fail(data, "top level", "the codebook must be a mapping with a 'codes:' list",
                      fix="see coding/FORMAT.md")
            return Codebook(codes=())
        seed, share = self.holdout(data)
        devset_seed, devset_share = self.holdout(data, "devset_split", "test_share")
        self.concepts = self.read_concepts(data.get("concepts") or {})
        codes = [c for c in (self.code(i, raw) for i, raw in enumerate(data["codes"])) if c]
        codes = self.unique(codes)
        self.check_tree(codes)
        self.check_rule_ids(codes)
        return Codebook(codes=tuple(codes), framework=data.get("framework"), holdout_seed=seed,
                        holdout_share=share, path=self.path, devset_seed=devset_seed,
                        devset_test_share=devset_share, concepts=self.concepts)

    def read_concepts(self, raw: Any) -> dict[str, dict[str, tuple[str, ...]]]:
        if not isinstance(raw, dict):
            self.fail(raw, "concepts", "'concepts' must map a name to word lists per language",
                      fix="concepts: {job: {no: [jobb, arbeid], en: [job, work]}}")
            return {}
        concepts: dict[str, dict[str, tuple[str, ...]]] = {}
        for name, by_lang in raw.items():
            if name == LINE:
                continue
            if not isinstance(by_lang, dict) or not all(
                    k == LINE or (k in CONCEPT_LANGS and isinstance(v, list) and all(isinstance(w, str) for w in v))
                    for k, v in by_lang.items()):
                self.fail(by_lang, f"concept {name!r}", "a concept maps languages to lists of words",
                          fix=f"use the keys {', '.join(CONCEPT_LANGS)} (nor = Bokmål and Nynorsk)")
                continue
            concepts[str(name)] = {k: tuple(v) for k, v in by_lang.items() if k != LINE}
        return concepts

    def holdout(self, data: dict, key: str = "holdout", share_key: str = "share") -> tuple[int, float]:
        holdout = data.get(key)
        if holdout is None:
            return 0, 0.0
        seed = holdout.get("seed") if isinstance(holdout, dict) else None
        share = holdout.get(share_key) if isinstance(holdout, dict) else None
        if (not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(share, (int, float))
                or not 0 <= share <= 1):
            self.fail(holdout, key, f"{key} must be {{seed: <integer>, {share_key}: <0–1>}}, "
                                    f"not {strip_lines(holdout)!r}",
                      fix=f"e.g. {key}: {{seed: 20251114, {share_key}: 0.3}}")
            return 0, 0.0
        return seed, float(share)

    def text(self, raw: dict, key: str, what: str, required: bool) -> str | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(raw, what, f"missing '{key}'", fix=f"add '{key}:' (see coding/FORMAT.md)")
            return None
        if not isinstance(value, str):
            self.fail(raw, what, f"'{key}' must be text, not {type(value).__name__}")
            return None
        return value.strip()

    def strings(self, raw: dict, key: str, what: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(raw, what, f"'{key}' must be a list of text")
            return ()
        return tuple(value)

    def unknown_keys(self, raw: dict, allowed: set[str], what: str) -> None:
        extra = sorted(k for k in raw if k != LINE and k not in allowed)
        if extra:
            self.fail(raw, what, f"unknown field(s) {', '.join(map(repr, extra))}",
                      fix=f"use only: {', '.join(sorted(allowed))}")

    def code(self, index: int, raw: Any) -> Code | None:
        if not isinstance(raw, dict):
            self.fail(raw, f"code #{index + 1}", "each code must be a mapping (id, label, definition …)")
            return None
        code_id = self.text(raw, "id", f"code #{index + 1}", required=True)
        if code_id is None:
            return None
        what = f"code {code_id!r}"
        self.unknown_keys(raw, _CODE_KEYS, what)
        label = raw.get("label")
        if not isinstance(label, dict) or not all(isinstance(label.get(k), str) and label[k].strip()
                                                  for k in ("nb", "en")):
            self.fail(raw, what, "missing label: needs both nb and en", fix='label: {nb: "…", en: "…"}')
            label = {"nb": "", "en": ""}
        examples = self.strings(raw, "examples", what)
        if self.excerpt_ids is not None:
            for example in examples:
                if example not in self.excerpt_ids:
                    self.fail(raw, what, f"example excerpt {example!r} is not in the corpus",
                              fix="use an excerpt id '<source>/<excerpt>' that exists")
        rules = raw.get("rules") or []
        if not isinstance(rules, list):
            self.fail(raw, what, "'rules' must be a list")
            rules = []
        return Code(id=code_id, label_nb=label["nb"].strip(), label_en=label["en"].strip(),
                    definition=self.text(raw, "definition", what, required=True) or "",
                    parent=self.text(raw, "parent", what, required=False),
                    includes=self.text(raw, "includes", what, required=False),
                    about=self.about(raw, what),
                    excludes=self.text(raw, "excludes", what, required=False), examples=examples,
                    rules=tuple(r for r in (self.rule(code_id, i, x) for i, x in enumerate(rules)) if r),
                    line=raw.get(LINE))

    def about(self, raw: dict, what: str) -> str | None:
        value = raw.get("about")
        if value is not None and value not in ABOUT:
            self.fail(raw, what, f"about is {value!r}", fix=f"use one of: {', '.join(ABOUT)}")
            return None
        return value

    def rule(self, code_id: str, index: int, raw: Any) -> Rule | None:
        if not isinstance(raw, dict):
            self.fail(raw, f"code {code_id!r} rule #{index + 1}", "each rule must be a mapping (id, lang, pattern …)")
            return None
        rule_id = self.text(raw, "id", f"code {code_id!r} rule #{index + 1}", required=True)
        if rule_id is None:
            return None
        what = f"rule {rule_id!r}"
        self.unknown_keys(raw, _RULE_KEYS, what)
        lang = raw.get("lang", "all" if raw.get("frame") else "nb")
        if lang not in LANGS:
            self.fail(raw, what, f"lang is {lang!r}", fix=f"use one of: {', '.join(LANGS)}")
        score = raw.get("score", DEFAULT_SCORE)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            self.fail(raw, what, f"score must be a number from 0 to 1, not {score!r}")
            score = DEFAULT_SCORE
        frame = self.strings(raw, "frame", what)
        pattern = strip_lines(raw.get("pattern"))
        if frame:
            if pattern is not None:
                self.fail(raw, what, "a rule has a 'pattern' or a 'frame', not both")
            unknown = [c for c in frame if c not in self.concepts]
            if unknown:
                self.fail(raw, what, f"unknown concept(s) in frame: {', '.join(unknown)}",
                          fix="name concepts defined under 'concepts:'")
        else:
            unknown = sorted({str(t["CONCEPT"]) for t in pattern if isinstance(t, dict) and "CONCEPT" in t
                              and t["CONCEPT"] not in self.concepts}) if isinstance(pattern, list) else []
            if unknown:
                self.fail(raw, what, f"unknown concept(s): {', '.join(unknown)}",
                          fix="name concepts defined under 'concepts:'")
            check_lang = "nb" if lang in ("nor", "all") else lang
            problem = None if unknown else self.patterns.check(expand_concepts(pattern, self.concepts, check_lang),
                                                               code_id, rule_id)
            if problem:
                self.fail(raw, what, f"bad pattern: {problem}",
                          fix="a phrase string, a spaCy Matcher token pattern, e.g. [{LEMMA: \"ensom\"}], "
                              "or a frame: [concept, concept]")
        return Rule(id=rule_id, code=code_id, lang=lang, pattern=None if frame else pattern, score=float(score),
                    examples=self.strings(raw, "examples", what),
                    counter_examples=self.strings(raw, "counter_examples", what), line=raw.get(LINE),
                    frame=frame)

    def unique(self, codes: list[Code]) -> list[Code]:
        seen: dict[str, Code] = {}
        for code in codes:
            if code.id in seen:
                self.fail({LINE: code.line}, f"code {code.id!r}",
                          f"duplicate code id (first defined on line {seen[code.id].line})",
                          fix="give every code a unique id")
            else:
                seen[code.id] = code
        return list(seen.values())

    def check_tree(self, codes: list[Code]) -> None:
        by_id = {c.id: c for c in codes}
        for code in codes:
            if code.parent is not None and code.parent not in by_id:
                self.fail({LINE: code.line}, f"code {code.id!r}", f"unknown parent {code.parent!r}",
                          fix="parent must be the id of another code in this codebook")
                continue
            seen, node = {code.id}, code
            while node.parent is not None and node.parent in by_id:
                if node.parent in seen:
                    self.fail({LINE: code.line}, f"code {code.id!r}", "parents form a cycle",
                              fix="every chain of parents must end at a theme (a code without parent)")
                    break
                seen.add(node.parent)
                node = by_id[node.parent]

    def check_rule_ids(self, codes: list[Code]) -> None:
        first: dict[str, Rule] = {}
        for rule in (r for c in codes for r in c.rules):
            if rule.id in first:
                self.fail({LINE: rule.line}, f"rule {rule.id!r}",
                          f"duplicate rule id (first defined on line {first[rule.id].line})",
                          fix="rule ids must be unique across the codebook")
            else:
                first[rule.id] = rule


def iter_codes_depth_first(book: Codebook) -> Iterator[Code]:
    """Codes with every parent before its children (for inserting a self-referencing table)."""
    return iter(sorted(book.codes, key=lambda c: (book.depth(c.id), book.codes.index(c))))
