"""Checks of one corpus file's records (corpus/FORMAT.md), each failure kept with the record's line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import BolystError, CorpusFormatError
from .yamlio import LINE

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Checker:
    """Collects format errors for one file, each with the record's line."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.errors: list[BolystError] = []

    def fail(self, record: dict[str, Any] | None, message: str, fix: str | None = None) -> None:
        where = None
        if isinstance(record, dict):
            bits = [f"line {record[LINE]}" if LINE in record else None,
                    f"record {record['id']!r}" if record.get("id") else None]
            where = ", ".join(b for b in bits if b) or None
        self.errors.append(CorpusFormatError(message, path=self.rel, where=where, fix=fix))

    def text(self, record: dict[str, Any], key: str, required: bool = True) -> str | None:
        value = record.get(key)
        if value is None or value == "":
            if required:
                self.fail(record, f"missing '{key}'", fix=f"add a '{key}:' field (see corpus/FORMAT.md)")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(record, f"'{key}' must be text, not {type(value).__name__}")
            return None
        return value.strip()

    def integer(self, record: dict[str, Any], key: str) -> int | None:
        value = record.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(record, f"'{key}' must be a whole number, not {value!r}")
            return None
        return value

    def choice(self, record: dict[str, Any], key: str, allowed: tuple[str, ...], required: bool) -> str | None:
        value = self.text(record, key, required)
        if value is not None and value not in allowed:
            self.fail(record, f"'{key}' is {value!r}", fix=f"use one of: {', '.join(allowed)}")
            return None
        return value

    def lines(self, record: dict[str, Any], seed_lines: int | None) -> tuple[int | None, int | None]:
        value = record.get("lines")
        if value is None:
            return None, None
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
            self.fail(record, f"'lines' must be [first, last], not {value!r}")
            return None, None
        first, last = value
        if first < 1 or last < first or (seed_lines is not None and last > seed_lines):
            self.fail(record, f"'lines' {value} is outside the seed's 1–{seed_lines}",
                      fix="give the first and last line of the passage in the seed file")
            return None, None
        return first, last

    def omits(self, record: dict[str, Any]) -> tuple[str, ...]:
        value = record.get("omits") or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(record, "'omits' must be a list of verbatim strings")
            return ()
        return tuple(value)

    def ident(self, record: dict[str, Any], seen: set[str], kind: str) -> str | None:
        value = self.text(record, "id")
        if value is None:
            return None
        if not _ID.match(value):
            self.fail(record, f"{kind} id {value!r} is not a slug",
                      fix="use lower-case ASCII letters, digits, '-', '_' or '.'")
            return None
        if value in seen:
            self.fail(record, f"duplicate {kind} id {value!r}", fix="give each record its own id")
            return None
        seen.add(value)
        return value
