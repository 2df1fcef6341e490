"""Run Datasette over a Bolyst database with the project's metadata, templates and plugin."""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Callable
from pathlib import Path

from datasette.app import Datasette

from bolyst.corpus.errors import BolystError
from bolyst.site.pages import ASSETS_DIR

from .follow import FollowingDatabase
from .metadata import build_metadata

DEFAULT_PORT = 8001


class Described(dict):
    """One table's metadata (its description and every column's), handed back as is by ``copy.deepcopy``.

    Datasette (0.65.5 as installed) deep-copies the whole metadata for every ``view-table`` permission check, to
    merge copies it then reads; it never writes into a table's entry. Ours describe every column: 65 KB, 0.5 ms a
    copy, ~60 copies for the database page (it checks each table). Nothing in Bolyst changes metadata once served.
    """

    def __deepcopy__(self, memo: dict) -> Described:
        return self


def make_datasette(db_path: Path, public: bool = False) -> Datasette:
    """A configured Datasette instance (used by ``bolyst serve`` and by the tests' client).

    The database follows its file (:class:`FollowingDatabase`): a rebuild is served from the next request on.
    ``public`` turns off custom SQL (the canned queries and searches stay).
    """
    db_path = Path(db_path)
    metadata = build_metadata(db_path.stem)
    database = metadata["databases"][db_path.stem]
    database["tables"] = {name: Described(entry) for name, entry in database.get("tables", {}).items()}
    if public:
        metadata["allow_sql"] = False
    # No template_dir: the pages render their own templates, and a Datasette template folder with a
    # pages/ subfolder would serve each page template as a Datasette custom page (/home → error 500).
    ds = Datasette([str(db_path)], immutables=[], metadata=metadata,
                   settings={"default_page_size": 50, "sql_time_limit_ms": 3000, "facet_time_limit_ms": 500,
                             # suggested facets try a query per column on every table page: 5× its cost
                             "suggest_facets": False},
                   static_mounts=[("bolyst-static", str(ASSETS_DIR))])
    ds.remove_database(db_path.stem)
    ds.add_database(FollowingDatabase(ds, path=str(db_path)), name=db_path.stem)
    return ds


def free_port(host: str, start: int) -> int | None:
    """The first port from ``start`` on that ``host`` can listen on (None within 50 tries)."""
    for port in range(start, min(start + 50, 65536)):
        try:
            check_port(host, port)
            return port
        except BolystError:
            continue
    return None


def check_port(host: str, port: int) -> None:
    """:class:`BolystError` with what to do when ``host:port`` cannot be listened on."""
    if not 1 <= port <= 65535:
        raise BolystError(f"port {port} is not a port number", fix="give --port between 1 and 65535, e.g. 8001")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BolystError(f"cannot serve on host {host!r} ({exc.strerror})",
                          fix="use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network)") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = free_port(host, port + 1) if port < 65535 else None
                raise BolystError(
                    f"port {port} on {host} is already in use (another `bolyst serve` or program listens there)",
                    fix="stop that program, or serve on another port: "
                        + (f"bolyst serve --port {other} (make serve PORT={other})" if other else "--port N")) from None
            if exc.errno == errno.EACCES:
                raise BolystError(f"not allowed to listen on port {port}",
                                  fix="ports below 1024 need root; use e.g. --port 8001") from None
            raise BolystError(f"cannot listen on {host}:{port} ({exc.strerror})",
                              fix="check --host (an address of this machine) and --port") from None


def serve(db_path: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, public: bool = False,
          announce: Callable[[str], None] = print) -> None:
    import datasette.handle_exception
    import uvicorn

    check_port(host, port)
    # Datasette prints every handled error (a 404 too) as a full rich traceback with locals when rich is
    # importable (spaCy brings it). In a terminal serving the public that is noise: keep its JSON/HTML errors only.
    datasette.handle_exception.rich = None

    ds = make_datasette(db_path, public=public)
    asyncio.run(ds.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    announce(f"http://{shown}:{port}/")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
