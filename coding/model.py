"""The learned suggester: a spaCy ``textcat_multilabel`` trained on the human codings of the training split.

Pure core, no database: ``training_texts`` → ``train`` → ``suggest`` (``Coding`` records with origin and
coder ``model``). ``fit_model`` does all three steps from the codebook, the excerpts and the decisions.

* **Labels** are the four themes. Sub-codes are not learned: the most frequent one has 15 training excerpts
  and most have fewer than 8, too few for a text classifier (coding/FORMAT.md).
* **Training data** is every excerpt of the *training* split (``Codebook.is_heldout`` false), never a
  held-out one. Its target is the **union** of the human coders: a theme is present when any human coder's
  decision in force adds or accepts it or a code under it. Every human coder read every excerpt, so an
  excerpt without such a decision is a negative example (the "corpus" units of :mod:`agreement`).
* **Model**: a blank ``nb`` pipeline with ``textcat_multilabel`` over ``spacy.TextCatBOW.v3`` (bag of
  words, unigrams) on lower-case simplemma lemmas, trained from scratch; no model is downloaded.
  These settings won a 5-fold cross-validation on the training split (``bolyst model cv``); the held-out
  split was not looked at to choose them.
* **Repeatable**: fixed seed (``spacy.util.fix_random_seed``), fixed epochs, excerpts sorted by id, a seeded
  shuffle per epoch, scores rounded to 3 decimals; the same sources give the same suggestions.
* **A suggestion** is a theme whose rounded score is at least ``threshold`` (0.5). A text classifier has no
  span, so its suggestion spans the whole excerpt (0 to len(text)).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

import spacy
from bolyst.corpus.lemmas import lemma
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from .codebook import Codebook
from .coder import MODEL, Coding, ExcerptLike
from .decisions import Decision, latest

PIPE = "textcat_multilabel"
FEATURES = ("lemma", "lower", "orth")
TARGETS = ("union", "all")
DIGITS = 3  # stored scores are rounded to this many decimals


@dataclass(frozen=True)
class ModelSettings:
    """How the suggester is trained; the defaults are the ones ``bolyst model cv`` chose (training split)."""

    features: str = "lemma"  # what a token is to the bag of words: lemma | lower | orth (the text as written)
    ngram_size: int = 1  # 1 = single words, 2 = words and word pairs, …
    length: int = 2 ** 16  # rows of the bag-of-words hash table
    epochs: int = 20
    batch_size: int = 8
    seed: int = 0
    threshold: float = 0.5  # a theme is suggested when its rounded score is at least this
    target: str = "union"  # union: any human coder applies the theme; all: every human coder does
    min_examples: int = 5  # a theme is learned with at least this many positive and negative excerpts

    def __post_init__(self) -> None:
        if self.features not in FEATURES or self.target not in TARGETS:
            raise ValueError(f"features must be one of {FEATURES} and target one of {TARGETS}")

    def model_config(self) -> dict:
        return {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                "ngram_size": self.ngram_size, "no_output_layer": False, "length": self.length}

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in asdict(self).items())


DEFAULT_SETTINGS = ModelSettings()


@dataclass(frozen=True)
class LabelledText:
    """A training excerpt with the themes each human coder applies to it."""

    id: str
    text: str
    lang: str
    themes: tuple[tuple[str, tuple[str, ...]], ...]  # (human coder, themes), every human coder, sorted

    def target(self, rule: str = "union") -> frozenset[str]:
        """The themes the model learns for this excerpt: applied by any (union) or every (all) human coder."""
        sets = [set(themes) for _, themes in self.themes]
        if not sets:
            return frozenset()
        return frozenset(set.union(*sets) if rule == "union" else set.intersection(*sets))

    def by(self, coder: str) -> frozenset[str]:
        return frozenset(dict(self.themes).get(coder, ()))


def human_themes(book: Codebook, decisions: Iterable[Decision]) -> dict[str, dict[str, set[str]]]:
    """coder → excerpt → themes the coder's decisions in force add or accept (a sub-code counts for its
    theme); every coder with a decision is a key, also one who applies nothing."""
    result: dict[str, dict[str, set[str]]] = {}
    for (coder, excerpt, code), decision in latest(decisions).items():
        per_coder = result.setdefault(coder, {})
        if decision.present:
            per_coder.setdefault(excerpt, set()).add(book.theme(code))
    return result


def training_texts(book: Codebook, texts: Iterable[ExcerptLike],
                   decisions: Iterable[Decision]) -> list[LabelledText]:
    """The excerpts of the training split, sorted by id, with every human coder's themes; held-out never."""
    humans = human_themes(book, decisions)
    return [LabelledText(t.id, t.text, t.lang or "nb",
                         tuple((c, tuple(sorted(humans[c].get(t.id, ())))) for c in sorted(humans)))
            for t in sorted(texts, key=lambda t: t.id) if not book.is_heldout(t.id)]


