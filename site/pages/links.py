"""Where every page lives, and links between pages and into Datasette.

Page links are relative and end in ``index.html``, so the static site works from any host or straight
from disk; Datasette serves the same paths under ``/-/bolyst/``. Links to tables and queries go to
``datasette`` (a base URL such as http://127.0.0.1:8001, or "" when the pages are served by Datasette).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from datasette.utils import tilde_encode

from .i18n import DEFAULT as DEFAULT_LANG
from .i18n import translate
from .queries import QUERIES

DEFAULT_DATASETTE = "http://127.0.0.1:8001"
MOUNT = "/-/bolyst/"  # where Datasette serves the pages

_UNSAFE = re.compile(r"[^\w.\-]")


def segment(key: str) -> str:
    """A path segment for an id: letters, digits, '.', '-', '_' kept; anything else becomes '_'."""
    safe = _UNSAFE.sub("_", str(key))
    return "_" + safe if safe.startswith(".") or not safe else safe


def page_path(kind: str, key: str | None = None, sub: str | None = None) -> str:
    """``page_path('municipality', '0301')`` → ``municipality/0301/index.html``; home is ``index.html``."""
    parts = [p for p in (kind, segment(key) if key is not None else None, sub) if p]
    return "/".join(parts + ["index.html"])


@dataclass(frozen=True)
class Links:
    """Links as seen from the page at ``here`` (a ``page_path``)."""

    here: str
    datasette: str = DEFAULT_DATASETTE
    db: str = "bolyst"
    lang: str = DEFAULT_LANG

    def t(self, message: str, **values: Any) -> str:
        """``message`` (Norwegian) in the page's language; see ``i18n``."""
        return translate(self.lang, message, **values)

    def switch(self) -> str:
        """The same page in the other language: English pages live under ``en/`` beside the Norwegian ones."""
        return self.root + ("en/" if self.lang == DEFAULT_LANG else "../") + quote(self.here)

    @property
    def root(self) -> str:
        return "../" * self.here.count("/")

    def page(self, kind: str, key: Any = None, sub: str | None = None) -> str:
        return self.root + quote(page_path(kind, None if key is None else str(key), sub))

    def static(self, name: str) -> str:
        return self.root + "static/" + quote(name)

    def table(self, table: str, **filters: Any) -> str:
        """A Datasette table view filtered by column=value (``None`` values are left out)."""
        query = urlencode({k: v for k, v in filters.items() if v is not None})
        return f"{self.datasette}/{quote(self.db)}/{quote(table)}" + (f"?{query}" if query else "")

    def csv(self, table: str, **filters: Any) -> str:
        """The same table view as :meth:`table` as CSV, every row (Datasette's ``_stream=on``)."""
        query = urlencode({"_stream": "on", **{k: v for k, v in filters.items() if v is not None}})
        return f"{self.datasette}/{quote(self.db)}/{quote(table)}.csv?{query}"

    def row(self, table: str, *pk: Any) -> str:
        """A row page; a compound primary key is given as several values, in the table's pk order."""
        # Datasette escapes '/' and other specials in each key as ~XX (tilde encoding), joined by ','.
        return f"{self.datasette}/{quote(self.db)}/{quote(table)}/" + ",".join(tilde_encode(str(p)) for p in pk)

    def query(self, name: str, **params: Any) -> str:
        """The SQL of a named page query, run in Datasette with the same parameters."""
        args = {"sql": " ".join(QUERIES[name].sql.split())}
        args.update({k: v for k, v in params.items() if v is not None})
        return f"{self.datasette}/{quote(self.db)}?{urlencode(args)}"

    def export(self, fmt: str, **filters: Any) -> str:
        """A download from Datasette's export route (site/export/route.py): md, docx, csv or json."""
        if self.lang != DEFAULT_LANG:
            filters = {**filters, "lang": self.lang}
        query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
        return f"{self.datasette}{MOUNT}export.{fmt}" + (f"?{query}" if query else "")

    def canned(self, name: str, **params: Any) -> str:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return f"{self.datasette}/{quote(self.db)}/{quote(name)}" + (f"?{query}" if query else "")
