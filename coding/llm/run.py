"""Code texts with a language model and store the result: coder ``llm:<model>``, origin ``llm``.

``code_texts`` is pure apart from the endpoint and the cache: it returns an :class:`LlmRun`. ``save_run``
writes its codings (review state unreviewed, unless a human decision already confirms or rejects them)
and one ``llm_answers`` row per excerpt read, so agreement measures the model over what it read.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from ..codebook import Codebook
from ..coder import Coding, Text
from .answer import check, parse
from .cache import AnswerCache
from .client import ChatClient, LlmError
from .prompt import PROMPT_VERSION, cache_key, codebook_version, request_body

PREFIX = "llm:"


def coder_id(model: str) -> str:
    return PREFIX + model


@dataclass
class LlmRun:
    coder: str
    model: str
    book_version: str
    codings: list[Coding] = field(default_factory=list)
    rationale: dict[str, str] = field(default_factory=dict)  # coding id → rationale
    answers: list[dict] = field(default_factory=list)  # llm_answers rows
    errors: list[str] = field(default_factory=list)  # '<excerpt>: <what>'
    warnings: list[str] = field(default_factory=list)
    not_coded: list[str] = field(default_factory=list)  # excerpts the endpoint never answered for
    cache_hits: int = 0
    requests: int = 0


def batches(items: Sequence[Text], size: int) -> list[list[Text]]:
    return [list(items[i:i + size]) for i in range(0, len(items), max(size, 1))]


def code_texts(book: Codebook, texts: Sequence[Text], client: ChatClient, cache: AnswerCache, batch: int = 5,
               progress: Callable[[int, int, float], None] | None = None) -> LlmRun:
    """Code ``texts``: cached answers first, the rest sent ``batch`` at a time. On an endpoint failure
    (after its retries) the texts not yet coded are listed in ``not_coded``; what was coded is kept."""
    version = codebook_version(book)
    run = LlmRun(coder_id(client.model), client.model, version)
    known = {c.id for c in book.codes}
    todo = []
    for text in texts:
        key = cache_key(text, version, client.model)
        cached = cache.get(key)
        if cached is None:
            todo.append((text, key))
        else:
            run.cache_hits += 1
            _record(run, book, text, key, cached["codes"], known, cached.get("answered"))
    started, done = time.monotonic(), 0
    groups = batches([t for t, _ in todo], batch)
    keys = dict((t.id, k) for t, k in todo)
    for number, group in enumerate(groups):
        try:
            content, _ = client.complete(request_body(client.model, book, group))
        except LlmError as exc:
            run.errors.append(str(exc).splitlines()[0])
            run.not_coded += [t.id for g in groups[number:] for t in g]
            break
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            raw = parse(content, group)
        except ValueError as exc:
            run.errors += [f"{t.id}: {exc}" for t in group]
            run.not_coded += [t.id for t in group]
        else:
            for text in group:
                if text.id in raw:
                    cache.put(keys[text.id], {"codes": raw[text.id], "answered": now, "model": client.model,
                                              "prompt_version": PROMPT_VERSION, "codebook_version": version})
                    _record(run, book, text, keys[text.id], raw[text.id], known, now)
                else:
                    run.errors.append(f"{text.id}: no answer for this excerpt")
                    run.not_coded.append(text.id)
        done += len(group)
        if progress:
            progress(done, len(todo), time.monotonic() - started)
    run.requests = client.requests
    return run


def _record(run: LlmRun, book: Codebook, text: Text, key: str, raw: object, known: set[str],
            answered: str | None) -> None:
    checked = check(raw, text, known)
    run.errors += [f"{text.id}: {e}" for e in checked.errors]
    run.warnings += [f"{text.id}: {w}" for w in checked.warnings]
    for c in checked.codes:
        coding = Coding(excerpt=text.id, code=c.code, theme=book.theme(c.code), rule=None, start=c.start, end=c.end,
                        text=c.span, score=None, coder=run.coder, origin="llm")
        run.codings.append(coding)
        run.rationale[f"{run.coder}:{c.code}@{text.id}"] = c.rationale
    run.answers.append({"id": f"{run.coder}@{text.id}", "coder": run.coder, "excerpt": text.id, "model": run.model,
                        "prompt_version": PROMPT_VERSION, "codebook_version": run.book_version, "cache_key": key,
                        "n_codes": len(checked.codes), "errors": "; ".join(checked.errors + checked.warnings) or None,
                        "answered": answered})


def save_run(db: sqlite_utils.Database, book: Codebook, run: LlmRun) -> int:
    """Store the run's codings and answers (replacing this coder's earlier ones on the same excerpts)."""
    from ..writer import save_auto_codings

    read = sorted({a["excerpt"] for a in run.answers})
    db["llm_answers"].delete_where("coder = ? and excerpt in (select value from json_each(?))",
                                   [run.coder, _json(read)])
    db["llm_answers"].insert_all(run.answers, pk="id", replace=True)
    return save_auto_codings(db, book, run.codings, origin="llm", coder=run.coder, rationale=run.rationale,
                             excerpts=read)


def _json(values: list[str]) -> str:
    import json

    return json.dumps(values)
