"""Bolyst's Datasette plugin: SQL functions the canned queries use, request limits, the pages' routes.

Registered through the ``datasette`` entry point, so a plain ``datasette bolyst.db`` has them too.
"""

from __future__ import annotations

from datasette import hookimpl

from .guard import databases, limit_connection, wrap
from .search import fts_query


@hookimpl
def prepare_connection(conn) -> None:
    limit_connection(conn)
    conn.create_function("bolyst_fts", 1, fts_query, deterministic=True)


@hookimpl
def asgi_wrapper(datasette):
    return wrap


@hookimpl
def register_routes(datasette):
    """The generated pages (themes, codes, municipalities, sources) under /-/bolyst/."""
    from bolyst.site.export.route import ROUTES as EXPORT_ROUTES
    from bolyst.site.pages.routes import ROUTES

    from .searchpage import ROUTES as SEARCH_ROUTES

    # exports and search first: the pages' route takes the rest of /-/bolyst/
    return [(r"^/-/databases(\.json)?$", databases), *EXPORT_ROUTES, *SEARCH_ROUTES, *ROUTES]


@hookimpl
def startup(datasette):
    """Warm the pages' national medians (one scan of municipality_stats) before the first visitor."""
    from bolyst.site.pages.routes import warm

    async def inner() -> None:
        await warm(datasette)

    return inner
