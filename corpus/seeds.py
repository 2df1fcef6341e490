"""The seed texts of one corpus folder, each read and prepared once.

The reader needs a seed's line count, the provenance check its text (a CSV's as its cells) and a way to find an
excerpt in it. A seed is prepared once per distinct text, not once per source that cites it: every source of an
imported CSV cites the whole table, so a table of S sources and N rows was parsed S times and searched N times
from end to end (quadratic). :class:`Seeds` keeps the prepared texts, and :class:`SeedText` finds a CSV excerpt
by its cell in a set, falling back to the full search only for a text no cell gives.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from .decode import read_text
from .text import normalise, normalised, occurs_in

#: How far past the end of the previous cell the next cell's normalised text is looked for first.
_SLACK = 64


class SeedText:
    """A seed as the provenance check reads it: its text (a CSV's cells, one per line) and its lines."""

    def __init__(self, text: str, cells: list[str] | None = None) -> None:
        self.text = text
        self.is_csv = cells is not None
        self.lines = text.split("\n")
        self._raw_cells = cells or []
        self._cells: frozenset[str] | None = None

    def holds(self, text: str, omits: tuple[str, ...] = ()) -> bool:
        """``occurs_in(text, self.text, omits)``; in constant time for a CSV excerpt that is one of its cells."""
        if self.is_csv and not omits and normalise(text) in self._verified_cells():
            return True
        return occurs_in(text, self.text, omits)

    def _verified_cells(self) -> frozenset[str]:
        """The normalised cells found, in order, in the normalised seed. Each is a substring of it, so a text that
        normalises to one of them occurs in the seed: what occurs_in answers, without searching the whole seed."""
        if self._cells is None:
            whole, found, cursor = normalised(self.text), set(), 0
            for cell in self._raw_cells:
                want = normalise(cell)
                if not want:
                    continue
                at = whole.find(want, cursor, cursor + len(want) + _SLACK)
                if at < 0:
                    at = whole.find(want, cursor)  # rare: a line-end hyphen joined two cells
                if at >= 0:
                    found.add(want)
                    cursor = at + len(want)
            self._cells, self._raw_cells = frozenset(found), []
        return self._cells


def provenance_text(raw: str, csv_seed: bool) -> SeedText:
    """A seed's text for the provenance check: a .txt/.md file as it is; a .csv file as its cells, one per line."""
    if not csv_seed:
        return SeedText(raw)
    cells = [cell for row in csv.reader(io.StringIO(raw)) for cell in row]
    return SeedText("\n".join(cells), cells)


class Seeds:
    """The seed files of ``folder``, or the texts ``given`` by name (an import checks files before it writes
    them). Work is shared by content: names with the same text are prepared once."""

    def __init__(self, folder: Path, given: Mapping[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self._given = dict(given or {})
        self._counts: dict[str, int] = {}
        self._prepared: dict[tuple[str, bool], SeedText] = {}
        self._by_name: dict[str, SeedText] = {}

    def exists(self, name: str) -> bool:
        return name in self._given or (self.folder / name).is_file()

    def line_count(self, name: str) -> int:
        """Lines of the seed as the reader reads it (decoded, bounded, line ends as ``\\n``)."""
        text = self._given[name] if name in self._given else read_text(self.folder / name)
        if text not in self._counts:
            self._counts[text] = text.count("\n") + 1
        return self._counts[text]

    def for_provenance(self, name: str) -> SeedText:
        """The seed as the provenance check reads it (UTF-8, as stored)."""
        if name not in self._by_name:
            raw = self._given[name] if name in self._given else (self.folder / name).read_text(encoding="utf-8")
            key = (raw, name.lower().endswith(".csv"))
            if key not in self._prepared:
                self._prepared[key] = provenance_text(*key)
            self._by_name[name] = self._prepared[key]
        return self._by_name[name]
