"""Check that every excerpt and finding stands verbatim in the seed document it cites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import ProvenanceError
from .records import Corpus, Excerpt, Finding
from .seeds import Seeds, SeedText, provenance_text
from .text import occurs_in


def seed_text(path: Path) -> str:
    """The text of a seed: a .txt/.md file as it is; a .csv file as its cells, one per line."""
    return provenance_text(path.read_text(encoding="utf-8"), path.suffix.lower() == ".csv").text


def _window(seed: SeedText, first: int | None, last: int | None) -> str | None:
    if first is None or last is None:
        return None
    return "\n".join(seed.lines[first - 1:last])


def check_provenance(corpus: Corpus, seeds: Path | Seeds) -> Iterator[ProvenanceError]:
    """Yield an error for each excerpt or finding whose text is not in its cited lines of the seed.

    ``seeds`` is the seeds folder, or a :class:`Seeds` that has read (some of) them already. Each seed is read
    and prepared once (corpus/seeds.py), so the check is linear in the number of records."""
    seeds = seeds if isinstance(seeds, Seeds) else Seeds(seeds)
    names = {s.id: s.seed for s in corpus.sources}
    records: list[Excerpt | Finding] = [*corpus.excerpts, *corpus.findings]
    for record in records:
        name = names[record.source]
        seed = seeds.for_provenance(name)
        text = record.text if isinstance(record, Excerpt) else record.statement
        window = None if seed.is_csv else _window(seed, record.line_start, record.line_end)
        if seed.holds(text, record.omits) if window is None else occurs_in(text, window, record.omits):
            continue
        where_else = " (it does occur elsewhere in the seed: correct 'lines')" if (
            window is not None and seed.holds(text, record.omits)) else ""
        yield ProvenanceError(
            f"text is not verbatim in seed {name} lines {record.line_start}–{record.line_end}{where_else}",
            path=record.file, where=f"record {record.id.split('/', 1)[1]!r}",
            fix="copy the text exactly; only line wrapping and line-end hyphenation may be repaired")
