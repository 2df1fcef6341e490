"""One language at a time: Norwegian Bokmål, the pages' own language, or English.

Messages are written in Norwegian where they are used — ``{{ _('Kommuner') }}`` in a template,
``link.t(…)`` in a page module — and the Norwegian text is the key (gettext's convention);
``messages/en.yaml`` gives each its English. ``tests/test_i18n.py`` extracts every message from the templates
and the page modules and fails when one has no English, or when the catalogue holds one nobody uses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("nb", "en")
DEFAULT = "nb"
MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
NAMES = {"nb": "Norsk (bokmål)", "en": "English"}


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Norwegian message → its ``lang`` text; empty for Norwegian itself."""
    if lang == DEFAULT:
        return {}
    if lang not in LANGS:
        raise ValueError(f"no language {lang!r}: choose one of {', '.join(LANGS)}")
    with (MESSAGES_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(k): str(v) for k, v in data.items()}


def translate(lang: str, message: str, **values) -> str:
    """``message`` in ``lang`` (the Norwegian text when the catalogue lacks it), ``%(name)s`` filled in."""
    text = catalogue(lang).get(message, message)
    return text % values if values else text


def N_(message: str) -> str:
    """Mark a message kept in a table (translated later with ``link.t``), so the catalogue test finds it."""
    return message


def other(lang: str) -> str:
    return "en" if lang == "nb" else "nb"
