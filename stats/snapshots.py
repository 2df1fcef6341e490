"""The shipped statistics snapshots: read them, and derive them again from the collected source files.

``stats/data/SOURCES.yaml`` is the manifest: one entry per snapshot with its provenance and, for long
snapshots, its indicators. Derive every snapshot again with::

    python -m bolyst.stats.snapshots /work/shared/data/ssb

The output is byte-identical on every run (rows sorted, gzip written without a timestamp), so a
re-derivation shows up in ``git diff`` only when a number changed. The build reads only the snapshots.
"""

from __future__ import annotations

import gzip
import io
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bolyst.corpus.errors import StatsDataError

DATA_DIR = Path(__file__).parent / "data"
MANIFEST = "SOURCES.yaml"
SYMBOLS = {"", ".", ":", "no_series"}


@dataclass(frozen=True)
class Snapshot:
    """One manifest entry: a file in stats/data/ and where its numbers come from."""

    name: str
    file: str
    source: str
    table_id: str
    years: str
    structure: str
    licence: str
    upstream: str
    caveats: str
    indicators: dict[str, dict[str, Any]]
    fetch: dict[str, Any] | None = None

    @property
    def is_long(self) -> bool:
        return bool(self.indicators)


def read_manifest(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    return _manifest_cached(data_stamp(data_dir))


@lru_cache(maxsize=8)
def _manifest_cached(stamp: tuple[str, float]) -> dict[str, Any]:
    path = Path(stamp[0]) / MANIFEST
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as error:
        raise StatsDataError(f"cannot read the snapshot manifest: {error}", path=path,
                             fix="restore stats/data/SOURCES.yaml from version control") from error


def snapshots(data_dir: Path = DATA_DIR) -> dict[str, Snapshot]:
    """Every snapshot in the manifest, by name."""
    manifest = read_manifest(data_dir)
    licences = manifest.get("licences", {})
    out = {}
    for name, entry in manifest["snapshots"].items():
        out[name] = Snapshot(
            name=name, file=entry["file"], source=entry["source"], table_id=str(entry["table_id"]),
            years=str(entry["years"]), structure=str(entry["structure"]),
            licence=entry.get("licence") or licences.get(entry["source"], "not stated"),
            upstream=entry["upstream"], caveats=" ".join(str(entry.get("caveats", "")).split()),
            indicators=entry.get("indicators") or {}, fetch=entry.get("fetch"))
    return out


def data_stamp(data_dir: Path = DATA_DIR) -> tuple[str, float]:
    """A cache key for a data folder that changes when any of its files changes."""
    folder = Path(data_dir).resolve()
    return str(folder), max((p.stat().st_mtime_ns for p in folder.iterdir()), default=0)


def read_snapshot(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A snapshot as a DataFrame: text columns as str; long snapshots with int year and float value."""
    snap = snapshots(data_dir)[name]
    return _read_file(Path(data_dir) / snap.file, snap.is_long)


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime: float, is_long: bool) -> pd.DataFrame:
    if is_long:
        df = pd.read_csv(path, dtype={"number": str, "indicator": str, "symbol": str, "flag": str},
                         keep_default_na=False, na_values={"value": [""]})
        df["year"] = df["year"].astype(int)
        df["value"] = df["value"].astype(float)
        return df
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _read_file(path: Path, is_long: bool) -> pd.DataFrame:
    if not path.exists():
        raise StatsDataError("snapshot file missing", path=path,
                             fix="run `python -m bolyst.stats.snapshots /work/shared/data/ssb` or `bolyst stats fetch`")
    try:
        df = _read_cached(str(path), path.stat().st_mtime, is_long)
    except (ValueError, KeyError, pd.errors.ParserError) as error:
        raise StatsDataError(f"malformed snapshot: {error}", path=path,
                             fix="derive it again with `python -m bolyst.stats.snapshots`") from error
    return df.copy()


def _format_value(v: float) -> str:
    if pd.isna(v):
        return ""
    return str(int(v)) if float(v).is_integer() else format(float(v), ".15g")


def write_csv_gz(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as gzip CSV, byte-identical for identical content (no gzip timestamp)."""
    df = df.copy()
    if "value" in df.columns:
        df["value"] = df["value"].map(_format_value)
    text = df.to_csv(index=False, lineterminator="\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    Path(path).write_bytes(buffer.getvalue())


def check_long(df: pd.DataFrame, snap: Snapshot, path: Path) -> pd.DataFrame:
    """Sort a long snapshot and check it against its manifest entry (indicators, symbols, duplicates)."""
    unknown = set(df["indicator"]) - set(snap.indicators)
    missing = set(snap.indicators) - set(df["indicator"]) - _derived(snap)
    bad_symbols = set(df["symbol"]) - SYMBOLS
    duplicated = df.duplicated(["number", "year", "indicator"])
    problems = [f"indicators not in the manifest: {sorted(unknown)}" if unknown else "",
                f"manifest indicators without rows: {sorted(missing)}" if missing else "",
                f"unknown symbols: {sorted(bad_symbols)}" if bad_symbols else "",
                f"{int(duplicated.sum())} duplicate (number, year, indicator) rows" if duplicated.any() else ""]
    problems = [p for p in problems if p]
    if problems:
        raise StatsDataError("; ".join(problems), path=path, where=f"snapshot {snap.name}",
                             fix="align stats/derive.py and stats/data/SOURCES.yaml")
    return df.sort_values(["indicator", "number", "year"]).reset_index(drop=True)[
        ["number", "year", "indicator", "value", "symbol", "flag"]]


def _derived(snap: Snapshot) -> set[str]:
    return {i for i, meta in snap.indicators.items() if meta.get("aggregation") in ("ratio", "rate")}


def derive_all(source_dir: Path, data_dir: Path = DATA_DIR, progress=print) -> dict[str, int]:
    """Derive every snapshot of the manifest from ``source_dir``; returns rows per snapshot."""
    from .derive import DERIVERS

    counts = {}
    for name, snap in snapshots(data_dir).items():
        if name not in DERIVERS:
            raise StatsDataError(f"no derivation for snapshot {name!r}", path=Path(data_dir) / MANIFEST,
                                 fix="add derive_<name> to stats/derive.py")
        df = DERIVERS[name](Path(source_dir))
        path = Path(data_dir) / snap.file
        df = check_long(df, snap, path) if snap.is_long else df.sort_values(list(df.columns)).reset_index(drop=True)
        write_csv_gz(df, path)
        counts[name] = len(df)
        progress(f"{snap.file}: {len(df)} rows")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m bolyst.stats.snapshots SOURCE_DIR\n\n"
              "Derive stats/data/*.csv.gz from the collected SSB/IMDi files.\n"
              "example: python -m bolyst.stats.snapshots /work/shared/data/ssb")
        return 0 if args and args[0] in ("-h", "--help") else 2
    try:
        derive_all(Path(args[0]))
    except StatsDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
