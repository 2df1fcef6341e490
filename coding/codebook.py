"""Load and validate the codebook (coding/FORMAT.md) into frozen records.

``load_codebook`` reads ``coding/codebook.yaml`` and checks it as a whole: every problem (unknown parent,
duplicate code or rule id, a pattern spaCy's ``span_ruler`` rejects, an example excerpt that is not in
the corpus, a missing label or definition …) becomes a ``CodebookError`` naming the code or rule and its
YAML line; all of them are raised together as one ``ErrorList``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from bolyst.corpus.errors import BolystError, CodebookError, ErrorList
from bolyst.corpus.yamlio import LINE, load_yaml, strip_lines

from .book import (  # noqa: F401 (the records, re-exported: importers say bolyst.coding.codebook)
    ABOUT, CONCEPT_LANGS, DEFAULT_SCORE, LANGS, _CODE_KEYS, _RULE_KEYS, Code, Codebook, Rule, concept_words,
    expand_concepts, iter_codes_depth_first)
from .patterns import PatternChecker


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
