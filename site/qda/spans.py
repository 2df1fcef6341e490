"""Where an excerpt stands in its source document, as code point offsets a QDA tool can select.

An excerpt's ``text`` is verbatim up to two repairs (line wrapping, line-end hyphenation) and may skip
page furniture (``omits``), so it is not always a substring of the seed. :func:`locate` compares letters
only (the provenance check's ``loose`` comparison, white space and hyphens dropped) inside the excerpt's
cited lines and maps the match back to offsets in the seed: ``seed[start:end]`` is the passage as it
stands in the document, from its first to its last letter.
"""

from __future__ import annotations

import re

from bolyst.corpus.errors import ExportError
from bolyst.corpus.text import LOOSE_CHAR

_DROP = LOOSE_CHAR  # the provenance check's ``loose`` comparison: white space and hyphens dropped


def line_offsets(text: str) -> list[int]:
    """Offset of the first character of every line (1-based line ``n`` starts at ``offsets[n - 1]``)."""
    offsets = [0]
    offsets += [m.end() for m in re.finditer("\n", text)]
    return offsets


def _window(text: str, first: int | None, last: int | None) -> tuple[int, int]:
    if first is None or last is None:
        return 0, len(text)
    starts = line_offsets(text)
    if first > len(starts):
        return len(text), len(text)
    end = starts[last] - 1 if last < len(starts) else len(text)
    return starts[first - 1], end


def _mask(window: str, omits: tuple[str, ...]) -> list[bool]:
    keep = [True] * len(window)
    for furniture in omits:
        for match in re.finditer(re.escape(furniture), window):
            keep[match.start():match.end()] = [False] * (match.end() - match.start())
    return keep


def locate(excerpt_text: str, seed: str, first: int | None = None, last: int | None = None,
           omits: tuple[str, ...] = ()) -> tuple[int, int] | None:
    """``(start, end)`` of ``excerpt_text`` in ``seed`` within lines ``first``–``last``, or ``None``."""
    begin, end = _window(seed, first, last)
    window = seed[begin:end]
    keep = _mask(window, omits)
    index = [i for i, ch in enumerate(window) if keep[i] and not _DROP.match(ch)]
    letters = "".join(window[i] for i in index)
    needle = _DROP.sub("", excerpt_text)
    if not needle:
        return None
    at = letters.find(needle)
    if at < 0:
        return None
    return begin + index[at], begin + index[at + len(needle) - 1] + 1


def require_span(excerpt_id: str, excerpt_text: str, seed: str, first: int | None, last: int | None,
                 omits: tuple[str, ...] = ()) -> tuple[int, int]:
    """:func:`locate`, raising :class:`ExportError` when the excerpt is not in its lines (or anywhere)."""
    span = locate(excerpt_text, seed, first, last, omits)
    if span is None and first is not None:
        span = locate(excerpt_text, seed, None, None, omits)
    if span is None:
        raise ExportError(f"excerpt {excerpt_id!r} is not in its seed text", where=f"lines {first}–{last}",
                          fix="run `bolyst build` (the provenance check names the excerpt to correct)")
    return span


def line_of(text: str, offset: int) -> int:
    """1-based line number of the character at ``offset``."""
    return text.count("\n", 0, offset) + 1


def excerpt_spans(excerpts, seed: str) -> dict[tuple[int, int], str]:
    """``(start, end)`` → excerpt id for the excerpts (of one source) that :func:`locate` finds in ``seed``."""
    spans: dict[tuple[int, int], str] = {}
    for e in excerpts:
        span = locate(e.text, seed, e.line_start, e.line_end, e.omits) or locate(e.text, seed, None, None, e.omits)
        if span is not None:
            spans.setdefault(span, e.id)
    return spans
