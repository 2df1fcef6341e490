"""The page kinds, where each lives, and rendering one page from its path.

``render_target(store, resolve(path), ...)`` is used both by the static build and by the Datasette route, so the
two serve identical pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import codes, home, methods, municipalities, quotes, rates, reliability, search_form, sources
from .links import DEFAULT_DATASETTE, Links, page_path
from .i18n import DEFAULT
from .render import render
from .store import Store

Context = Callable[[Store, Any, Links], dict[str, Any] | None]


@dataclass(frozen=True)
class Kind:
    name: str  # first path segment ('' for the home page)
    template: str
    context: Context
    keys: Callable[[Store], list[str]] | None = None  # None: a single page without a key
    sub: str | None = None  # a page below each key, e.g. municipality/0301/compare/
    only: str | None = None  # the one key this kind answers (methods/rates/), tried before its name's other kind


KINDS: tuple[Kind, ...] = (
    Kind("", "home.html", home.home_page),
    Kind("themes", "themes.html", codes.themes_index),
    Kind("code", "code.html", codes.code_page, codes.code_keys),
    Kind("municipalities", "municipalities.html", municipalities.municipalities_index),
    Kind("municipality", "municipality.html", municipalities.municipality_page, municipalities.municipality_keys),
    Kind("municipality", "compare.html", municipalities.compare_page, municipalities.municipality_keys, "compare"),
    Kind("sources", "sources.html", sources.sources_index),
    Kind("source", "source.html", sources.source_page, sources.source_keys),
    Kind("reliability", "reliability.html", reliability.reliability_page),
    Kind("search", "search.html", search_form.search_form),  # served: bolyst.site.serve.searchpage
    Kind("excerpt", "excerpt.html", quotes.excerpt_page, quotes.excerpt_keys),
    Kind("methods", "rates.html", rates.rates_page, rates.rate_keys, only=rates.KEY),
    Kind("methods", "methods.html", methods.methods_page, methods.method_keys),
)


@dataclass(frozen=True)
class Target:
    kind: Kind
    key: str | None

    @property
    def path(self) -> str:
        return page_path(self.kind.name, self.key, self.kind.sub)


def targets(store: Store) -> Iterator[Target]:
    """Every page of the site, in a stable order."""
    for kind in KINDS:
        if kind.keys is None:
            yield Target(kind, None)
        else:
            for key in kind.keys(store):
                yield Target(kind, key)


def resolve(path: str) -> Target | None:
    """The page at ``path`` ('', 'code/push/', 'municipality/0301/compare/index.html' …), if any."""
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[-1] == "index.html":
        parts.pop()
    for kind in KINDS:
        shape = [kind.name] if kind.name else []
        if kind.keys is None and parts == shape:
            return Target(kind, None)
        if (kind.keys is not None and len(parts) == 2 + bool(kind.sub) and parts[0] == kind.name
                and (kind.sub is None or parts[2] == kind.sub) and (kind.only is None or parts[1] == kind.only)):
            return Target(kind, parts[1])
    return None


def render_target(store: Store, target: Target, *, datasette: str = DEFAULT_DATASETTE, db: str = "bolyst",
                  static: bool = True, lang: str = DEFAULT, switch: bool = True) -> str | None:
    """HTML of one page in ``lang``, or ``None`` when its key is not in the database. ``switch``: the other
    language's pages exist beside these (``en/`` under the Norwegian ones), so the page links to them."""
    link = Links(target.path, datasette, db, lang)
    context = target.kind.context(store, target.key, link)
    if context is None:
        return None
    context.setdefault("nav", "")
    site = {"datasette": datasette, "db": db, "static": static, "switch": switch}
    return render(target.kind.template, lang, link=link, site=site, **context)


def render_missing(link: Links, site: dict[str, Any], missing: str | None = None) -> str:
    """The 404 page (served for an unknown path; written as ``404.html`` by the static build)."""
    return render("404.html", link.lang, link=link, site={"switch": False, **site}, nav="", missing=missing)
