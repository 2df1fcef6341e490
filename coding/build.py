"""The coding stage of a build."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils


def run(db: sqlite_utils.Database, coding_dir: Path) -> dict[str, int]:
    """Write this stage's tables into ``db``; returns counts per table."""
    return {}
