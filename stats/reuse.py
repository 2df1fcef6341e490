"""The stats tables an incremental build may take from the previous database instead of computing them again.

Most of the stats stage's tables (``STATISTICS_TABLES``: the statistics, crosswalk and names, comparables, models,
the barometer) are a function of the statistics snapshots and the stats code alone, not of the corpus. Their
inputs are hashed (``fingerprint``: every file of the data folder, the stats package's code and the corpus
modules it imports, the versions of Python, SQLite and the libraries that compute them) and the hash is stored
beside each table's row count in ``build_fingerprints``. ``copy`` takes the tables from the previous database,
opened read-only, only when every table's fingerprint and row count there match; anything else (no previous
database, an older one without fingerprints, a changed input, an error while reading) gives ``None`` and the
stage computes them: correctness over speed. The tables that read the corpus are always computed, but the theme
matrix's tests (seconds of Monte Carlo) are taken from the previous build for every table whose counts are
unchanged (``known_tests``).
"""

from __future__ import annotations

import hashlib
import platform
import sqlite3
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .matrix import UNTESTED, Tested
from .schema import TABLES
from .snapshots import DATA_DIR

#: Tables computed from the snapshots in ``<stats_dir>/data`` and the stats code only (never the corpus).
STATISTICS_TABLES = (
    "kostra_groups", "indicators", "municipalities", "municipality_crosswalk", "municipality_names",
    "municipality_stats", "comparison_indicators", "comparison_values", "comparables", "comparable_contributions",
    "models", "model_terms", "model_residuals", "rate_estimates",
    "barometer_fits", "barometer_terms", "barometer_residuals", "barometer_validation",
)
#: The libraries whose results end up in those tables (reading, mapping, fitting, writing).
LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels", "patsy", "PyYAML", "sqlite-utils")
STATS_CODE = Path(__file__).parent
#: Modules of earlier stages the stats code imports (shapes of the tables, errors).
IMPORTED = tuple(STATS_CODE.parent / "corpus" / name for name in ("shape.py", "errors.py"))
_COLUMNS = {t.name: [c.name for c in t.columns] for t in TABLES}
ALIAS = "previous_build"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(data_dir: Path) -> str:
    """A hash of everything ``STATISTICS_TABLES`` are computed from: the project's data folder and the shipped one
    (some readers default to it), the stats code, and the versions of Python, SQLite and ``LIBRARIES``."""
    digest = hashlib.sha256()
    for folder in dict.fromkeys([Path(data_dir).resolve(), DATA_DIR.resolve()]):
        for path in _files(folder):
            digest.update(f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    for path in [p for p in _files(STATS_CODE) if p.suffix == ".py"] + list(IMPORTED):
        digest.update(f"{path.relative_to(STATS_CODE.parent).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    versions = [f"python {platform.python_version()}", f"sqlite {sqlite3.sqlite_version}",
                *(f"{name} {version(name)}" for name in LIBRARIES)]
    digest.update("\0".join(versions).encode())
    return digest.hexdigest()


def copy(db: sqlite_utils.Database, previous: Path, fingerprint: str) -> dict[str, int] | None:
    """Copy ``STATISTICS_TABLES`` from the database ``previous`` (read-only) into ``db`` when their fingerprints and
    row counts there match ``fingerprint``; their row counts, or ``None`` when anything differs (nothing copied)."""
    previous = Path(previous)
    if not previous.is_file():
        return None
    conn = db.conn
    conn.commit()  # ATTACH and DETACH need no open transaction; a failed copy rolls back only itself
    try:
        conn.execute(f"attach database ? as {ALIAS}", [_read_only(previous)])
    except sqlite3.Error:
        return None
    try:
        counts = _matching(conn, fingerprint)
        if counts is not None:
            for table in STATISTICS_TABLES:
                columns = ", ".join(f"[{c}]" for c in _COLUMNS[table])
                conn.execute(f"insert into main.[{table}] ({columns}) select {columns} "
                             f"from {ALIAS}.[{table}] order by rowid")
        conn.commit()
        return counts
    except sqlite3.Error:
        conn.rollback()
        return None
    finally:
        conn.execute(f"detach database {ALIAS}")


def _read_only(previous: Path) -> str:
    """The URI that opens the previous database read-only: a reuse never writes it."""
    return f"file:{quote(str(Path(previous).resolve()))}?mode=ro"


def _matching(conn: sqlite3.Connection, fingerprint: str) -> dict[str, int] | None:
    """Each table's row count in the attached database when it was built from inputs with ``fingerprint``."""
    stored = {name: (fp, n) for name, fp, n in conn.execute(
        f"select name, fingerprint, row_count from {ALIAS}.build_fingerprints")}
    counts = {}
    for table in STATISTICS_TABLES:
        n = conn.execute(f"select count(*) from {ALIAS}.[{table}]").fetchone()[0]
        if stored.get(table) != (fingerprint, n):
            return None
        counts[table] = n
    return counts


def record(db: sqlite_utils.Database, fingerprint: str) -> int:
    """Write the fingerprint and row count of each of ``STATISTICS_TABLES`` into ``build_fingerprints``."""
    rows = [{"name": t, "fingerprint": fingerprint, "row_count": db[t].count} for t in STATISTICS_TABLES]
    db["build_fingerprints"].insert_all(rows, replace=True)
    return len(rows)


def known_tests(previous: Path, fingerprint: str) -> dict[tuple, Tested]:
    """The matrix tests of the database ``previous`` (read-only), by tested table (:func:`matrix.table_key`).

    A test's (test, statistic, pval) is a function of its table, ``matrix.RESAMPLES``, ``matrix.SEED`` and the
    versions of scipy and numpy alone; the fingerprint covers the stats code (those constants) and the versions, so
    the results are taken only when every table of ``previous`` was built with ``fingerprint``. Anything else (no
    such database, another fingerprint, an error while reading) gives ``{}``: every table is tested again.
    """
    try:
        conn = sqlite3.connect(_read_only(previous), uri=True)
    except sqlite3.Error:
        return {}
    try:
        stored = {fp for (fp,) in conn.execute("select distinct fingerprint from build_fingerprints")}
        if stored != {fingerprint}:
            return {}
        rows = conn.execute("select code, dimension, category, n_excerpts, n_coded, test, statistic, pval "
                            "from theme_matrix").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    cells: dict[tuple[str, str], list] = {}
    for code, dimension, category, n, coded, *result in rows:
        cells.setdefault((code, dimension), []).append((category, n, coded, tuple(result)))
    known = {}
    for cell in cells.values():
        tested = sorted((c for c in cell if c[0] not in UNTESTED), key=lambda c: c[0])
        known[tuple((coded, n - coded) for _, n, coded, _ in tested)] = cell[0][3]
    return known
