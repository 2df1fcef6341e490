"""Run the named page queries (``queries.QUERIES``) on a SQLite connection.

A query whose tables or columns are not in the database yet, or that returns no rows, gives a
``Result`` that says so: pages print an explicit "no data yet" line instead of failing or guessing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .queries import QUERIES, Query

T = TypeVar("T")
#: Values per statement of :meth:`Store.each` (SQLite allows 32,766 parameters; a page shows hundreds of quotes).
EACH_CHUNK = 500


@dataclass(frozen=True)
class Result:
    name: str  # query name in QUERIES
    rows: tuple[dict[str, Any], ...]
    missing: str | None = None  # why the query could not run (a table or column not built yet)
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def first(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Store:
    """Named queries over one connection; the connection's own settings are left untouched."""

    def __init__(self, conn: sqlite3.Connection, memo: dict | None = None) -> None:
        self.conn = conn
        self._memo = {} if memo is None else memo  # may outlive the store (Datasette keeps one per file)
        self._columns: dict[str, set[str]] = {}
        self._cache: dict[tuple, Result] = {}
        names = conn.execute("select name from sqlite_master where type in ('table', 'view')").fetchall()
        self._tables = {n[0] for n in names}

    def has(self, table: str, column: str | None = None) -> bool:
        if table not in self._tables:
            return False
        if column is None:
            return True
        if table not in self._columns:
            info = self.conn.execute(f"pragma table_info([{table}])").fetchall()
            self._columns[table] = {row[1] for row in info}
        return column in self._columns[table]

    def has_rows(self, table: str) -> bool:
        return self.has(table) and self.conn.execute(f"select 1 from [{table}] limit 1").fetchone() is not None

    def why_missing(self, query: Query) -> str | None:
        """``None`` when every table and column the query needs exists, else which one is missing."""
        for need in query.needs:
            table, _, column = need.partition(".")
            if not self.has(table, column or None):
                return f"{need} is not in this database yet"
        return None

    def run(self, name: str, cache: bool = False, **params: Any) -> Result:
        """Rows of query ``name`` as dicts; ``cache=True`` keeps the result for the store's lifetime."""
        key = (name, tuple(sorted(params.items())))
        if cache and key in self._cache:
            return self._cache[key]
        query = QUERIES[name]
        if query.whole and not params:
            return self.memo(f"query:{name}", lambda: self._run(name, query, key))
        result = self._run(name, query, key)
        if cache:
            self._cache[key] = result
        return result

    def _run(self, name: str, query: Query, key: tuple) -> Result:
        missing = self.why_missing(query)
        if missing:
            result = Result(name, (), missing, key[1])
        else:
            cursor = self.conn.cursor()
            cursor.row_factory = sqlite3.Row
            rows = tuple(dict(r) for r in cursor.execute(query.sql, dict(key[1])))
            result = Result(name, rows, None, key[1])
        return result

    def each(self, name: str, param: str, values: list[Any]) -> dict[Any, list[dict[str, Any]]]:
        """Rows of query ``name`` for each of ``values`` of its parameter ``param`` (the query returns ``param`` as a
        column), from one statement per EACH_CHUNK values: ``= :param`` is run as ``in (…)``, a list of constants
        SQLite pushes into a grouped view as it does one value. Each value's rows keep the query's order."""
        query = QUERIES[name]
        out: dict[Any, list[dict[str, Any]]] = {value: [] for value in values}
        if self.why_missing(query) or not out:
            return out
        if query.sql.count(f"= :{param}") != 1:
            raise ValueError(f"query {name} has no single '= :{param}' to run for several values")
        keys = list(out)
        for start in range(0, len(keys), EACH_CHUNK):
            chunk = keys[start:start + EACH_CHUNK]
            marks = ", ".join(f":{param}_{i}" for i in range(len(chunk)))
            cursor = self.conn.cursor()
            cursor.row_factory = sqlite3.Row
            for row in cursor.execute(query.sql.replace(f"= :{param}", f"in ({marks})"),
                                      {f"{param}_{i}": value for i, value in enumerate(chunk)}):
                out[row[param]].append(dict(row))
        return out

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per memo dict: whole-table aggregates such as national medians."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def value(self, name: str, **params: Any) -> Any:
        """The first column of the first row (``None`` when there is none)."""
        first = self.run(name, **params).first
        return next(iter(first.values())) if first else None
