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

import spacy
from bolyst.corpus.lemmas import LANGS, lemma
from spacy.language import Language
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

    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"bolyst_lemmatizer: unknown lang {lang!r}; use one of {sorted(LANGS)}")
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = lemma(token.text, self.lang)
        return doc


@Language.factory("bolyst_lemmatizer", default_config={"lang": "nb"})
def make_lemmatizer(nlp: Language, name: str, lang: str) -> Lemmatizer:
    return Lemmatizer(lang)


def rule_patterns(rules: list[Rule], codebook: Codebook | None = None, lang: str = "nb") -> list[dict]:
    """span_ruler patterns (a list, materialised once): label = code id, id = rule id; concepts expanded."""
    concepts = codebook.concepts if codebook is not None else {}
    return [{"label": r.code, "id": r.id, "pattern": r.pattern_for(lang, concepts)} for r in rules if not r.frame]


def make_pipeline(codebook: Codebook, name: str = "nb") -> Language:
    """One pipeline (``nb``, ``nn`` or ``en``) with the codebook's rules of its language."""
    nlp = spacy.blank(PIPELINES[name])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("bolyst_lemmatizer", config={"lang": name})
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
        "negations": CUES[name]["negation"]})
    nlp.add_pipe("bolyst_modality", config={"spans_key": SPANS_KEY, "lang": name})
    return nlp


def load_pipelines(codebook: Codebook) -> dict[str, Language]:
    """Every pipeline, built once: {"nb": …, "nn": …, "en": …}."""
    return {name: make_pipeline(codebook, name) for name in PIPELINES}

