"""Concepts and frames: the codebook's meaning-level rules, one definition for Bokmål, Nynorsk and English.

A **concept** is a named set of words per language (``concepts:`` in the codebook): ``job`` is «jobb»,
«arbeid», «stilling» … in Norwegian and "job", "work", "employment" … in English. A token belongs to a concept
when its lemma or its lower-case form is one of the entries or an entry's lemma; an entry of several words
matches them in a row («bli boende», "feel at home"); an entry written ``=kom`` matches that form only, not
every form of its lemma («kom», not «komme i arbeid»).

A **frame** rule (``frame: [move, job]``) fires when every concept it names occurs in one sentence, in any
order: the rule carries across phrasings and languages where a phrase pattern would need one rule per wording.
Its evidence span runs from the first to the last matched word. A frame is not a match when a negation cue
stands right before one of its words inside the span («kulda er *ikke* noe problem») unless the word's own
entry contains the negation («ikke råd», "no jobs"); negation and hypotheticals before or after the span are
judged by ``bolyst_modality`` like every other match.

``bolyst_frames`` (after ``span_ruler``) adds frame matches to the same span group as the pattern rules and
stores every concept found in ``doc._.concepts`` for the learned layer (:mod:`bolyst.coding.model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from bolyst.corpus.lemmas import lemma
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

if not Doc.has_extension("concepts"):
    Doc.set_extension("concepts", default=())

#: The word lists of ``nor`` count for both written Norwegians.
LANG_KEYS = {"nb": ("nor", "nb"), "nn": ("nor", "nn"), "en": ("en",)}
NEGATION_WINDOW = 3


class Hit(NamedTuple):  # a tuple: made and hashed many times per text
    start: int  # token index
    end: int  # exclusive
    concept: str
    negates: bool  # the entry itself carries a negation («ingen jobb»)


@dataclass(frozen=True)
class Frame:
    rule: str
    code: str
    concepts: tuple[str, ...]


class Lexicon:
    """The concepts of one language, ready for lookup."""

    def __init__(self, concepts: Mapping[str, Mapping[str, Sequence[str]]], lang: str,
                 negations: Iterable[str] = ()) -> None:
        self.lang = lang
        self.single: dict[str, set[str]] = {}
        self.exact: dict[str, set[str]] = {}
        self.multi: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.negations = negations = frozenset(n for n in negations if " " not in n)  # single-word cues
        self.negating: set[tuple[tuple[str, ...], str]] = set()
        self.words: dict[str, set[str]] = {}
        for name, by_lang in concepts.items():
            for key in LANG_KEYS.get(lang, (lang,)):
                for entry in by_lang.get(key) or ():
                    words = tuple(entry.lower().split())
                    if not words:
                        continue
                    self.words.setdefault(name, set()).update(w.lstrip("=") for w in words)
                    if len(words) == 1 and words[0].startswith("="):  # "=kom": this form only, not its lemma
                        self.exact.setdefault(words[0][1:], set()).add(name)
                    elif len(words) == 1:
                        for form in {words[0], lemma(words[0], lang)}:
                            self.single.setdefault(form, set()).add(name)
                    else:
                        self.multi.setdefault(words[0], []).append((words, name))
                        if negations & set(words):
                            self.negating.add((words, name))
        for options in self.multi.values():
            options.sort(key=lambda item: -len(item[0]))
        # The same tables keyed by spaCy's string hashes, read straight from the doc's arrays (no Token objects)
        h = get_string_id
        self._single = {h(k): frozenset(v) for k, v in self.single.items()}
        self._exact = {h(k): frozenset(v) for k, v in self.exact.items()}
        self._multi = {h(k): [(tuple(map(h, words)), name, (words, name) in self.negating) for words, name in v]
                       for k, v in self.multi.items()}
        self.keys = frozenset(self._single) | frozenset(self._exact) | frozenset(self._multi)
        self._known: dict[tuple[int, int], tuple] = {}  # (lower, lemma) -> _entries(), filled as met

    def find(self, doc: Doc) -> list[Hit]:
        """Every concept occurrence in ``doc``, by position (a multi-word entry also counts its words' own)."""
        if not len(doc):
            return []
        lowers, lemmas = doc.to_array([LOWER, LEMMA]).T.tolist()
        keys = self.keys
        where = [i for i, (low, lem) in enumerate(zip(lowers, lemmas)) if low in keys or lem in keys]
        if not where:
            return []
        hits: set[Hit] = set()
        known = self._known
        for i in where:
            pair = (lowers[i], lemmas[i])
            entry = known.get(pair)
            if entry is None:
                entry = known[pair] = self._entries(*pair)
            for name in entry[0]:
                hits.add(Hit(i, i + 1, name, False))
            for rest, name, negates in entry[1]:  # the first word is this one's form or lemma: compare the rest
                n = len(rest) + 1
                if lowers[i + 1:i + n] == rest:
                    hits.add(Hit(i, i + n, name, negates))
        return _outermost(hits)

    def _entries(self, low: int, lem: int) -> tuple[frozenset[str], list[tuple[list[int], str, bool]]]:
        """What a word (lower-case form, lemma) can start: its one-word concepts, and multi-word entries."""
        empty: frozenset[str] = frozenset()
        names = self._single.get(low, empty) | self._single.get(lem, empty) | self._exact.get(low, empty)
        return names, [(list(words[1:]), name, negates) for key in {low, lem}
                       for words, name, negates in self._multi.get(key, ())]

    def find_reference(self, doc: Doc) -> list[Hit]:
        """:meth:`find` as first written, token by token: the regression tests hold the fast one to it."""
        hits: list[Hit] = []
        lowers = [t.lower_ for t in doc]
        for i, token in enumerate(doc):
            names = self.single.get(token.lower_, set()) | self.single.get(token.lemma_, set())
            for name in sorted(names | self.exact.get(token.lower_, set())):
                hits.append(Hit(i, i + 1, name, False))
            for key in {token.lower_, token.lemma_}:
                for words, name in self.multi.get(key, ()):
                    n = len(words)
                    if tuple(lowers[i:i + n]) == words or (
                            n and tuple([doc[i].lemma_] + lowers[i + 1:i + n]) == words):
                        hits.append(Hit(i, i + n, name, (words, name) in self.negating))
        return _outermost(set(hits))


def _outermost(hits: set[Hit]) -> list[Hit]:
    """By position; an occurrence inside a longer one of the same concept is that one («uten bil», not «bil»)."""
    longer = {h.concept for h in hits if h.end - h.start > 1}
    if longer:  # only a concept with a multi-word occurrence can hold another of its own
        hits = {h for h in hits if h.concept not in longer or not any(o.concept == h.concept and o is not h and o.start <= h.start
                                           and h.end <= o.end and o.end - o.start > h.end - h.start for o in hits)}
    return sorted(hits, key=lambda h: (h.start, h.end, h.concept))


class FrameMatcher:
    """``bolyst_frames``: adds frame-rule matches to ``doc.spans[spans_key]``; sets ``doc._.concepts``."""

    def __init__(self, lexicon: Lexicon, frames: Sequence[Frame], spans_key: str, reference: bool = False) -> None:
        self.reference = reference  # the first, token-by-token way (the regression tests' yardstick)
        self.lexicon = lexicon
        self.frames = list(frames)
        self.rule_ids = frozenset(f.rule for f in self.frames)
        self._needs = [(frozenset(f.concepts), f) for f in self.frames]
        self.spans_key = spans_key
        self.negations = lexicon.negations

    def named_words(self) -> dict[str, frozenset[str]]:
        """rule id → every word of the frame's concepts (a negation among them is the rule's own)."""
        words: dict[str, set[str]] = {}
        for frame in self.frames:
            for concept in frame.concepts:
                words.setdefault(frame.rule, set()).update(self.lexicon.words.get(concept, ()))
        return {rule: frozenset(w) for rule, w in words.items()}

    def __call__(self, doc: Doc) -> Doc:
        if self.reference:
            return self.call_reference(doc)
        hits = self.lexicon.find(doc)
        doc._.concepts = tuple((h.start, h.end, h.concept) for h in hits)
        present = {h.concept for h in hits}
        frames = [f for needs, f in self._needs if needs <= present]
        if not frames:
            return doc  # no frame can fire: every concept of one must occur in the doc
        # each hit to the sentence that holds it whole (a hit across a boundary is in none)
        bounds = [(sent.start, sent.end) for sent in doc.sents]
        firsts = [start for start, _ in bounds]
        in_sent: dict[int, list[Hit]] = {}
        for hit in hits:
            k = bisect_right(firsts, hit.start) - 1
            if k >= 0 and hit.end <= bounds[k][1]:
                in_sent.setdefault(k, []).append(hit)
        found = []
        for k in sorted(in_sent):
            by_concept: dict[str, list[Hit]] = {}
            for hit in in_sent[k]:
                by_concept.setdefault(hit.concept, []).append(hit)
            for frame in frames:
                if by_concept.keys() >= set(frame.concepts):
                    match = self._best(doc, [by_concept[c] for c in frame.concepts])
                    if match is not None:
                        start, end = match
                        found.append(Span(doc, start, end, label=frame.code, span_id=frame.rule))
        return self._add(doc, found)

    def call_reference(self, doc: Doc) -> Doc:
        hits = self.lexicon.find_reference(doc)
        doc._.concepts = tuple((h.start, h.end, h.concept) for h in hits)
        if not self.frames:
            return doc
        found = []
        for sent in doc.sents:
            in_sent = [h for h in hits if sent.start <= h.start and h.end <= sent.end]
            by_concept: dict[str, list[Hit]] = {}
            for hit in in_sent:
                by_concept.setdefault(hit.concept, []).append(hit)
            for frame in self.frames:
                if all(c in by_concept for c in frame.concepts):
                    match = self._best(doc, [by_concept[c] for c in frame.concepts])
                    if match is not None:
                        start, end = match
                        found.append(Span(doc, start, end, label=frame.code, span_id=frame.rule))
        return self._add(doc, found)

    def _add(self, doc: Doc, found: list[Span]) -> Doc:
        if found:
            group = doc.spans[self.spans_key] if self.spans_key in doc.spans else []
            doc.spans[self.spans_key] = list(group) + found
        return doc

    def _best(self, doc: Doc, options: list[list[Hit]]) -> tuple[int, int] | None:
        """The shortest span holding one occurrence of each concept (distinct words), free of inner negation."""
        best: tuple[int, int] | None = None
        for anchor in options[0]:
            chosen = [anchor]
            for hits in options[1:]:
                free = [h for h in hits if all(h.start >= c.end or h.end <= c.start for c in chosen)]
                if not free:
                    break
                chosen.append(min(free, key=lambda h: abs(h.start - anchor.start)))
            else:
                start, end = min(h.start for h in chosen), max(h.end for h in chosen)
                if self._negated_inside(doc, start, chosen):
                    continue
                if best is None or end - start < best[1] - best[0]:
                    best = (start, end)
        return best

    def _negated_inside(self, doc: Doc, start: int, chosen: list[Hit]) -> bool:
        covered = {i for h in chosen for i in range(h.start, h.end)}
        for hit in chosen:
            if hit.negates:
                continue
            for i in range(max(start, hit.start - NEGATION_WINDOW), hit.start):
                if i not in covered and doc[i].lower_ in self.negations:
                    return True
        return False


@Language.factory("bolyst_frames", default_config={"spans_key": "codebook", "lang": "nb", "concepts": {},
                                                    "frames": [], "negations": [], "reference": False})
def make_frames(nlp: Language, name: str, spans_key: str, lang: str, concepts: dict, frames: list,
                negations: list, reference: bool) -> FrameMatcher:
    """``frames``: [[rule id, code, [concept, …]], …]; ``concepts``: the codebook's concepts."""
    lexicon = Lexicon(concepts, lang, negations)
    return FrameMatcher(lexicon, [Frame(r, c, tuple(cs)) for r, c, cs in frames], spans_key, reference)
