"""Reproducible builds: the same inputs give the same database, table by table and row by row.

The session's database (built in this process) is compared with one built in a separate process under a
different PYTHONHASHSEED, so an order that leaks from a set or dict of strings shows up as a difference.
Every table is dumped ordered by all its columns; the database records no build time, so nothing may differ.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    out = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
        order = ", ".join(f"[{c}]" for c in columns) or "rowid"
        out[table] = conn.execute(f"select * from [{table}] order by {order}").fetchall()
    schema = conn.execute("select type, name, sql from sqlite_master order by type, name").fetchall()
    conn.close()
    return {"__schema__": schema, **out}


def test_two_builds_of_the_same_inputs_are_identical(built_db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "again.db"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "bolyst.site.cli", "build", "--db", str(other)], check=True, env=env,
                   capture_output=True)
    first, second = dump(built_db_path), dump(other)
    assert sorted(first) == sorted(second)
    different = [t for t in first if first[t] != second[t]]
    details = {t: (len(first[t]), len(second[t]),
                   next((a, b) for a, b in zip(first[t], second[t]) if a != b) if len(first[t]) == len(second[t])
                   else None) for t in different[:3]}
    assert not different, details
