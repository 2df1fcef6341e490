"""The codebook's records (coding/FORMAT.md): rules, codes and the codebook, frozen, with the concept words
their patterns expand to. ``bolyst.coding.codebook`` reads and checks the YAML into them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bolyst.corpus.lemmas import lemma

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


def iter_codes_depth_first(book: Codebook) -> Iterator[Code]:
    """Codes with every parent before its children (for inserting a self-referencing table)."""
    return iter(sorted(book.codes, key=lambda c: (book.depth(c.id), book.codes.index(c))))
