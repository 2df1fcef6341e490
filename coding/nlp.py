"""The coding pipelines: blank ``nb`` / ``en`` spaCy pipelines built from the codebook.

Each pipeline is ``sentencizer → bolyst_lemmatizer → span_ruler → bolyst_modality``:

* ``bolyst_lemmatizer`` fills ``token.lemma_`` with lower-case simplemma lemmas (no model download), so
  «flyttet», «flytter», «flyttingen» meet one ``{LEMMA: "flytte"}`` rule;
* ``span_ruler`` (``validate=True``) holds every rule of that language: label = code id, pattern id = rule
  id; phrase patterns match on lemmas too (``phrase_matcher_attr="LEMMA"``). Matches go to
  ``doc.spans["codebook"]``;
* ``bolyst_modality`` marks each match ``asserted``, ``negated`` or ``hypothetical`` (see
  :mod:`bolyst.coding.modality`). The coder keeps only asserted matches.
"""

from __future__ import annotations

import spacy
from bolyst.corpus.lemmas import LANGS, lemma
from spacy.language import Language
from spacy.tokens import Doc

from . import modality  # noqa: F401  (registers the bolyst_modality factory)
from .codebook import Codebook, Rule

SPANS_KEY = "codebook"
#: Pipeline used for each excerpt language. Nynorsk is read by the Norwegian pipeline, whose lemmatizer
#: tries Bokmål first and Nynorsk for words Bokmål lacks; a rule meant to catch a Nynorsk-only form lists
#: its lemma too (``{LEMMA: {IN: ["ensom", "einsam"]}}``).
PIPELINE_FOR_LANG = {"nb": "nb", "no": "nb", "nn": "nb", "en": "en"}
#: The pipelines: name -> spaCy language (the codebook's rules of the same ``lang`` go in).
PIPELINES = {"nb": "nb", "en": "en"}


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


def rule_patterns(rules: list[Rule]) -> list[dict]:
    """span_ruler patterns (a list, materialised once): label = code id, id = rule id."""
    return [{"label": r.code, "id": r.id, "pattern": r.pattern} for r in rules]


def make_pipeline(codebook: Codebook, name: str = "nb") -> Language:
    """One pipeline (``nb`` or ``en``) with the codebook's rules of its language."""
    nlp = spacy.blank(PIPELINES[name])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("bolyst_lemmatizer", config={"lang": name})
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": True,
                                               "phrase_matcher_attr": "LEMMA", "overwrite": True})
    patterns = rule_patterns([r for r in codebook.rules if r.lang == name])
    ruler.add_patterns(patterns)
    nlp.add_pipe("bolyst_modality", config={"spans_key": SPANS_KEY, "lang": name})
    return nlp


def load_pipelines(codebook: Codebook) -> dict[str, Language]:
    """Every pipeline, built once: {"nb": …, "en": …}."""
    return {name: make_pipeline(codebook, name) for name in PIPELINES}

