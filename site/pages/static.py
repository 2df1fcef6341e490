"""``bolyst site build DIR``: every page written as DIR/<path>/index.html, plus the stylesheet.

Links between pages are relative, so DIR works from any static host or straight from disk. Links to
tables and queries point at a Datasette base URL (default http://127.0.0.1:8001).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bolyst.corpus.errors import BolystError

from . import ASSETS_DIR
from .i18n import DEFAULT, LANGS
from .links import DEFAULT_DATASETTE, Links
from .site import KINDS, Target, render_missing, render_target, targets
from .store import Store

STYLESHEET = "bolyst-pages.css"
CHUNK = 20  # pages per task handed to a worker
NOT_FOUND = "404.html"  # what static hosts (GitHub Pages, Netlify …) serve for a missing path


@dataclass(frozen=True)
class SiteReport:
    pages: int
    seconds: float
    by_kind: dict[str, int]
    out_dir: Path


def connect_readonly(db_path: Path) -> sqlite3.Connection:
    if not Path(db_path).is_file():
        raise BolystError("database not found", path=db_path, fix="build it first: bolyst build --db " + str(db_path))
    return sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)


def _clean(out_dir: Path) -> None:
    """Remove what an earlier build wrote (only the folders and files this build writes)."""
    for name in {k.name for k in KINDS if k.name} | {"static"} | set(LANGS):
        shutil.rmtree(out_dir / name, ignore_errors=True)
    (out_dir / "index.html").unlink(missing_ok=True)
    (out_dir / NOT_FOUND).unlink(missing_ok=True)


@dataclass(frozen=True)
class _Job:
    db_path: str
    out_dir: str
    datasette: str
    db: str
    lang: str = DEFAULT
    switch: bool = False


_STATE: dict = {}  # per worker process: the job and its Store (one read-only connection)


def _start(job: _Job) -> None:
    _STATE.update(job=job, store=Store(connect_readonly(Path(job.db_path))))


def _write(chunk: list[tuple[int, str | None]]) -> list[tuple[str, str]]:
    """Render and write a chunk of (kind index, key) pages; returns (kind label, path) of each written."""
    job, store, written = _STATE["job"], _STATE["store"], []
    for kind_index, key in chunk:
        target = Target(KINDS[kind_index], key)
        html = render_target(store, target, datasette=job.datasette, db=job.db, lang=job.lang, switch=job.switch)
        if html is None:
            continue
        path = Path(job.out_dir) / target.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append((target.kind.template.removesuffix(".html"), target.path))
    return written


def _chunks(store: Store, size: int) -> list[list[tuple[int, str | None]]]:
    todo = [(KINDS.index(t.kind), t.key) for t in targets(store)]
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def build_site(db_path: Path, out_dir: Path, *, datasette: str = DEFAULT_DATASETTE, workers: int | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               langs: tuple[str, ...] = LANGS) -> SiteReport:
    """Write every page of the database at ``db_path`` into ``out_dir``, in ``workers`` processes
    (default: one per core, at most 4). ``progress(done, total, last_path)`` is called as pages are written.
    With both languages, Norwegian pages are at the top and English ones under ``en/``, each linking to the
    other; with one, that language's pages are at the top.
    """
    started = time.perf_counter()
    connect_readonly(db_path).close()  # fail early, before touching out_dir
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clean(out_dir)
    by_kind: dict[str, int] = {}
    for lang in langs:
        here = out_dir / lang if len(langs) > 1 and lang != DEFAULT else out_dir
        job = _Job(str(db_path), str(here), datasette.rstrip("/"), Path(db_path).stem, lang, len(langs) > 1)
        for label, count in _build_one(job, workers, progress).items():
            by_kind[label] = by_kind.get(label, 0) + count
    return SiteReport(sum(by_kind.values()), time.perf_counter() - started, by_kind, out_dir)


def _build_one(job: _Job, workers: int | None, progress: Callable[[int, int, str], None] | None) -> dict[str, int]:
    here = Path(job.out_dir)
    (here / "static").mkdir(parents=True)
    shutil.copy2(ASSETS_DIR / STYLESHEET, here / "static" / STYLESHEET)
    site = {"datasette": job.datasette, "db": job.db, "static": True}
    (here / NOT_FOUND).write_text(render_missing(Links(NOT_FOUND, job.datasette, job.db, job.lang), site),
                                  encoding="utf-8")
    _start(job)
    chunks = _chunks(_STATE["store"], CHUNK)
    total = sum(len(c) for c in chunks)
    workers = workers or min(os.cpu_count() or 1, 4)
    by_kind: dict[str, int] = {}
    done = 0
    with _pool(workers, job) as pool:
        for written in (pool.imap(_write, chunks) if pool else map(_write, chunks)):
            for label, path in written:
                by_kind[label] = by_kind.get(label, 0) + 1
            done += CHUNK
            if progress and written:
                progress(min(done, total), total, (f"{job.lang}/" if job.switch and job.lang != DEFAULT else "")
                         + written[-1][1])
    return by_kind


@contextmanager
def _pool(workers: int, job: _Job):
    """A fork pool of ``workers`` processes, or ``None`` (render in this process) for one worker."""
    if workers <= 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start, initargs=(job,)) as pool:
        yield pool
