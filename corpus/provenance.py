"""Check that every excerpt and finding stands verbatim in the seed document it cites."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .errors import ProvenanceError
from .records import Corpus, Excerpt, Finding
from .text import occurs_in


def seed_text(path: Path) -> str:
    """The text of a seed: a .txt/.md file as it is; a .csv file as its cells, one per line."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() != ".csv":
        return raw
    return "\n".join(cell for row in csv.reader(io.StringIO(raw)) for cell in row)


def _window(seed: str, first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return seed
    return "\n".join(_lines(seed)[first - 1:last])


@lru_cache(maxsize=16)
def _lines(seed: str) -> list[str]:
    """The seed's lines, split once per seed rather than once per excerpt (callers only slice them)."""
    return seed.split("\n")


def check_provenance(corpus: Corpus, seeds_dir: Path) -> Iterator[ProvenanceError]:
    """Yield an error for each excerpt or finding whose text is not in its cited lines of the seed."""
    seeds = {s.id: s.seed for s in corpus.sources}
    cache: dict[str, str] = {}
    records: list[Excerpt | Finding] = [*corpus.excerpts, *corpus.findings]
    for record in records:
        name = seeds[record.source]
        if name not in cache:
            cache[name] = seed_text(seeds_dir / name)
        seed = cache[name]
        text = record.text if isinstance(record, Excerpt) else record.statement
        is_csv = name.lower().endswith(".csv")
        window = seed if is_csv else _window(seed, record.line_start, record.line_end)
        if occurs_in(text, window, record.omits):
            continue
        where_else = " (it does occur elsewhere in the seed: correct 'lines')" if (
            not is_csv and occurs_in(text, seed, record.omits)) else ""
        yield ProvenanceError(
            f"text is not verbatim in seed {name} lines {record.line_start}–{record.line_end}{where_else}",
            path=record.file, where=f"record {record.id.split('/', 1)[1]!r}",
            fix="copy the text exactly; only line wrapping and line-end hyphenation may be repaired")
