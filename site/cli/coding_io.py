"""What the coding area's commands share: the --coding-dir option, the project's coding folders, the database."""

from __future__ import annotations

from pathlib import Path

import click

from .options import current_project

CODING_DIR_OPTION = click.option(
    "--coding-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder with codebook.yaml and decisions/, instead of the project's.")


def _folders(coding_dir: Path | None):
    """The project's codebook and decision folders, or those of --coding-dir."""
    from bolyst.corpus.project import with_folders

    return with_folders(current_project(), None, coding_dir)


def _open_db(db_path: Path):
    import sqlite_utils
    from bolyst.corpus.errors import BolystError

    if not db_path.exists():
        raise BolystError("no database", path=db_path, fix="run `bolyst build` first (or pass --db)")
    return sqlite_utils.Database(db_path)


def _fmt(value: float | None) -> str:
    """An agreement or model figure as the coding commands print it: two decimals, '–' for none."""
    return "–" if value is None else f"{value:.2f}"


def _model_dir(folders, coding_dir: Path | None, writing: bool = False) -> Path:
    """Where the project's trained model lives: <project>/model, <coding-dir>/model, or the shipped one
    (written only in a clone of the repository, never in an installed package)."""
    from bolyst.corpus.project import SHIPPED_CODING, SOURCE_CHECKOUT

    if coding_dir is not None:
        return Path(coding_dir) / "model"
    if folders.root is not None:
        return folders.root / "model"
    if writing and not SOURCE_CHECKOUT:
        folders.writable("bolyst model train")
    return SHIPPED_CODING / "model"
