"""The database's shape, declared as data. Each stage lists its tables in its own ``schema.py``.

``ensure_shape(db, tables)`` creates what is missing and is safe to run twice. The descriptions here
are the ones Datasette shows (see ``bolyst.site.serve.metadata``), so a table cannot exist undescribed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

#: FTS5 tokenizer for Norwegian text. unicode61 folds case for æ/ø/å too; remove_diacritics 0 keeps
#: å ≠ a and é ≠ e, because in Norwegian they are different letters ("går" is not "gar").
FTS_TOKENIZE = "unicode61 remove_diacritics 0"


@dataclass(frozen=True)
class Column:
    name: str
    type: type  # str, int, float
    description: str
    fk: str | None = None  # "table" or "table.column"


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    pk: tuple[str, ...]
    fts: tuple[str, ...] = ()
    label_column: str | None = None
    facets: tuple[str, ...] = ()
    sort: str | None = None
    indexes: tuple[tuple[str, ...], ...] = ()
    extra: dict = field(default_factory=dict)  # further Datasette table metadata

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class View:
    name: str
    description: str
    sql: str
    columns: dict[str, str]  # column -> description


def ensure_shape(db: sqlite_utils.Database, tables: Iterable[Table], views: Iterable[View] = ()) -> None:
    """Create every declared table, index, FTS table and view that does not exist yet."""
    for table in tables:
        foreign_keys = []
        for col in table.columns:
            if col.fk:
                other, _, other_col = col.fk.partition(".")
                foreign_keys.append((col.name, other, other_col or "id"))
        db[table.name].create(
            {c.name: c.type for c in table.columns},
            pk=table.pk[0] if len(table.pk) == 1 else table.pk,
            foreign_keys=foreign_keys,
            if_not_exists=True,
        )
        for index in table.indexes:
            db[table.name].create_index(index, if_not_exists=True)
        if table.fts and not db[table.name].detect_fts():
            db[table.name].enable_fts(table.fts, fts_version="FTS5", tokenize=FTS_TOKENIZE,
                                      create_triggers=True)
    for view in views:
        db.create_view(view.name, view.sql, replace=True)
