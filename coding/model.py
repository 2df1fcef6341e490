"""The learned suggester: a spaCy ``textcat_multilabel`` trained on the human codings of the learn-from splits.

Pure core, no database: ``training_texts`` → ``train`` → ``suggest`` (``Coding`` records with origin and
coder ``model``). ``fit_model`` does all three steps from the codebook, the excerpts, their splits and the
decisions.

* **Labels** are the four themes. Sub-codes are too rare to learn (coding/FORMAT.md).
* **Training data** is every excerpt a human coder read (:class:`~bolyst.coding.decisions.Reading`) in the
  splits rules are written from (``training`` of the seed documents, ``dev`` of the development set;
  :mod:`bolyst.coding.splits`), never ``heldout`` or ``test``.
  Its target is the **reference** coding where one covers the excerpt (``reference: true`` in a decision
  file: the development set's reconciled coding), else the **union** of the human coders who read it (a
  theme is present when any of them adds or accepts it or a code under it).
* **Features**: the excerpt's simplemma lemmas and, with ``lemma+concepts`` (the default), a ``C_<name>``
  token for every codebook concept found in it (:mod:`bolyst.coding.concepts`). Concepts are the same in
  Bokmål, Nynorsk and English, so what is learned from one language carries to the others.
* **Model**: a blank pipeline with ``textcat_multilabel`` over ``spacy.TextCatBOW.v3`` (bag of words),
  trained from scratch; no model is downloaded.
* **Repeatable**: fixed seed, fixed epochs, excerpts sorted by id, a seeded shuffle per epoch, scores
  rounded to 3 decimals; the same sources give the same suggestions.
* **A suggestion** is a theme whose rounded score is at least ``threshold``. A text classifier has no
  span, so its suggestion spans the whole excerpt (0 to len(text)).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass

import spacy
from bolyst.corpus.lemmas import lemma
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from .codebook import Codebook
from .coder import MODEL, Coding, ExcerptLike
from .decisions import Decision, Reading, latest
from .splits import DEV, LEARN_FROM, TEST

PIPE = "textcat_multilabel"
FEATURES = ("lemma+concepts", "lemma", "lower", "orth")
TARGETS = ("union", "all")
DIGITS = 3  # stored scores are rounded to this many decimals
#: features(text, lang) -> the tokens the bag of words reads (see ``featurizer`` in coding/suggest.py)
Featurizer = Callable[[str, str], Sequence[str]]


@dataclass(frozen=True)
class ModelSettings:
    """How the suggester is trained; the defaults are the ones ``bolyst model cv`` chose (learn-from splits)."""

    features: str = "lemma+concepts"  # lemma+concepts | lemma | lower | orth (the text as written)
    ngram_size: int = 1  # 1 = single words, 2 = words and word pairs, …
    length: int = 2 ** 16  # rows of the bag-of-words hash table
    epochs: int = 10
    batch_size: int = 8
    seed: int = 0
    threshold: float = 0.8  # a theme is suggested when its rounded score is at least this
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
    """A training excerpt with the themes each human coder who read it applies, and its reference themes."""

    id: str
    text: str
    lang: str
    themes: tuple[tuple[str, tuple[str, ...]], ...]  # (human coder, themes), every coder who read it, sorted
    reference: tuple[str, ...] | None = None  # the reference coding's themes, where one covers the excerpt
    features: tuple[str, ...] = ()  # the tokens the bag of words reads (empty: computed from the text)

    def target(self, rule: str = "union") -> frozenset[str]:
        """The themes the model learns: the reference's, else those of any (union) or every (all) coder."""
        if self.reference is not None:
            return frozenset(self.reference)
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


def training_texts(book: Codebook, texts: Iterable[ExcerptLike], decisions: Iterable[Decision],
                   split_of: dict[str, str], featurize: Featurizer | None = None) -> list[LabelledText]:
    """The excerpts of the learn-from splits that a human coder read (:class:`Reading`), sorted by id, with the
    themes of every human coder who read them; ``heldout`` and ``test`` never. An excerpt nobody read is no
    example at all (not a negative one): a project's own documents teach the model once someone codes them."""
    decisions = list(decisions)
    humans = human_themes(book, decisions)
    reading = Reading.of((d.coder, d.excerpt, d.scope) for d in decisions)
    reference = {d.coder for d in decisions if d.reference}
    out = []
    for t in sorted(texts, key=lambda t: t.id):
        split = split_of.get(t.id)
        if split not in LEARN_FROM:
            continue
        readers = [c for c in sorted(humans) if reading.read(c, t.id, split in (DEV, TEST))]
        if not readers:
            continue
        refs = [c for c in readers if c in reference]
        out.append(LabelledText(
            t.id, t.text, t.lang or "nb", tuple((c, tuple(sorted(humans[c].get(t.id, ())))) for c in readers),
            tuple(sorted(set().union(*(humans[c].get(t.id, set()) for c in refs)))) if refs else None,
            tuple(featurize(t.text, t.lang or "nb")) if featurize else ()))
    return out


def learnable(examples: Sequence[LabelledText], themes: Sequence[str],
              settings: ModelSettings) -> tuple[str, ...]:
    """The themes with at least ``min_examples`` positive and negative training excerpts, in codebook order."""
    counts = {theme: sum(theme in e.target(settings.target) for e in examples) for theme in themes}
    return tuple(t for t in themes if min(counts[t], len(examples) - counts[t]) >= settings.min_examples)


