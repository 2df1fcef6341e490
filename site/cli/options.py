"""Options every area of the ``bolyst`` command shares (one place, so no area imports another for them)."""

from __future__ import annotations

from pathlib import Path

import click

from bolyst.site import DEFAULT_DB

DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
                         show_default=True, help="SQLite database file.")
