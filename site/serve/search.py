"""Turn what a person types into an FTS5 query that finds Norwegian inflected forms."""

from __future__ import annotations

import re

from bolyst.corpus.lemmas import lemma

from .guard import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS

TERM = re.compile(r'"[^"]*"|[^\s"]+')


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str | None, lang: str = "nb") -> str:
    """``flyttet barna`` → ``("flyttet" OR lemmas:"flytte") AND ("barna" OR lemmas:"barn")``.

    Each word matches its exact form in any indexed column or, through the ``lemmas`` column, any
    inflected form of its lemma. ``"two words"`` stays a phrase; ``flytt*`` stays a prefix query.
    An empty query matches nothing instead of raising an FTS syntax error. Only the first MAX_SEARCH_CHARS
    characters and MAX_SEARCH_TERMS words count (site/serve/guard.py: why FTS needs a bound of its own).
    """
    parts: list[str] = []
    for raw in TERM.findall((text or "")[:MAX_SEARCH_CHARS])[:MAX_SEARCH_TERMS]:
        if raw.startswith('"'):
            phrase = raw.strip('"').strip()
            if phrase:
                parts.append(_quote(phrase))
            continue
        if raw.endswith("*") and raw.strip("*"):
            parts.append(_quote(raw.strip("*")) + "*")
            continue
        word = re.sub(r"[^\w'-]", "", raw)
        if not word:
            continue
        base = lemma(word, lang)
        parts.append(f"({_quote(word)} OR lemmas:{_quote(base)})")
    return " AND ".join(parts) or '""'  # the empty phrase: matches nothing, raises nothing
