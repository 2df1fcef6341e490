"""Run Datasette over a Bolyst database with the project's metadata, templates and plugin."""

from __future__ import annotations

import asyncio
from pathlib import Path

from datasette.app import Datasette

from bolyst.site.pages import ASSETS_DIR

from .metadata import build_metadata


def make_datasette(db_path: Path) -> Datasette:
    """A configured Datasette instance (used by ``bolyst serve`` and by the tests' client)."""
    db_path = Path(db_path)
    # No template_dir: the pages render their own templates, and a Datasette template folder with a
    # pages/ subfolder would serve each page template as a Datasette custom page (/home → error 500).
    return Datasette([str(db_path)], immutables=[], metadata=build_metadata(db_path.stem),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 3000, "facet_time_limit_ms": 500},
                     static_mounts=[("bolyst-static", str(ASSETS_DIR))])


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    import datasette.handle_exception
    import uvicorn

    # Datasette prints every handled error (a 404 too) as a full rich traceback with locals when rich is
    # importable (spaCy brings it). In a terminal serving the public that is noise: keep its JSON/HTML errors only.
    datasette.handle_exception.rich = None

    ds = make_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
