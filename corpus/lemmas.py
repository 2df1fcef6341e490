"""Norwegian and English lemmas without a model download (simplemma's dictionaries ship in the wheel)."""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

#: A word as the lemma column indexes it (and the search page marks it).
WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
#: simplemma language per Bolyst language code; Norwegian tries Bokmål, then Nynorsk.
LANGS: dict[str, tuple[str, ...]] = {"nb": ("nb", "nn"), "no": ("nb", "nn"), "nn": ("nn", "nb"), "en": ("en",)}


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str = "nb") -> str:
    """Lower-case lemma of one word; the word itself when the dictionary does not know it."""
    langs = LANGS.get(lang, ("nb", "nn"))
    return simplemma.lemmatize(word.lower(), lang=langs).lower()


def words(text: str) -> list[str]:
    return WORD.findall(text)


def lemmatize(text: str, lang: str = "nb") -> list[str]:
    """Lemmas of every word in ``text``, in order."""
    return [lemma(w, lang) for w in words(text)]
