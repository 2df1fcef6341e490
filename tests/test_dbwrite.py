"""The one write path for large frames: values as SQLite stores them, one transaction, duplicate keys."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
import sqlite_utils
from bolyst.stats.dbwrite import insert_frame


def test_values_are_stored_as_sqlite_values_inside_the_open_transaction(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db.conn.execute("create table t (id text primary key, n integer, x real, label)")
    frame = pd.DataFrame({"id": ["a", "b", "c"], "n": [1, 2, 3], "x": [0.5, np.nan, 2.0],
                          "label": ["one", None, np.int64(7)]})
    assert insert_frame(db, "t", frame) == 3
    assert db.conn.in_transaction  # committed with the build's stage, not per chunk
    rows = db.conn.execute("select id, n, typeof(n), x, typeof(x), label, typeof(label) from t order by id").fetchall()
    assert rows == [("a", 1, "integer", 0.5, "real", "one", "text"), ("b", 2, "integer", None, "null", None, "null"),
                    ("c", 3, "integer", 2.0, "real", 7, "integer")]  # a numpy int as an int


def test_a_duplicate_key_is_an_error_unless_replacing(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db.conn.execute("create table t (id text primary key, n integer)")
    frame = pd.DataFrame({"id": ["a", "a"], "n": [1, 2]})
    with pytest.raises(sqlite3.IntegrityError):
        insert_frame(db, "t", frame)
    db.conn.rollback()
    assert insert_frame(db, "t", frame, replace=True) == 2
    assert db.conn.execute("select id, n from t").fetchall() == [("a", 2)]
