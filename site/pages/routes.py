"""The pages inside Datasette: ``/-/bolyst/…`` serves exactly what ``bolyst site build`` writes.

Registered by ``bolyst.site.serve.plugin.register_routes``. Links to tables and queries are
root-relative (Datasette's own ``base_url``), page links are relative as in the static site.
"""

from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path

from datasette.utils.asgi import Response

from . import ASSETS_DIR
from .i18n import DEFAULT
from .links import MOUNT, Links, segment
from .site import render_missing, render_target, resolve
from .static import STYLESHEET
from .store import Store

#: Whole-table aggregates (national medians …) per database file and modification time.
_MEMOS: dict[tuple[str, float], dict] = {}


def database(datasette):
    """The Bolyst database: the first attached database that has an ``excerpts`` table."""
    for name, db in datasette.databases.items():
        if not name.startswith("_") and db.path and _has_excerpts(db.path):
            return db
    return None


@lru_cache(maxsize=16)
def _has_excerpts(path: str) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("select 1 from sqlite_master where name = 'excerpts'").fetchone() is not None
    finally:
        conn.close()


def _memo(path: str) -> dict:
    key = (path, os.stat(path).st_mtime)
    if key not in _MEMOS:
        _MEMOS.clear()
        _MEMOS[key] = {}
    return _MEMOS[key]


async def page(datasette, request) -> Response:
    path = request.url_vars.get("path") or ""
    lang = DEFAULT
    if path == "en" or path.startswith("en/"):  # the English pages, beside the Norwegian ones
        lang, path = "en", path.removeprefix("en").lstrip("/")
    if not request.path.endswith("/") and not request.path.endswith(".html") and not path.startswith("static/"):
        return Response.redirect(request.path + "/")
    if path.startswith("static/"):
        return _static(path.removeprefix("static/"))
    target = resolve(path)
    db = database(datasette)
    base = datasette.setting("base_url").rstrip("/")
    if target is None or db is None:
        return not_found(path, base, db.name if db else "bolyst", lang)
    memo = _memo(db.path)

    def run(conn):
        store = Store(conn, memo)
        found = target
        if target.key is not None and target.kind.keys is not None:
            keys = {segment(k): k for k in target.kind.keys(store)}
            if target.key not in keys:
                return None
            found = type(target)(target.kind, keys[target.key])
        return render_target(store, found, datasette=base, db=db.name, static=False, lang=lang)

    html = await db.execute_fn(run)
    if html is None:
        return not_found(path, base, db.name, lang)
    return Response.html(html)


def not_found(path: str, datasette: str, db: str, lang: str = DEFAULT) -> Response:
    """A real 404 page: what was asked for, a search box and the way home."""
    here = path.strip("/")
    here = (here + "/index.html") if here and not here.endswith(".html") else (here or "index.html")
    html = render_missing(Links(here, datasette, db, lang), {"datasette": datasette, "db": db, "static": False},
                          path)
    return Response.html(html, status=404)


async def warm(datasette) -> None:
    """Compute the whole-table aggregates once at startup, so no visitor waits for them."""
    from .municipalities import medians
    from .queries import QUERIES

    def compute(conn) -> None:
        store = Store(conn, memo)
        medians(store)
        for name, query in QUERIES.items():
            if query.whole:
                store.run(name)

    db = database(datasette)
    if db is not None:
        memo = _memo(db.path)
        await db.execute_fn(compute)


def _static(name: str) -> Response:
    if name != STYLESHEET:
        return Response.text("not found", status=404)
    body = (ASSETS_DIR / STYLESHEET).read_text(encoding="utf-8")
    return Response(body, content_type="text/css; charset=utf-8",
                    headers={"cache-control": "max-age=3600"})


ROUTES = [(r"^" + MOUNT.rstrip("/") + r"(?:/(?P<path>.*))?$", page)]
