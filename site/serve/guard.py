"""Limits that keep one request from tying up the server, and no machine paths on any page.

* Search text (``q`` of the search queries, Datasette's ``_search``) is at most MAX_SEARCH_CHARS characters
  and MAX_SEARCH_TERMS words, and custom SQL at most MAX_SQL_CHARS: a longer one gets a 400 page saying so.
  The cap matters for full-text search because Datasette's ``sql_time_limit_ms`` is a SQLite progress
  handler, called between virtual-machine instructions, and the search text first goes through
  ``bolyst_fts()``, a Python function that lemmatises every word (simplemma takes about 3 ms for a word it
  does not know: 1,000 such words took 3.0 s here). The whole call is one instruction, so the handler never
  ran while the 7,000 words of a 42 KB query were lemmatised (51 s as the issue measured). The FTS5 match is cut
  off in time (the handler ran every 20–80 ms for 1,200 terms). :func:`~.search.fts_query` keeps only
  the first MAX_SEARCH_TERMS words, so it can never take long, whatever reaches it.
* Each connection gets SQLite limits (string/blob length, SQL length), so ``randomblob(1e9)`` fails fast
  instead of allocating gigabytes.
* ``/-/databases`` lists the databases without their file paths.
* Datasette's own CSV downloads (``….csv``) get formula-safe cells (bolyst.corpus.cells), as every export does.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
from urllib.parse import parse_qsl

from bolyst.corpus.cells import neutralise
from bolyst.site.pages.search_form import MAX_QUERY

MAX_SEARCH_CHARS = MAX_QUERY  # the search form's own limit (the static site's form says it too)
MAX_SEARCH_TERMS = 12
MAX_SQL_CHARS = 4000
MAX_QUERY_STRING = 16_384
#: Largest string or blob a query may make (the longest excerpt is a few kB).
MAX_VALUE_BYTES = 8_000_000
_SEARCH_KEYS = ("q", "_search")


def limit_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000)


def problem(query_string: str) -> str | None:
    """Why a request with this query string is refused, or None."""
    if len(query_string) > MAX_QUERY_STRING:
        return f"the address is longer than {MAX_QUERY_STRING:,} characters"
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        if key in _SEARCH_KEYS or key.startswith("_search_"):
            if len(value) > MAX_SEARCH_CHARS:
                return f"the search text is {len(value):,} characters; at most {MAX_SEARCH_CHARS} are searched"
            if len(value.split()) > MAX_SEARCH_TERMS:
                return f"the search has {len(value.split())} words; at most {MAX_SEARCH_TERMS} are searched"
        elif key == "sql" and len(value) > MAX_SQL_CHARS:
            return f"the SQL is {len(value):,} characters; at most {MAX_SQL_CHARS:,} are run"
    return None


def _refuse(message: str, wants_json: bool) -> tuple[int, bytes, bytes]:
    if wants_json:
        body = json.dumps({"ok": False, "error": message, "status": 400, "title": "Too long"}).encode()
        return 400, body, b"application/json; charset=utf-8"
    html = (f"<!DOCTYPE html><html lang=nb><meta charset=utf-8><title>For langt / too long</title>"
            f"<h1>For langt søk / search too long</h1><p>{message}. Shorten it and try again.</p>")
    return 400, html.encode(), b"text/html; charset=utf-8"


class CsvCells:
    """Rewrites a CSV stream, chunk by chunk, with every cell through :func:`neutralise`."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.buffer = ""

    def feed(self, data: bytes, final: bool) -> bytes:
        self.buffer += self.decoder.decode(data, final)
        cut = len(self.buffer) if final else self._complete_records()
        head, self.buffer = self.buffer[:cut], self.buffer[cut:]
        if not head:
            return b""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows([neutralise(cell) for cell in row] for row in csv.reader(io.StringIO(head, newline="")))
        return out.getvalue().encode("utf-8")

    def _complete_records(self) -> int:
        """Where the last whole record of the buffer ends (a newline outside quotes), 0 when none does."""
        quotes, end = 0, 0
        for index, char in enumerate(self.buffer):
            if char == '"':
                quotes += 1
            elif char == "\n" and quotes % 2 == 0:
                end = index + 1
        return end


def _csv_send(send):
    state: dict = {}

    async def inner(message):
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers") or [])
            kind = headers.get(b"content-type", b"")
            if kind.startswith((b"text/csv", b"text/plain")):
                state["cells"] = CsvCells()
                message = {**message, "headers": [(k, v) for k, v in message.get("headers") or []
                                                  if k.lower() != b"content-length"]}
        elif message["type"] == "http.response.body" and "cells" in state:
            final = not message.get("more_body", False)
            message = {**message, "body": state["cells"].feed(message.get("body", b""), final)}
        await send(message)

    return inner


def wrap(app):
    """ASGI middleware applying :func:`problem` before Datasette sees the request, and formula-safe cells
    to its CSV downloads."""

    async def guarded(scope, receive, send):
        if scope.get("type") == "http":
            query = scope.get("query_string", b"").decode("latin-1")
            why = problem(query)
            if why:
                status, body, kind = _refuse(why, scope.get("path", "").endswith(".json"))
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            if scope.get("path", "").endswith(".csv"):
                send = _csv_send(send)
        await app(scope, receive, send)

    return guarded


async def databases(datasette, request):
    """``/-/databases(.json)`` without file paths (Datasette's own lists each database's absolute path)."""
    from datasette.utils.asgi import Response

    rows = [{"name": name, "route": db.route, "is_mutable": db.is_mutable, "is_memory": db.is_memory,
             "hash": db.hash} for name, db in datasette.databases.items() if not name.startswith("_")]
    return Response.json(rows)