def learnable(examples: Sequence[LabelledText], themes: Sequence[str],
              settings: ModelSettings) -> tuple[str, ...]:
    """The themes with at least ``min_examples`` positive and negative training excerpts, in codebook order."""
    counts = {theme: sum(theme in e.target(settings.target) for e in examples) for theme in themes}
    return tuple(t for t in themes if min(counts[t], len(examples) - counts[t]) >= settings.min_examples)


def feature_doc(nlp: Language, text: str, lang: str, features: str) -> Doc:
    """The doc the bag of words reads: the pipeline's tokens, as lemmas or lower-case words when asked."""
    doc = nlp.make_doc(text)
    if features == "orth":
        return doc
    words = [lemma(t.text, lang) if features == "lemma" else t.text.lower() for t in doc if not t.is_space]
    return Doc(nlp.vocab, words=words)


def train(examples: Sequence[LabelledText], labels: Sequence[str],
          settings: ModelSettings = DEFAULT_SETTINGS) -> Language:
    """A blank ``nb`` pipeline with a ``textcat_multilabel`` trained on ``examples`` (same input, same model)."""
    if not labels or not examples:
        raise ValueError("training needs at least one label and one example")
    fix_random_seed(settings.seed)
    nlp = spacy.blank("nb")
    textcat = nlp.add_pipe(PIPE, config={"model": settings.model_config(), "threshold": settings.threshold})
    for label in labels:
        textcat.add_label(label)
    data = []
    for e in sorted(examples, key=lambda e: e.id):
        cats = {label: float(label in e.target(settings.target)) for label in labels}
        data.append(Example.from_dict(feature_doc(nlp, e.text, e.lang, settings.features), {"cats": cats}))
    optimizer = nlp.initialize(lambda: data)
    shuffle = random.Random(settings.seed)
    for _ in range(settings.epochs):
        order = list(data)
        shuffle.shuffle(order)
        for batch in minibatch(order, size=settings.batch_size):
            nlp.update(batch, sgd=optimizer)
    return nlp


def scores(nlp: Language, texts: Iterable[ExcerptLike], settings: ModelSettings = DEFAULT_SETTINGS
           ) -> dict[str, dict[str, float]]:
    """excerpt id → label → score, rounded to ``DIGITS`` decimals."""
    items = list(texts)
    docs = (feature_doc(nlp, t.text, t.lang or "nb", settings.features) for t in items)
    return {t.id: {label: round(float(value), DIGITS) for label, value in sorted(doc.cats.items())}
            for t, doc in zip(items, nlp.get_pipe(PIPE).pipe(docs))}


def suggest(nlp: Language, texts: Iterable[ExcerptLike],
            settings: ModelSettings = DEFAULT_SETTINGS) -> Iterator[Coding]:
    """One ``Coding`` per excerpt and theme scored at least ``threshold``; span = the whole excerpt."""
    items = sorted(texts, key=lambda t: t.id)
    by_id = {t.id: t for t in items}
    for excerpt, cats in scores(nlp, items, settings).items():
        text = by_id[excerpt].text
        for label, score in cats.items():
            if score >= settings.threshold:
                yield Coding(excerpt=excerpt, code=label, theme=label, rule=None, start=0, end=len(text),
                             text=text, score=score, coder=MODEL, origin=MODEL)


@dataclass(frozen=True)
class TrainedModel:
    """A trained suggester and what it was trained on (stored in ``coding_models``)."""

    nlp: Language
    labels: tuple[str, ...]
    settings: ModelSettings
    n_training: int
    positives: tuple[tuple[str, int], ...]  # (label, training excerpts carrying it)
    coders: tuple[str, ...]  # the human coders whose decisions made the target


def fit_model(book: Codebook, texts: Iterable[ExcerptLike], decisions: Iterable[Decision],
              settings: ModelSettings = DEFAULT_SETTINGS) -> TrainedModel | None:
    """Train on the training split's human codings; None when no theme has enough examples to learn."""
    decisions = list(decisions)
    examples = training_texts(book, texts, decisions)
    labels = learnable(examples, book.themes, settings)
    if not labels:
        return None
    positives = tuple((label, sum(label in e.target(settings.target) for e in examples)) for label in labels)
    coders = tuple(sorted({d.coder for d in decisions}))
    return TrainedModel(train(examples, labels, settings), labels, settings, len(examples), positives, coders)