def feature_doc(nlp: Language, text: str, lang: str, features: str, given: Sequence[str] = ()) -> Doc:
    """The doc the bag of words reads: the ``given`` feature tokens (lemmas and concepts) for ``lemma+concepts``,
    else the text's lemmas / lower-case words / tokens as written."""
    if given and features == "lemma+concepts":
        return Doc(nlp.vocab, words=list(given))
    doc = nlp.make_doc(text)
    if features == "orth":
        return doc
    words = [lemma(t.text, lang) if features.startswith("lemma") else t.text.lower() for t in doc if not t.is_space]
    return Doc(nlp.vocab, words=words or ["_"])


def train(examples: Sequence[LabelledText], labels: Sequence[str],
          settings: ModelSettings = DEFAULT_SETTINGS) -> Language:
    """A blank ``nb`` pipeline with a ``textcat_multilabel`` trained on ``examples`` (same input, same model)."""
    if not labels or not examples:
        raise ValueError("training needs at least one label and one example")
    fix_random_seed(settings.seed)
    nlp = untrained(labels, settings)
    data = []
    for e in sorted(examples, key=lambda e: e.id):
        cats = {label: float(label in e.target(settings.target)) for label in labels}
        data.append(Example.from_dict(feature_doc(nlp, e.text, e.lang, settings.features, e.features),
                                      {"cats": cats}))
    optimizer = nlp.initialize(lambda: data)
    shuffle = random.Random(settings.seed)
    for _ in range(settings.epochs):
        order = list(data)
        shuffle.shuffle(order)
        for batch in minibatch(order, size=settings.batch_size):
            nlp.update(batch, sgd=optimizer)
    return nlp


def untrained(labels: Sequence[str], settings: ModelSettings = DEFAULT_SETTINGS) -> Language:
    """The suggester's pipeline before training: a trained one's bytes load into it (``from_bytes``)."""
    nlp = spacy.blank("nb")
    textcat = nlp.add_pipe(PIPE, config={"model": settings.model_config(), "threshold": settings.threshold})
    for label in labels:
        textcat.add_label(label)
    return nlp


#: train(examples, labels, settings) -> the trained pipeline: :func:`train`, or one that remembers it
Trainer = Callable[[Sequence["LabelledText"], Sequence[str], "ModelSettings"], Language]


def scores(nlp: Language, texts: Iterable[ExcerptLike], settings: ModelSettings = DEFAULT_SETTINGS,
           featurize: Featurizer | None = None) -> dict[str, dict[str, float]]:
    """excerpt id → label → score, rounded to ``DIGITS`` decimals."""
    items = list(texts)

    def given(t: ExcerptLike) -> Sequence[str]:
        if getattr(t, "features", ()):
            return t.features  # type: ignore[attr-defined]
        return featurize(t.text, t.lang or "nb") if featurize else ()

    docs = (feature_doc(nlp, t.text, t.lang or "nb", settings.features, given(t)) for t in items)
    return {t.id: {label: round(float(value), DIGITS) for label, value in sorted(doc.cats.items())}
            for t, doc in zip(items, nlp.get_pipe(PIPE).pipe(docs))}


def suggest(nlp: Language, texts: Iterable[ExcerptLike], settings: ModelSettings = DEFAULT_SETTINGS,
            featurize: Featurizer | None = None) -> Iterator[Coding]:
    """One ``Coding`` per excerpt and theme scored at least ``threshold``; span = the whole excerpt."""
    items = sorted(texts, key=lambda t: t.id)
    by_id = {t.id: t for t in items}
    for excerpt, cats in scores(nlp, items, settings, featurize).items():
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
    fingerprint: str = ""  # of the training data (:func:`fingerprint`)


def fingerprint(examples: Iterable[LabelledText]) -> str:
    """SHA-256 of what the model is trained on: ids, texts, targets and features, in order."""
    digest = hashlib.sha256()
    for e in sorted(examples, key=lambda e: e.id):
        digest.update(json.dumps([e.id, e.text, sorted(e.target()), list(e.features)],
                                 ensure_ascii=False).encode())
    return digest.hexdigest()


def fit_model(book: Codebook, texts: Iterable[ExcerptLike], decisions: Iterable[Decision],
              split_of: dict[str, str], settings: ModelSettings = DEFAULT_SETTINGS,
              featurize: Featurizer | None = None, trainer: Trainer | None = None) -> TrainedModel | None:
    """Train on the learn-from splits' human codings; None when no theme has enough examples to learn.
    ``trainer``: instead of :func:`train` (coding/cache.py's keeps what training the same examples gave)."""
    decisions = list(decisions)
    examples = training_texts(book, texts, decisions, split_of,
                              featurize if settings.features == "lemma+concepts" else None)
    labels = learnable(examples, book.themes, settings)
    if not labels:
        return None
    positives = tuple((label, sum(label in e.target(settings.target) for e in examples)) for label in labels)
    coders = tuple(sorted({d.coder for d in decisions}))
    nlp = (trainer or train)(examples, labels, settings)
    return TrainedModel(nlp, labels, settings, len(examples), positives, coders, fingerprint(examples))
