"""`bolyst serve`: follows a rebuilt database without a restart, bounds searches and SQL, shows no machine
paths, turns custom SQL off with --public, prints its URL and explains a busy port."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from bolyst.site.serve.guard import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS
from bolyst.site.serve.search import fts_query
from bolyst.site.serve.server import make_datasette


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def served_copy(built_db_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "kb.db"
    shutil.copyfile(built_db_path, path)
    return path


async def test_serve_follows_a_rebuilt_database_without_restart(served_copy: Path) -> None:
    ds = make_datasette(served_copy)
    sql = "/kb.json?sql=select+count(*)+as+n+from+excerpts&_shape=array"
    before = (await ds.client.get(sql)).json()[0]["n"]
    assert await _count_on_database_page(ds, "excerpts") == before  # counted once per file, then kept
    assert await _count_on_database_page(ds, "excerpts") == before
    new = served_copy.with_name("kb.db.building")  # as `bolyst build` does: a whole file, renamed into place
    shutil.copyfile(served_copy, new)
    with sqlite3.connect(new) as conn:
        conn.execute("delete from excerpts where rowid in (select rowid from excerpts limit 5)")
    os.replace(new, served_copy)
    ds.databases["kb"].check_file(force=True)
    assert (await ds.client.get(sql)).json()[0]["n"] == before - 5
    assert await _count_on_database_page(ds, "excerpts") == before - 5
    page = await ds.client.get("/-/bolyst/")
    assert page.status_code == 200


async def _count_on_database_page(ds, table: str) -> int:
    tables = (await ds.client.get("/kb.json")).json()["tables"]
    return next(t["count"] for t in tables if t["name"] == table)


@pytest.mark.parametrize("url", [
    "/{db}/search_quotes.json?q=" + "flytte+" * (MAX_SEARCH_TERMS + 1),
    "/{db}/search_quotes?q=" + "a" * (MAX_SEARCH_CHARS + 1),
    "/{db}/excerpts.json?_search=" + "ord+" * 40,
    "/{db}.json?sql=select+1" + "+" * 5000,
])
async def test_overlong_searches_and_sql_get_a_400_that_says_why(datasette, built_db_path: Path, url: str) -> None:
    response = await datasette.client.get(url.format(db=built_db_path.stem))
    assert response.status_code == 400
    assert "at most" in response.text


def test_the_fts_query_itself_is_bounded() -> None:
    query = fts_query("flytte " * 1000)
    assert query.count(" AND ") == MAX_SEARCH_TERMS - 1
    assert len(fts_query("x" * 50_000)) < 2 * MAX_SEARCH_CHARS + 100


async def test_sql_cannot_allocate_gigabytes(datasette, built_db_path: Path) -> None:
    response = await datasette.client.get(f"/{built_db_path.stem}.json?sql=select+length(randomblob(1000000000))")
    assert response.status_code == 400
    assert "too big" in response.text


async def test_public_serve_has_no_custom_sql_but_keeps_canned_queries(built_db_path: Path) -> None:
    ds = make_datasette(built_db_path, public=True)
    name = built_db_path.stem
    assert (await ds.client.get(f"/{name}.json?sql=select+1")).status_code == 403
    found = await ds.client.get(f"/{name}/search_quotes.json?q=flytte&_shape=array")
    assert found.status_code == 200 and found.json()


async def test_no_page_shows_a_machine_path(datasette, built_db_path: Path) -> None:
    name, folder = built_db_path.stem, str(built_db_path.parent)
    for url in ("/", "/-/databases", "/-/databases.json", f"/{name}", f"/{name}.json", "/-/metadata.json",
                "/-/plugins.json", "/-/versions.json", "/-/settings.json", f"/{name}/excerpts", "/-/bolyst/",
                f"/{name}/nosuch", f"/{name}?sql=select+nonsense", "/-/bolyst/sources/"):
        response = await datasette.client.get(url)
        assert folder not in response.text, url
    listed = (await datasette.client.get("/-/databases.json")).json()
    assert [d["name"] for d in listed] == [name] and "path" not in listed[0]


def test_serve_prints_its_url_and_explains_a_busy_port(built_db_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "bolyst.site.cli", "serve", "--db", str(built_db_path), "--no-rebuild",
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"GET /-/versions.json HTTP/1.0\r\n\r\n")
                    assert conn.recv(100).startswith(b"HTTP/1.1 200")
                break
            except ConnectionRefusedError:
                time.sleep(0.2)
        busy = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert busy.returncode == 1
        assert f"port {port} on 127.0.0.1 is already in use" in busy.stderr
        assert "--port" in busy.stderr and "make serve PORT=" in busy.stderr
        assert "Traceback" not in busy.stderr + busy.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_bad_port_number_is_an_error_not_a_traceback(built_db_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bolyst.site.cli", "serve", "--db", str(built_db_path),
                             "--no-rebuild", "--port", "99999"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "99999" in result.stderr



async def test_datasette_csv_downloads_have_formula_safe_cells(datasette, built_db_path: Path) -> None:
    name = built_db_path.stem
    sql = "select '=1+2' as a, '@SUM(A1)' as b, 'plain, \"quoted\"' as c, '-x' || char(10) || 'next' as d"
    for extra in ("", "&_stream=on", "&_dl=1"):
        response = await datasette.client.get(f"/{name}.csv?sql={quote(sql)}{extra}")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.text, newline="")))
        assert rows == [["a", "b", "c", "d"], ["'=1+2", "'@SUM(A1)", 'plain, "quoted"', "'-x\nnext"]], extra
    table = await datasette.client.get(f"/{name}/excerpts.csv?_size=max")
    rows = list(csv.reader(io.StringIO(table.text, newline="")))
    assert len(rows) > 100 and not [c for row in rows for c in row if c[:1] in ("=", "+", "-", "@")]


async def test_served_metadata_is_the_built_metadata(served_copy: Path) -> None:
    """Table entries are served as shared objects (server.Described, not deep-copied per permission check): what
    Datasette reads and shows is still every description of build_metadata, and a table page still has its own."""
    import json

    from bolyst.site.serve.metadata import build_metadata
    from markupsafe import escape

    ds = make_datasette(served_copy)
    served = (await ds.client.get("/-/metadata.json")).json()
    assert served == json.loads(json.dumps(build_metadata("kb")))
    assert ds.metadata("description", database="kb", table="excerpts") == served["databases"]["kb"]["tables"][
        "excerpts"]["description"]
    page = await ds.client.get("/kb/codings")
    description = served["databases"]["kb"]["tables"]["codings"]["description"]
    assert page.status_code == 200 and str(escape(description)) in page.text
