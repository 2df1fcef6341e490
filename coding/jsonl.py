"""Code texts given as JSON Lines: in ``{"id", "text", "lang"}`` per line, out one result per line.

Out: ``{"id", "themes": [...], "codes": [{"code", "theme", "rule", "start", "end", "text", "score"}]}``.
A bad line becomes an ``ExportError`` naming the line; the other lines are still coded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bolyst.corpus.errors import BolystError, ExportError

from .coder import Pipelines, Text, code, themes_of
from .nlp import PIPELINE_FOR_LANG


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
    text_id, text, lang = data.get("id"), data.get("text"), data.get("lang", "nb")
    if not isinstance(text_id, (str, int)) or isinstance(text_id, bool) or str(text_id) == "":
        raise fail("missing 'id'", fix)
    if not isinstance(text, str):
        raise fail(f"'text' of {text_id!r} must be a string", fix)
    if lang not in PIPELINE_FOR_LANG:
        raise fail(f"lang {lang!r} of {text_id!r} cannot be coded", f"use one of: {', '.join(PIPELINE_FOR_LANG)}")
    return Text(str(text_id), text, lang), text_id


def code_jsonl(nlp: Pipelines, lines: Iterable[str], name: str = "<stdin>") -> Iterator[LineResult]:
    """Code each non-blank line; one LineResult per line, in order."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            text, given_id = parse_line(raw, number, name)
        except ExportError as exc:
            yield LineResult(number, error=exc)
            continue
        codings = list(code(nlp, [text]))
        yield LineResult(number, output={
            "id": given_id, "themes": themes_of(codings),
            "codes": [{"code": c.code, "theme": c.theme, "rule": c.rule, "start": c.start, "end": c.end,
                       "text": c.text, "score": c.score} for c in codings]})
