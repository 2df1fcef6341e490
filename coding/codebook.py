"""Load and validate the codebook (coding/FORMAT.md) into frozen records.

``load_codebook`` reads ``coding/codebook.yaml`` and checks it as a whole: every problem (unknown parent,
duplicate code or rule id, a pattern spaCy's ``span_ruler`` rejects, an example excerpt that is not in
the corpus, a missing label or definition …) becomes a ``CodebookError`` naming the code or rule and its
YAML line; all of them are raised together as one ``ErrorList``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bolyst.corpus.errors import BolystError, CodebookError, ErrorList
from bolyst.corpus.yamlio import LINE, load_yaml, strip_lines

from .patterns import PatternChecker

LANGS = ("nb", "en")
_CODE_KEYS = {"id", "parent", "label", "definition", "includes", "excludes", "examples", "rules", "note", "notes"}
_RULE_KEYS = {"id", "lang", "pattern", "score", "examples", "counter_examples", "note", "notes"}
DEFAULT_SCORE = 0.5


@dataclass(frozen=True)
class Rule:
    """One spaCy pattern that suggests ``code``; ``pattern`` is a token pattern (list) or a phrase (str)."""

    id: str
    code: str
    lang: str
    pattern: str | list[dict[str, Any]] = field(hash=False)
    score: float = DEFAULT_SCORE
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    line: int | None = None

    @property
    def kind(self) -> str:
        return "phrase" if isinstance(self.pattern, str) else "tokens"


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


@dataclass(frozen=True)
class Codebook:
    codes: tuple[Code, ...]
    framework: str | None = None
    holdout_seed: int = 0
    holdout_share: float = 0.0
    path: str | None = None

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

    def depth(self, code: str) -> int:
        """0 for a theme, 1 for its sub-codes, …"""
        return len(self.ancestors(code)) - 1

    def is_heldout(self, excerpt_id: str) -> bool:
        return is_heldout(excerpt_id, self.holdout_seed, self.holdout_share)


def is_heldout(excerpt_id: str, seed: int, share: float) -> bool:
    """coding/FORMAT.md: held out when sha256("<seed>:<excerpt id>") read as a fraction is below ``share``."""
    digest = hashlib.sha256(f"{seed}:{excerpt_id}".encode()).hexdigest()
    return int(digest, 16) / 16 ** len(digest) < share


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
        codes = [c for c in (self.code(i, raw) for i, raw in enumerate(data["codes"])) if c]
        codes = self.unique(codes)
        self.check_tree(codes)
        self.check_rule_ids(codes)
        return Codebook(codes=tuple(codes), framework=data.get("framework"), holdout_seed=seed,
                        holdout_share=share, path=self.path)

    def holdout(self, data: dict) -> tuple[int, float]:
        holdout = data.get("holdout")
        if holdout is None:
            return 0, 0.0
        seed = holdout.get("seed") if isinstance(holdout, dict) else None
        share = holdout.get("share") if isinstance(holdout, dict) else None
        if (not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(share, (int, float))
                or not 0 <= share <= 1):
            self.fail(holdout, "holdout", f"holdout must be {{seed: <integer>, share: <0–1>}}, not {strip_lines(holdout)!r}",
                      fix="e.g. holdout: {seed: 20251114, share: 0.3}")
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
                    excludes=self.text(raw, "excludes", what, required=False), examples=examples,
                    rules=tuple(r for r in (self.rule(code_id, i, x) for i, x in enumerate(rules)) if r),
                    line=raw.get(LINE))

    def rule(self, code_id: str, index: int, raw: Any) -> Rule | None:
        if not isinstance(raw, dict):
            self.fail(raw, f"code {code_id!r} rule #{index + 1}", "each rule must be a mapping (id, lang, pattern …)")
            return None
        rule_id = self.text(raw, "id", f"code {code_id!r} rule #{index + 1}", required=True)
        if rule_id is None:
            return None
        what = f"rule {rule_id!r}"
        self.unknown_keys(raw, _RULE_KEYS, what)
        lang = raw.get("lang", "nb")
        if lang not in LANGS:
            self.fail(raw, what, f"lang is {lang!r}", fix=f"use one of: {', '.join(LANGS)}")
        score = raw.get("score", DEFAULT_SCORE)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            self.fail(raw, what, f"score must be a number from 0 to 1, not {score!r}")
            score = DEFAULT_SCORE
        pattern = strip_lines(raw.get("pattern"))
        problem = self.patterns.check(pattern, code_id, rule_id)
        if problem:
            self.fail(raw, what, f"bad pattern: {problem}",
                      fix="a phrase string or a spaCy Matcher token pattern, e.g. [{LEMMA: \"ensom\"}]")
        return Rule(id=rule_id, code=code_id, lang=lang, pattern=pattern, score=float(score),
                    examples=self.strings(raw, "examples", what),
                    counter_examples=self.strings(raw, "counter_examples", what), line=raw.get(LINE))

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
