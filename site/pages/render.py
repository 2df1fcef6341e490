"""The jinja2 environment of the pages: autoescape, StrictUndefined, and every filter in one place."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from . import TEMPLATES_DIR
from .i18n import DEFAULT, LANGS, NAMES, translate

#: The pages' own templates; Datasette is given no template folder, so it never mistakes our base.html
#: (or any page template) for its own.
PAGE_TEMPLATES = TEMPLATES_DIR

ROLE_LABELS = {
    "refugee": ("flyktning", "refugee"),
    "labour_migrant": ("arbeidsinnvandrer", "labour migrant"),
    "family_migrant": ("familieinnvandrer", "family migrant"),
    "student_migrant": ("utdanningsinnvandrer", "student migrant"),
    "immigrant": ("innvandrer", "immigrant"),
    "municipal_employee": ("kommuneansatt", "municipal employee"),
    "imdi_staff": ("IMDi-ansatt", "IMDi staff"),
    "researcher": ("forsker", "researcher"),
    "other": ("annen", "other"),
}


def num(value: Any, decimals: int | None = None, lang: str = "nb") -> str:
    """Norwegian number format: thin space between thousands, decimal comma; '–' for missing. English pages
    (``lang='en'``) keep the thin space and use a decimal point."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace("-", "−")
    return text if lang == "en" else text.replace(".", ",")


def sig(value: Any, digits: int = 2, lang: str = "nb") -> str:
    """A small number (a p-value) to ``digits`` significant digits, in the page's decimal sign: 0,06 / 1,2e−05."""
    if value is None:
        return "–"
    text = f"{value:.{digits}g}".replace("-", "−")
    return text if lang == "en" else text.replace(".", ",")


def pct(value: Any, decimals: int = 0, lang: str = "nb") -> str:
    """A share 0–1 as a percentage."""
    if value is None:
        return "–"
    return num(value * 100, decimals, lang) + "\u00a0%"


def signed(value: Any, decimals: int = 2, lang: str = "nb") -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + num(value, decimals, lang)


def role(value: str | None, lang: str = "nb") -> str:
    if not value:
        return "ukjent" if lang == "nb" else "unknown"
    nb, en = ROLE_LABELS.get(value, (value, value))
    return nb if lang == "nb" else en


LANG_NAMES = {"nb": ("bokmål", "Norwegian Bokmål"), "nn": ("nynorsk", "Norwegian Nynorsk"),
              "en": ("engelsk", "English"), "sv": ("svensk", "Swedish"), "da": ("dansk", "Danish"),
              "de": ("tysk", "German"), "und": ("ukjent", "unknown")}


def langname(value: str | None, lang: str = "nb") -> str:
    return _named(LANG_NAMES, value or "und", lang)


UNIT_NAMES = {"persons": ("personer", "persons"), "percent": ("prosent", "percent"), "NOK": ("kroner", "NOK"),
              "per 1000": ("per 1000 innbyggere", "per 1,000 residents"), "class": ("klasse", "class"),
              "degrees": ("grader", "degrees"), "group": ("gruppe", "group"), "index": ("indeks", "index"),
              "ratio": ("forholdstall", "ratio")}


METHOD_NAMES = {"published": ("publisert", "published"), "derived": ("beregnet", "derived"),
                "mapped": ("omregnet til 2024-kommuner", "mapped to 2024 municipalities")}


def _named(names: dict[str, tuple[str, str]], value: str | None, lang: str) -> str:
    nb, en = names.get(value or "", (value or "", value or ""))
    return nb if lang == "nb" else en


def unit(value: str | None, lang: str = "nb") -> str:
    """An indicator's unit (``indicators.unit``, stored in English) in ``lang``; an unknown unit as it is."""
    return _named(UNIT_NAMES, value, lang)


def method(value: str | None, lang: str = "nb") -> str:
    """How a number in ``municipality_stats`` was made (its ``method``) in ``lang``."""
    return _named(METHOD_NAMES, value, lang)


def short(text: str | None, size: int = 160) -> str:
    text = text or ""
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def table_source(source: str | None, table_id: str | None, lang: str = "nb") -> str:
    """'SSB' + '07459' -> 'SSB tabell 07459'; 'IMDi' + 'IMDi bosatt_anmodede' -> 'IMDi bosatt_anmodede'."""
    source, table_id = source or "", table_id or ""
    if source and table_id.startswith(source):
        return table_id
    if table_id.isdigit():
        return f"{source} {'table' if lang == 'en' else 'tabell'} {table_id}"
    return f"{source} {table_id}".strip()


def filters(lang: str) -> dict[str, Any]:
    """Every filter of the templates, answering in ``lang``."""
    return {
        "num": lambda value, decimals=None: num(value, decimals, lang),
        "pct": lambda value, decimals=0: pct(value, decimals, lang),
        "sig": lambda value, digits=2: sig(value, digits, lang),
        "signed": lambda value, decimals=2: signed(value, decimals, lang),
        "role": lambda value: role(value, lang),
        "langname": lambda value: langname(value, lang),
        "unit": lambda value: unit(value, lang),
        "method": lambda value: method(value, lang),
        "table_source": lambda source, table_id: table_source(source, table_id, lang),
        "label": lambda row, field="label": row.get(f"{field}_{lang}") or row.get(f"{field}_nb"),
        "short": short,
    }


@lru_cache(maxsize=None)
def environment(lang: str = DEFAULT) -> jinja2.Environment:
    """One environment per language: ``_()`` and the ``lang`` global answer in it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PAGE_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package; no stat() per page
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translate(lang, message),
        lambda one, many, n: translate(lang, one if n == 1 else many),
        newstyle=True)
    env.filters.update(filters(lang))
    env.globals.update(lang=lang, langs=LANGS, lang_names=NAMES)
    return env


def render(template: str, lang: str = DEFAULT, **context: Any) -> str:
    return environment(lang).get_template(template).render(**context)
