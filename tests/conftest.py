"""Shared fixtures: the shipped knowledge base built once per test session, and Datasette over it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from bolyst.site.build import build


@pytest.fixture(scope="session")
def built_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real, shipped knowledge base, built once for the whole test session (treat as read-only)."""
    path = tmp_path_factory.mktemp("kb") / "bolyst.db"
    build(path)
    return path


@pytest.fixture(scope="session")
def built_db(built_db_path: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(built_db_path)


@pytest.fixture(scope="session")
def datasette(built_db_path: Path):
    """Datasette configured exactly as ``bolyst serve`` configures it; use ``datasette.client``."""
    from bolyst.site.serve.server import make_datasette

    return make_datasette(built_db_path)


@pytest.fixture(scope="session")
def site(built_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static site of the shipped knowledge base: Norwegian at the top, English under en/ (read-only)."""
    from bolyst.site.pages.static import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(built_db_path, out)
    return out
