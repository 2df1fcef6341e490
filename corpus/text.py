"""Text normalisation shared by the provenance check, search and imports."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_HYPHENATION = re.compile(r"(\w)-[ \t]*\n\s*(?=\w)")
_SPACE = re.compile(r"\s+")
LOOSE_CHAR = re.compile(r"[\s\-\u00ad]")  # what a loose comparison drops
_LOOSE = re.compile(LOOSE_CHAR.pattern + "+")


def normalise(text: str) -> str:
    """Repair PDF line-end hyphenation and fold all white space to single spaces."""
    return _SPACE.sub(" ", _HYPHENATION.sub(r"\1", text)).strip()


def loose(text: str) -> str:
    """Drop white space and hyphens: compares letters only (for real hyphens at line ends)."""
    return _LOOSE.sub("", text)


def occurs_in(text: str, source: str, omits: tuple[str, ...] = ()) -> bool:
    """True when ``text`` stands in ``source`` verbatim, up to line wrapping and hyphenation.

    ``omits`` are verbatim strings of page furniture (footnotes, headers) that interrupt the
    excerpt in the source; they are taken out of the source before comparing.
    """
    for furniture in omits:
        source = source.replace(furniture, " ")
    if normalise(text) in normalised(source):
        return True
    return loose(text) in _loosened(source)


# A seed is checked once per excerpt it holds: normalise it once, not once per excerpt (a large CSV seed of
# N rows made imports and builds quadratic). Strings hash once and compare by identity first, so a lookup of
# the same seed string is cheap.
@lru_cache(maxsize=16)
def normalised(source: str) -> str:
    return normalise(source)


@lru_cache(maxsize=16)
def _loosened(source: str) -> str:
    return loose(source)


def content_hash(text: str) -> str:
    """Stable short hash of a text (for change detection and idempotent imports)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def slugify(text: str, max_length: int = 48) -> str:
    """ASCII slug: 'Å føle seg hjemme' -> 'a-fole-seg-hjemme'."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.translate(table)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "x"
