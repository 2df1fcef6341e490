"""One write path for large tidy frames: one ``executemany`` inside the build's transaction.

sqlite-utils' ``insert_all`` splits rows into ~100-row statements and commits after each, which took ~30 s for
the 230,000 statistics rows on two cores and ~5 s for the analysis tables of the shipped corpus; one
``executemany`` into the table ``ensure_shape`` created, committed once with the stage, takes a fraction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import sqlite_utils

BATCH = 50_000  # rows per executemany call (bounds the list of tuples held at once)


def clean(value: Any) -> Any:
    """A value SQLite can bind: NaN and None → None, numpy scalars → Python scalars."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return clean(value.item())
    return value


def _column(series: pd.Series) -> list[Any]:
    values = series.to_numpy(dtype=object, copy=True)
    values[series.isna().to_numpy()] = None
    out = values.tolist()
    if series.dtype == object and pd.api.types.infer_dtype(out, skipna=True) not in ("string", "empty") and any(
            isinstance(v, np.generic) for v in out):
        return [clean(v) for v in out]
    return out


def insert_frame(db: sqlite_utils.Database, table: str, frame: pd.DataFrame, replace: bool = False) -> int:
    """Insert ``frame``'s rows (its columns by name) into ``table`` in the open transaction; the rows inserted.

    ``replace``: a later row replaces an earlier one with the same primary key (else a duplicate key is an error).
    """
    columns = list(frame.columns)
    verb = "insert or replace" if replace else "insert"
    sql = (f"{verb} into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"values ({', '.join('?' for _ in columns)})")
    rows = list(zip(*(_column(frame[c]) for c in columns))) if columns else []
    for start in range(0, len(rows), BATCH):
        db.conn.executemany(sql, rows[start:start + BATCH])
    return len(rows)
