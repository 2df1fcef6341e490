"""``/-/bolyst/export.{md,docx,csv,json,xlsx}?theme=…&municipality=…``: evidence exports served by Datasette.

Query parameters are the filters of :class:`bolyst.site.export.filters.Filters`: ``theme`` (or ``code``),
``municipality`` (number or name), ``comparables=1``, ``landsdel``, ``centrality`` (1–6), ``role``,
``source``, ``include_unreviewed=1`` (also unreviewed automatic suggestions, marked). The response is a download (Content-Disposition: attachment) named after the filters; a bad
filter is a 400 with the error's message and fix.
"""

from __future__ import annotations

import sqlite_utils
from bolyst.corpus.errors import BolystError
from datasette.utils.asgi import Response

from .evidence import export
from .filters import FORMATS, Filters, file_name

PATH = r"^/-/bolyst/export\.(?P<format>md|docx|csv|json|xlsx)$"
PARAMS = ("theme", "code", "municipality", "comparables", "landsdel", "centrality", "role", "source",
          "include_unreviewed")


def _database(datasette):
    for name, db in datasette.databases.items():
        if not name.startswith("_") and db.path:
            return db
    return None


async def export_view(datasette, request) -> Response:
    fmt = request.url_vars["format"]
    db = _database(datasette)
    if db is None:
        return Response.text("No Bolyst database is attached.", status=404)
    try:
        filters = Filters.from_args({k: request.args.get(k) for k in PARAMS})
        lang = request.args.get("lang") or "nb"
        data = await db.execute_fn(lambda conn: export(sqlite_utils.Database(conn), filters, fmt, lang=lang))
    except BolystError as exc:
        return Response.text(f"Cannot export: {exc}", status=400)
    name = file_name(filters, fmt)
    return Response(data, content_type=FORMATS[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})


ROUTES = [(PATH, export_view)]
