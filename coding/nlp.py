"""The coding pipelines: blank ``nb`` / ``en`` spaCy pipelines built from the codebook.

Each pipeline is ``sentencizer → bolyst_lemmatizer → span_ruler → bolyst_frames → bolyst_modality``:

* ``bolyst_lemmatizer`` fills ``token.lemma_`` with lower-case simplemma lemmas (no model download), so
  «flyttet», «flytter», «flyttingen» meet one ``{LEMMA: "flytte"}`` rule;
* ``span_ruler`` (``validate=True``) holds every rule of that language: label = code id, pattern id = rule
  id; phrase patterns match on lemmas too (``phrase_matcher_attr="LEMMA"``). Matches go to
  ``doc.spans["codebook"]``;
* ``bolyst_frames`` adds the matches of frame rules (concepts that meet in one sentence, see
  :mod:`bolyst.coding.concepts`) to the same group and records every concept found in ``doc._.concepts``;
* ``bolyst_modality`` marks each match ``asserted``, ``negated`` or ``hypothetical`` (see
  :mod:`bolyst.coding.modality`). The coder keeps only asserted matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import numpy
import spacy
from bolyst.corpus.lemmas import LANGS, lemma
from spacy.attrs import IS_PUNCT, LEMMA, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

from . import concepts, modality  # noqa: F401  (register the bolyst_frames and bolyst_modality factories)
from .codebook import Codebook, Rule
from .modality import CUES

SPANS_KEY = "codebook"
T = TypeVar("T")
#: Pipeline used for each excerpt language (``bolyst.corpus.language`` detects it when none is given).
#: Bokmål and Nynorsk each have their own pipeline: the lemmatizer tries the excerpt's own written standard
#: first and the other for words it lacks, so «flytta», «flyttet» and «flytter» all meet ``{LEMMA: "flytte"}``.
PIPELINE_FOR_LANG = {"nb": "nb", "no": "nb", "nn": "nn", "en": "en"}


def codable(texts: Iterable[T]) -> list[T]:
    """The texts in a language the coder has a pipeline for (the others are stored, not coded)."""
    return [t for t in texts if PIPELINE_FOR_LANG.get(t.lang or "nb")]


#: The pipelines: name -> spaCy language (spaCy has one Norwegian tokenizer, "nb", for both standards).
PIPELINES = {"nb": "nb", "nn": "nb", "en": "en"}


class Lemmatizer:
    """Sets ``token.lemma_`` to the lower-case simplemma lemma (the word itself when unknown)."""

    def __init__(self, lang: str, reference: bool = False) -> None:
        self.reference = reference  # token by token, as first written (the regression tests' yardstick)
        if lang not in LANGS:
            raise ValueError(f"bolyst_lemmatizer: unknown lang {lang!r}; use one of {sorted(LANGS)}")
        self.lang = lang
        self._cache: dict[int, int] = {}  # hash of the word -> hash of its lemma (both in the vocab's strings)

    def __call__(self, doc: Doc) -> Doc:
        if self.reference:
            for token in doc:
                token.lemma_ = lemma(token.text, self.lang)
            return doc
        if not len(doc):
            return doc
        cache, strings = self._cache, doc.vocab.strings
        lemmas = []
        for orth in doc.to_array(ORTH).tolist():
            found = cache.get(orth)
            if found is None:
                found = cache[orth] = strings.add(lemma(strings[orth], self.lang))
            lemmas.append(found)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


class Sentences:
    """spaCy's ``sentencizer`` rule (a sentence starts after ``. ! ?`` … at the next token that is no punctuation),
    read from the doc's arrays instead of token by token; same boundaries, several times faster."""

    def __init__(self) -> None:
        self.punct = frozenset(map(get_string_id, Sentencizer.default_punct_chars))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        orths, is_punct = doc.to_array([ORTH, IS_PUNCT]).T.tolist()
        starts = [-1] * n
        start, seen_period, punct = 0, False, self.punct
        for i, orth in enumerate(orths):
            in_chars = orth in punct
            if seen_period and not is_punct[i] and not in_chars:
                starts[start] = 1
                start, seen_period = i, False
            elif in_chars:
                seen_period = True
        starts[start] = 1
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").reshape(-1, 1).astype("uint64"))
        return doc


@Language.factory("bolyst_sentencizer")
def make_sentences(nlp: Language, name: str) -> Sentences:
    return Sentences()


@Language.factory("bolyst_lemmatizer", default_config={"lang": "nb", "reference": False})
def make_lemmatizer(nlp: Language, name: str, lang: str, reference: bool) -> Lemmatizer:
    return Lemmatizer(lang, reference)


def rule_patterns(rules: list[Rule], codebook: Codebook | None = None, lang: str = "nb") -> list[dict]:
    """span_ruler patterns (a list, materialised once): label = code id, id = rule id; concepts expanded."""
    concepts = codebook.concepts if codebook is not None else {}
    return [{"label": r.code, "id": r.id, "pattern": r.pattern_for(lang, concepts)} for r in rules if not r.frame]


def make_pipeline(codebook: Codebook, name: str = "nb", reference: bool = False) -> Language:
    """One pipeline (``nb``, ``nn`` or ``en``) with the codebook's rules of its language.

    ``reference``: every component as first written (spaCy's sentencizer and Matcher, token-by-token lemmas
    and concepts); slower, same codings: tests/test_fast_coder.py holds the default pipeline to it.
    """
    nlp = spacy.blank(PIPELINES[name])
    nlp.add_pipe("sentencizer" if reference else "bolyst_sentencizer", name="sentencizer")
    nlp.add_pipe("bolyst_lemmatizer", config={"lang": name, "reference": reference})
    rules = [r for r in codebook.rules if r.applies_to(name)]
    patterns = rule_patterns(rules, codebook, name)
    if patterns:  # a codebook of frames only needs no span_ruler (spaCy warns about an empty one)
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": True,
                                                   "phrase_matcher_attr": "LEMMA", "overwrite": True})
        ruler.add_patterns(patterns)
    nlp.add_pipe("bolyst_frames", config={
        "spans_key": SPANS_KEY, "lang": name, "concepts": {k: {lang: list(words) for lang, words in v.items()}
                                                           for k, v in codebook.concepts.items()},
        "frames": [[r.id, r.code, list(r.frame)] for r in rules if r.frame],
        "negations": CUES[name]["negation"], "reference": reference})
    nlp.add_pipe("bolyst_modality", config={"spans_key": SPANS_KEY, "lang": name, "reference": reference})
    return nlp


def load_pipelines(codebook: Codebook, reference: bool = False) -> dict[str, Language]:
    """Every pipeline, built once: {"nb": …, "nn": …, "en": …}."""
    return {name: make_pipeline(codebook, name, reference) for name in PIPELINES}

