"""Repairs of text-extraction artefacts, done once on a source's text and recorded in its ``repairs``.

PDF text extraction leaves characters that are not the document's words: formula fonts come out as
"Mathematical Alphanumeric Symbols" (𝐹, 𝛽: outside the Basic Multilingual Plane, so every tool that counts
in UTF-16 — QualCoder's view, browsers' selections — is shifted by one per character), typographic
ligatures (ﬁ, ﬂ) and soft hyphens (U+00AD, invisible, splitting words for search). :func:`repair_text`
folds exactly these to what they stand for (Unicode NFKC for the first two, removal for the last) and
leaves every other character alone: «…», «–», æøå and real emoji in a transcript stay as they are.

Line-break hyphenation («kom-\\nmunen») is not repaired in a seed: the seed keeps the document's lines,
which excerpts cite. It is repaired by one rule, :func:`bolyst.corpus.text.normalise`, wherever a passage
of a seed becomes excerpt text (the provenance check, the QDA import, search).

A formula that extraction garbled beyond NFKC (letters doubled and remapped by a subset font) is replaced
in the seed by a marked editorial rendering «[formel: …]», listed in the source's ``repairs``.
"""

from __future__ import annotations

import unicodedata

SOFT_HYPHEN = "\u00ad"
#: Unicode blocks folded by NFKC: Mathematical Alphanumeric Symbols and the Latin ligatures ﬀ–ﬆ.
FOLDED = ((0x1D400, 0x1D7FF), (0xFB00, 0xFB06))


def _folded(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in FOLDED)


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with stray mathematical letters and ligatures folded (NFKC) and soft hyphens removed,
    and a description of each repair made (empty when the text was clean). Line breaks are kept, so
    line numbers stay; offsets after a repaired character move."""
    soft = text.count(SOFT_HYPHEN)
    folded = sum(1 for ch in text if _folded(ch))
    if not soft and not folded:
        return text, ()
    out = "".join(unicodedata.normalize("NFKC", ch) if _folded(ch) else ch
                  for ch in text if ch != SOFT_HYPHEN)
    repairs = []
    if folded:
        repairs.append(f"{folded} mathematical letters or ligatures folded to plain letters (Unicode NFKC)")
    if soft:
        repairs.append(f"{soft} soft hyphens (U+00AD) removed")
    return out, tuple(repairs)


def astral(text: str) -> list[tuple[int, str]]:
    """``(offset, character)`` of every character outside the Basic Multilingual Plane."""
    return [(i, ch) for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def is_real_astral(ch: str) -> bool:
    """An astral character that is text in its own right (an emoji, a CJK extension), not an artefact."""
    return not _folded(ch) and unicodedata.category(ch) in ("So", "Lo", "Sk")
