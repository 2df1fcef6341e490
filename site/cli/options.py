"""Options every area of the ``bolyst`` command shares (one place, so no area imports another for them).

``--project DIR`` picks the project (default: the current folder when it has ``bolyst.yaml``, else the
shipped demo project, read-only); ``--db FILE`` the database (default: the project's). Every command takes
``--project``; a command reads the chosen project with :func:`current_project`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from bolyst.corpus.project import Project, find_project

_KEY = "bolyst.project"


def _remember(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    ctx.meta[_KEY] = value
    return value


PROJECT_OPTION = click.option(
    "--project", type=click.Path(file_okay=False, path_type=Path), default=None, envvar="BOLYST_PROJECT",
    is_eager=True, expose_value=False, callback=_remember,
    help="Project folder (made by `bolyst init`). Default: this folder if it has bolyst.yaml, else the "
         "shipped demo project (read-only).")


def current_project(db: Path | None = None) -> Project:
    """The project the command was given (or found), with ``db`` as its database when given."""
    return find_project(click.get_current_context().meta.get(_KEY), db)


def _db(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    return value if value is not None else current_project().db


def DB_OPTION(command: Callable) -> Callable:  # noqa: N802 - used like the click.option it was
    """``--project`` and ``--db`` (default: the project's database; bolyst.db here for the demo)."""
    command = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                           callback=_db, help="SQLite database file. Default: the project's bolyst.db "
                           "(bolyst.db in this folder for the demo project).")(command)
    return PROJECT_OPTION(command)
