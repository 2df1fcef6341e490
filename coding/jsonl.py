"""Code texts given as JSON Lines: in ``{"id", "text", "lang"}`` per line (``lang`` optional), out one result
per line.

Out: ``{"id", "lang", "themes": [...], "codes": [{"code", "theme", "about", "origin", "rule", "start", "end",
"text", "score"}]}``; ``about`` is the place the code is about by its definition (origin, place_left,
destination, current_place), or null. ``lang`` is the given language or, without one, the detected one (:mod:`bolyst.corpus.language`).
A text in a language the coder has no rules for is not coded and says so: ``"not_coded": "language sv"``
(never an empty, silent result). A bad line becomes an ``ExportError`` naming the line; the other lines are
still coded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bolyst.corpus.errors import BolystError, ExportError
from bolyst.corpus.language import detect

from .coder import Pipelines, Text
from .nlp import PIPELINE_FOR_LANG
from .suggest import LoadedModel, suggestions, themes


@dataclass(frozen=True)
class LineResult:
    line: int
    output: dict | None = None
    error: BolystError | None = None


def parse_line(raw: str, line: int, name: str) -> tuple[Text, str | int]:
    """One input line as a Text (and its id as given); ExportError naming ``name`` and ``line`` if not one."""
    def fail(message: str, fix: str) -> ExportError:
        return ExportError(message, path=name, where=f"line {line}", fix=fix)

    fix = 'each line is one JSON object: {"id": "…", "text": "…", "lang": "nb"}'
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON ({exc.msg} at column {exc.colno})", fix) from None
    if not isinstance(data, dict):
        raise fail("not a JSON object", fix)
    text_id, text, lang = data.get("id"), data.get("text"), data.get("lang")
    if not isinstance(text_id, (str, int)) or isinstance(text_id, bool) or str(text_id) == "":
        raise fail("missing 'id'", fix)
    if not isinstance(text, str):
        raise fail(f"'text' of {text_id!r} must be a string", fix)
    if lang is None or lang == "":
        lang = detect(text)
    elif not isinstance(lang, str):
        raise fail(f"'lang' of {text_id!r} must be a language code such as \"nb\"", fix)
    return Text(str(text_id), text, lang), text_id


def code_jsonl(nlp: Pipelines, lines: Iterable[str], name: str = "<stdin>",
               model: LoadedModel | None = None) -> Iterator[LineResult]:
    """Code each non-blank line with the rules and, when given, the learned model; one LineResult per line."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            text, given_id = parse_line(raw, number, name)
        except ExportError as exc:
            yield LineResult(number, error=exc)
            continue
        output: dict = {"id": given_id, "lang": text.lang}
        if text.lang not in PIPELINE_FOR_LANG:
            yield LineResult(number, output={**output, "themes": [], "codes": [],
                                             "not_coded": f"language {text.lang}"})
            continue
        codings = suggestions(nlp, model, [text])
        yield LineResult(number, output={
            **output, "themes": themes(codings),
            "codes": [{"code": c.code, "theme": c.theme, "about": nlp.codebook.about(c.code), "origin": c.origin,
                       "rule": c.rule, "start": c.start, "end": c.end,
                       "text": c.text if c.origin == "rule" else None, "score": c.score} for c in codings]})
