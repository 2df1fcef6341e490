"""Bolyst's named exceptions, in one place for every stage.

Each carries where the problem is (file, line or record) and what to do about it; the CLI prints
``str(error)`` and exits non-zero, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class BolystError(Exception):
    """Base class: a problem with the user's input or environment, explained."""

    def __init__(self, message: str, *, path: str | Path | None = None, where: str | None = None,
                 fix: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.where = where
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        location = ""
        if self.path:
            location = self.path + (f", {self.where}" if self.where else "") + ": "
        elif self.where:
            location = self.where + ": "
        hint = f" — {self.fix}" if self.fix else ""
        return f"{location}{self.message}{hint}"


class CorpusFormatError(BolystError):
    """A corpus source file (YAML, transcript, CSV) does not follow corpus/FORMAT.md."""


class ProvenanceError(BolystError):
    """An excerpt's or finding's text does not occur in the seed document it cites."""


class CodebookError(BolystError):
    """The codebook YAML is inconsistent (unknown parent, duplicate id, bad pattern …)."""


class CodingDecisionError(BolystError):
    """A human coding decision file or review sheet refers to unknown excerpts or codes."""


class ProjectError(BolystError):
    """Not a project folder, or a command would write user data into the read-only demo project."""


class UnknownMunicipality(BolystError):
    """A municipality number or name that Bolyst does not know; ``suggestions`` holds the closest names."""

    def __init__(self, message: str, *, suggestions: list[str] | tuple[str, ...] = (), **kwargs) -> None:
        self.suggestions = list(suggestions)
        super().__init__(message, **kwargs)


class AmbiguousMunicipality(UnknownMunicipality):
    """A name or old number that leads to several 2024 municipalities (``suggestions`` lists them)."""


class StatsDataError(BolystError):
    """A statistics snapshot or recorded API response is malformed."""


class ExportError(BolystError):
    """An export or interchange file cannot be written or read."""


class UnsafeWriteError(BolystError):
    """A write would leave the project's folder, or a name taken from the input is not a safe id."""


class WriteConflict(BolystError):
    """A name or id that already exists with different content; nothing was written."""


class InputLimitError(BolystError):
    """Input past a safety limit (size, depth, nesting, aliases, archive ratio) or not decodable as text."""


class ErrorList(BolystError):
    """Several independent problems found in one pass; ``errors`` holds each of them."""

    def __init__(self, errors: list[BolystError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
