"""Assemble the knowledge base: every stage into one SQLite file, built aside and swapped in atomically."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from bolyst.coding import build as coding_build
from bolyst.coding.cache import SUFFIX as CACHE_SUFFIX
from bolyst.coding import schema as coding_schema
from bolyst.corpus import CORPUS_DIR
from bolyst.corpus import build as corpus_build
from bolyst.corpus import schema as corpus_schema
from bolyst.stats import build as stats_build
from bolyst.stats import schema as stats_schema
from bolyst.corpus.errors import BolystError
from bolyst.corpus.project import Project, demo, folders
from bolyst.corpus.shape import Table, View, ensure_shape

PACKAGE_DIRS = {name: CORPUS_DIR.parent / name for name in ("corpus", "coding", "stats", "site")}


@dataclass(frozen=True)
class Paths:
    """One folder per stage to build from (defaults: the package's); a project has several, see ``Project``."""

    corpus: Path = PACKAGE_DIRS["corpus"]
    coding: Path = PACKAGE_DIRS["coding"]
    stats: Path = PACKAGE_DIRS["stats"]

    def project(self, db: Path) -> Project:
        return folders(self.corpus, self.coding, self.stats, db)


@dataclass(frozen=True)
class Stage:
    name: str
    tables: tuple[Table, ...]
    views: tuple[View, ...]
    queries: dict[str, dict]
    run: Callable[..., dict[str, int]]  # (db, project, jobs=1, cache=None, items=None, previous=None) -> counts


def stages() -> list[Stage]:
    """Every stage in dependency order: corpus ← coding ← stats."""
    return [
        Stage("corpus", corpus_schema.TABLES, corpus_schema.VIEWS, corpus_schema.QUERIES,
              lambda db, project, jobs=1, cache=None, items=None, previous=None: corpus_build.run(
                  db, project.corpus_dirs)),
        Stage("coding", coding_schema.TABLES, coding_schema.VIEWS, coding_schema.QUERIES,
              lambda db, project, jobs=1, cache=None, items=None, previous=None: coding_build.run(
                  db, project.coding_dir, project.decisions_dirs, jobs, cache, items)),
        Stage("stats", stats_schema.TABLES, stats_schema.VIEWS, stats_schema.QUERIES,
              lambda db, project, jobs=1, cache=None, items=None, previous=None: stats_build.run(
                  db, project.stats_dir, previous, jobs)),
    ]


def all_tables() -> list[Table]:
    return [t for s in stages() for t in s.tables]


def all_views() -> list[View]:
    return [v for s in stages() for v in s.views]


def all_queries() -> dict[str, dict]:
    return {name: query for s in stages() for name, query in s.queries.items()}


def ensure_all(db: sqlite_utils.Database) -> None:
    """Apply every stage's declared shape (safe to run twice), and an index on every foreign key."""
    ensure_shape(db, all_tables(), all_views())
    for table, column in foreign_keys_without_index(db):
        db[table].create_index([column], if_not_exists=True)


def foreign_keys_without_index(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(table, column) of each declared foreign key that no index (or primary key) starts with. Pages look rows
    up by these columns (a source's speakers and findings, a code's rules, a municipality's contributions …);
    without an index each lookup scans the table, which at 10^4–10^5 excerpts is what made pages slow."""
    missing = []
    for table in all_tables():
        if not db[table.name].exists():
            continue
        firsts = {index.columns[0] for index in db[table.name].indexes if index.columns}
        firsts |= {table.pk[0]} if table.pk else set()
        missing += [(table.name, c.name) for c in table.columns if c.fk and c.name not in firsts]
    return missing


@dataclass
class StageReport:
    name: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def build(db_path: Path, paths: Paths | Project | None = None,
          progress: Callable[[StageReport], None] | None = None, jobs: int = 1,
          incremental: bool = False, items: Callable[[int], None] | None = None) -> list[StageReport]:
    """Build every stage of a project (default: the shipped demo) into ``db_path``.

    The database is written to ``<db_path>.building`` and renamed over ``db_path`` only when every
    stage has succeeded, so a failed build leaves the previous database untouched. Nothing is
    written anywhere else, except, with ``incremental`` (``bolyst build``'s default; this function's is a full
    build), the coder's cache ``<db>.coder-cache``: what the rules made of each text and the trained suggester,
    so a rebuild codes only new and changed excerpts (coding/cache.py) and a failed later stage does not lose
    the coding done. With ``incremental`` the stats stage also copies, from the previous ``db_path`` (read,
    never written), the tables that do not depend on the corpus when the fingerprint of their inputs is unchanged
    (stats/reuse.py); a full build never reads it. Either way the result is the
    database a full build gives (tests/test_incremental_build.py). ``jobs``: processes for the coder and the
    theme matrix's exact tests (the build's slowest parts at scale); ``items(n)``: n more excerpts coded.
    """
    db_path = Path(db_path)
    project = paths.project(db_path) if isinstance(paths, Paths) else paths or demo(db_path)
    tmp = db_path.with_name(db_path.name + ".building")
    cache = db_path.with_name(db_path.name + CACHE_SUFFIX) if incremental else None
    previous = db_path if incremental and db_path.is_file() else None  # read-only, by the stats stage
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    reports: list[StageReport] = []
    db = sqlite_utils.Database(tmp)
    # The file is a scratch copy until the rename: skip the fsync after each of sqlite-utils' per-chunk
    # commits (hundreds per stage), and sync once, in the final VACUUM.
    db.conn.execute("pragma synchronous = off")
    try:
        ensure_all(db)
        for stage in stages():
            started = time.perf_counter()
            with db.conn:
                try:
                    counts = stage.run(db, project, jobs, cache, items, previous)
                except (BolystError, KeyboardInterrupt):
                    raise
                except Exception as exc:  # unforeseen: say which stage, and that earlier coding is kept
                    raise BolystError(f"the {stage.name} stage failed: {type(exc).__name__}: {exc}",
                                      where=f"stage {stage.name}",
                                      fix="fix the input named above and build again (the coding done so far is "
                                          "kept in the coder's cache)") from exc
            report = StageReport(stage.name, time.perf_counter() - started, counts)
            reports.append(report)
            if progress:
                progress(report)
        db.conn.execute("pragma synchronous = full")
        db.vacuum()
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(tmp, db_path)
    return reports


def source_files(project: Project | None = None) -> Iterator[Path]:
    """Every file a build depends on: the four package folders and the project's, without caches."""
    return (project or demo()).source_files()


def is_stale(db_path: Path, project: Project | None = None) -> bool:
    """True when the database is missing or older than any file it is built from."""
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    return any(p.stat().st_mtime > built for p in source_files(project))
