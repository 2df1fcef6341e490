"""The automatic coder: ``code(nlp, excerpts) -> Iterator[Coding]``, pure (no database).

Every coding says which rule produced it and where: the matched span as character offsets into the
excerpt's text and the matched text, so a researcher can audit why a quote carries a code. Matches that
``bolyst_modality`` marks negated or hypothetical are not codings (see :mod:`bolyst.coding.modality`).
When one rule matches overlapping stretches (a pattern with optional tokens), the longest is kept.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from bolyst.corpus.errors import CorpusFormatError
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .codebook import Codebook, load_codebook
from .modality import ASSERTED
from .features import doc_features
from .nlp import PIPELINE_FOR_LANG, SPANS_KEY, load_pipelines

AUTO = "auto"  # the automatic coder's (the codebook rules') id wherever coders are compared
MODEL = "model"  # the trained suggester's id and origin (coding/model.py)
COMBINED = "combined"  # the rules and the model together: what `bolyst code` suggests (coding/suggest.py)
AUTOMATIC = (AUTO, MODEL, COMBINED)  # the automatic coders, in the order agreement tables list them
BATCH = 256


class ExcerptLike(Protocol):
    id: str
    text: str
    lang: str


@dataclass(frozen=True)
class Text:
    """An excerpt to code: any object with ``id``, ``text`` and ``lang`` will do."""

    id: str
    text: str
    lang: str = "nb"


@dataclass(frozen=True)
class Coding:
    """One automatic coding: ``code`` (and its ``theme``) suggested for ``excerpt`` by ``rule`` (origin
    "rule"), or by the trained suggester (origin and coder "model", no rule, the whole excerpt as span)."""

    excerpt: str
    code: str
    theme: str
    rule: str | None
    start: int  # character offset of the match in the excerpt's text
    end: int
    text: str  # the matched text, == excerpt text[start:end]
    score: float
    coder: str = AUTO
    origin: str = "rule"


@dataclass(frozen=True)
class Pipelines:
    """The coder's "nlp": one spaCy pipeline per excerpt language, and the codebook they were built from."""

    by_lang: dict[str, Language]
    codebook: Codebook

    def for_lang(self, lang: str | None) -> Language | None:
        name = PIPELINE_FOR_LANG.get(lang or "nb")
        return self.by_lang.get(name) if name else None


def load_nlp(codebook: Codebook, reference: bool = False) -> Pipelines:
    """Build every pipeline once (build it once per process and reuse it). ``reference``: the first,
    token-by-token components, kept as the yardstick of the regression tests (same codings, slower)."""
    return Pipelines(load_pipelines(codebook, reference), codebook)


def load_nlp_from(path) -> Pipelines:
    return load_nlp(load_codebook(path))


def code(nlp: Pipelines, excerpts: Iterable[ExcerptLike],
         on_doc: Callable[[ExcerptLike, Doc], None] | None = None, jobs: int = 1,
         on_features: Callable[[ExcerptLike, list[str]], None] | None = None) -> Iterator[Coding]:
    """Code each excerpt; yields codings excerpt by excerpt, in input order, each sorted by position.

    ``on_doc(excerpt, doc)`` sees each parsed doc, so other readers of the parse need not parse the text
    again; ``on_features(excerpt, features)`` gets the learned layer's features of each (see
    ``features.doc_features``). ``jobs`` > 1 codes in that many processes (forked, each with these
    pipelines); then only ``on_features`` is available, since docs stay in their process.
    """
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        if on_doc is not None:
            raise ValueError("code(jobs > 1) cannot hand parsed docs to on_doc; use on_features")
        yield from _code_parallel(nlp, excerpts, jobs, on_features)
        return
    if on_features is not None:
        def on_doc(excerpt: ExcerptLike, doc: Doc, inner=on_doc) -> None:  # noqa: F811
            if inner is not None:
                inner(excerpt, doc)
            on_features(excerpt, doc_features(doc))
    items = iter(excerpts)
    while batch := list(islice(items, BATCH)):
        docs = _parse(nlp, batch)
        for excerpt, doc in zip(batch, docs):
            if on_doc is not None:
                on_doc(excerpt, doc)
            yield from codings_of(nlp.codebook, excerpt.id, doc)


_WORKER: Pipelines | None = None  # the pipelines a forked worker inherits


def _code_chunk(job: tuple[list[tuple[str, str, str]], bool]) -> list[tuple[list[Coding], list[str] | None]]:
    """In a worker: code one chunk of (id, text, lang); with features, each text's learned-layer features too."""
    chunk, want = job
    nlp, out = _WORKER, []
    assert nlp is not None
    texts = [Text(*row) for row in chunk]
    for excerpt, doc in zip(texts, _parse(nlp, texts)):
        out.append((codings_of(nlp.codebook, excerpt.id, doc), doc_features(doc) if want else None))
    return out


def _code_parallel(nlp: Pipelines, excerpts: Iterable[ExcerptLike], jobs: int,
                   on_features: Callable[[ExcerptLike, list[str]], None] | None) -> Iterator[Coding]:
    global _WORKER
    _WORKER = nlp
    items = iter(excerpts)
    want = on_features is not None

    def chunks() -> Iterator[tuple[list[ExcerptLike], tuple]]:
        while batch := list(islice(items, BATCH)):
            yield batch, ([(e.id, e.text, e.lang) for e in batch], want)

    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = chunks()
            window = [(batch, pool.submit(_code_chunk, job)) for batch, job in islice(pending, 4 * jobs)]
            while window:
                batch, future = window.pop(0)
                window += [(b, pool.submit(_code_chunk, j)) for b, j in islice(pending, 1)]
                for excerpt, (codings, feats) in zip(batch, future.result()):
                    if on_features is not None:
                        on_features(excerpt, feats)
                    yield from codings
    finally:
        _WORKER = None


def _parse(nlp: Pipelines, batch: list[ExcerptLike]) -> list[Doc]:
    docs: list[Doc | None] = [None] * len(batch)
    by_pipeline: dict[int, list[int]] = {}
    pipelines: dict[int, Language] = {}
    for i, excerpt in enumerate(batch):
        pipeline = nlp.for_lang(excerpt.lang)
        if pipeline is None:
            raise CorpusFormatError(f"cannot code language {excerpt.lang!r}", where=f"excerpt {excerpt.id!r}",
                                    fix=f"use one of: {', '.join(sorted(PIPELINE_FOR_LANG))}")
        pipelines[id(pipeline)] = pipeline
        by_pipeline.setdefault(id(pipeline), []).append(i)
    for key, indexes in by_pipeline.items():
        for i, doc in zip(indexes, pipelines[key].pipe(batch[i].text for i in indexes)):
            docs[i] = doc
    return docs  # type: ignore[return-value]


def codings_of(codebook: Codebook, excerpt_id: str, doc: Doc) -> list[Coding]:
    """The asserted matches of one parsed excerpt, as codings sorted by (start, end, code, rule)."""
    by_rule: dict[str, list[Span]] = {}
    for span in doc.spans.get(SPANS_KEY, []):
        if span._.modality == ASSERTED:
            by_rule.setdefault(span.id_, []).append(span)
    result = []
    for rule_id, spans in by_rule.items():
        rule = codebook.rules_by_id[rule_id]
        for span in filter_spans(spans):
            result.append(Coding(excerpt=excerpt_id, code=rule.code, theme=codebook.theme(rule.code),
                                 rule=rule_id, start=span.start_char, end=span.end_char, text=span.text,
                                 score=rule.score))
    return sorted(result, key=lambda c: (c.start, c.end, c.code, c.rule))

