"""Bolyst's Datasette plugin: SQL functions the canned queries use.

Registered through the ``datasette`` entry point, so a plain ``datasette bolyst.db`` has them too.
"""

from __future__ import annotations

from datasette import hookimpl

from .search import fts_query


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("bolyst_fts", 1, fts_query, deterministic=True)
