"""Two small things every export query needs: whether tables or views exist, and a list as a JSON parameter
(for ``json_each``)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils


def has(db: sqlite_utils.Database, *names: str) -> bool:
    """True when every one of ``names`` is a table or view of ``db``."""
    present = set(db.table_names()) | set(db.view_names())
    return all(name in present for name in names)


def json_list(values: Iterable[str]) -> str:
    return json.dumps(list(values))
