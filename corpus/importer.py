"""``bolyst import``: interview transcripts (.txt/.md) and excerpt tables (.csv) into the corpus folder.

An import keeps the file's text (decoded, UTF-8 with ``\n`` line ends) in the project's ``seeds/`` (so every
excerpt can be checked against it) and writes ``sources/<source>/source.yaml`` and ``excerpts.yaml`` there
(corpus/project.py), all through :mod:`bolyst.corpus.safewrite`: ids are checked, every target lies inside the
corpus folder, and one file's sources are written all or nothing. Files are independent: one bad file is
reported and the others are still imported. The same file imported twice changes nothing; a different file
under an id that exists is refused unless ``replace`` (the old version is then kept as a backup).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from .decode import decode, read_bytes
from .errors import BolystError, ErrorList, WriteConflict
from .importparse import (CSV_COLUMNS, CSV_REQUIRED, _fail, csv_records, parse_transcript,  # noqa: F401
                          transcript_records)
from .provenance import check_provenance
from .reader import read_corpus
from .safewrite import BACKUP_DIR, recover, safe_file_name, safe_id, write_files
from .seeds import Seeds
from .yamlio import dump_yaml


@dataclass
class ImportResult:
    path: Path
    target: str | None = None
    excerpts: int = 0
    unchanged: bool = False
    error: BolystError | None = None


# ---------------------------------------------------------------- writing


def _planned(seed: bytes, source: dict, records: dict) -> dict[Path, bytes]:
    sid = safe_id(source["id"], "source id")
    folder = Path("sources") / sid
    return {Path("seeds") / safe_file_name(source["seed"], "seed file name"): seed,
            folder / "source.yaml": dump_yaml(source).encode("utf-8"),
            folder / "excerpts.yaml": dump_yaml(records).encode("utf-8")}


def _check_alone(path: Path, files: dict[Path, bytes], text: str) -> None:
    """Read and provenance-check the planned files on their own, in a scratch folder, before any write. The seeds
    are all ``text`` (the imported file's): the reader is given it rather than reading one copy per source."""
    with tempfile.TemporaryDirectory(prefix="bolyst-import-") as scratch:
        root = Path(scratch)
        (root / "sources").mkdir()
        seeds = Seeds(root / "seeds", {rel.name: text for rel in files if rel.parts[0] == "seeds"})
        for rel, data in files.items():
            if rel.parts[0] != "seeds":
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(data)
        try:
            corpus = read_corpus(root, seeds=seeds)
        except ErrorList as exc:
            raise ErrorList([_renamed(e, root, path) for e in exc.errors]) from None
        problems = [_renamed(e, root, path) for e in check_provenance(corpus, seeds)]
        if problems:
            raise ErrorList(problems)


def _renamed(error: BolystError, scratch: Path, path: Path) -> BolystError:
    """An error about a scratch file, told about the imported file instead."""
    if error.path and str(scratch) in error.path:
        error.where = f"{Path(error.path).name}" + (f", {error.where}" if error.where else "")
        error.path = str(path)
    return error


def _conflicts(corpus_dir: Path, path: Path, files: dict[Path, bytes]) -> list[BolystError]:
    errors: list[BolystError] = []
    for rel, data in files.items():
        target = corpus_dir / rel
        if target.is_file() and target.read_bytes() != data:
            what = "seed file" if rel.parts[0] == "seeds" else f"source {rel.parts[1]!r}"
            errors.append(WriteConflict(
                f"{what} already exists as {target} with different content", path=path,
                fix=f"to replace it on purpose: bolyst import --replace {path.name} (the old version is kept in "
                    f"{corpus_dir / BACKUP_DIR}/); to keep both, give the new file its own id "
                    "('source:' in the front matter, the 'source' column of a CSV)"))
    return errors[:1] if errors else []


def import_file(path: Path, corpus_dir: Path, taken: Collection[str] = (), *, replace: bool = False,
                encoding: str | None = None, recovered: bool = False) -> list[ImportResult]:
    """Import one file: all of its sources are written together, or none (the error says why).
    ``recovered``: the caller has run ``safewrite.recover`` on ``corpus_dir`` (once for many files)."""
    text = decode(read_bytes(path), path, encoding)
    if path.suffix.lower() == ".csv":
        per_source, row_errors = csv_records(path, text)
    elif path.suffix.lower() in (".txt", ".md", ".markdown"):
        source, records = transcript_records(path, text, seed_name="")
        source["seed"] = f"{source['id']}{path.suffix.lower()}"
        per_source, row_errors = [(source, records)], []
    else:
        raise _fail(path, f"cannot import {path.suffix or 'files without extension'}",
                    fix="import .txt/.md transcripts or .csv excerpt tables")
    if not per_source and not row_errors:
        raise _fail(path, "no excerpt rows in the table", 2, fix="add one row per excerpt under the header")
    files: dict[Path, bytes] = {}
    seed = text.encode("utf-8")  # once: every source of a CSV keeps the whole table as its seed
    for source, records in per_source:
        if source["id"] in taken:
            raise WriteConflict(f"source id {source['id']!r} is used by the shipped corpus", path=path,
                                fix="give the file its own 'source:' id")
        files.update(_planned(seed, source, records))
    results = [ImportResult(path, str(corpus_dir / "sources" / s["id"]), len(r["excerpts"]))
               for s, r in per_source]
    if files:
        _check_alone(path, files, text)
        if not replace and (conflicts := _conflicts(corpus_dir, path, files)):
            raise conflicts[0]
        changed = write_files(corpus_dir, files, backup=replace, recovered=recovered)
        for result in results:
            result.unchanged = not changed
    if row_errors:
        results.append(ImportResult(path, error=ErrorList(row_errors)))
    return results


def import_files(paths: list[Path], corpus_dir: Path, shipped: Sequence[Path] = (), *, replace: bool = False,
                 encoding: str | None = None,
                 done: Callable[[list[ImportResult]], None] | None = None) -> list[ImportResult]:
    """Import each file into ``corpus_dir`` on its own; a failure is returned as a result with ``error``,
    never raised. Source ids of the ``shipped`` corpus folders (read-only layers) cannot be reused.
    ``done(results)`` hears each file's results as soon as that file is written (progress, streamed output)."""
    taken = {p.name for folder in shipped if (Path(folder) / "sources").is_dir()
             for p in (Path(folder) / "sources").iterdir() if p.is_dir()}
    results: list[ImportResult] = []
    if Path(corpus_dir).is_dir():
        recover(Path(corpus_dir))  # once, not before each file's write (it looks into every source folder)
    for path in paths:
        try:
            mine = import_file(Path(path), Path(corpus_dir), taken, replace=replace, encoding=encoding,
                               recovered=True)
        except BolystError as exc:
            mine = [ImportResult(Path(path), error=exc)]
        except OSError as exc:
            mine = [ImportResult(Path(path), error=BolystError(
                f"cannot read or write ({exc.strerror or exc})", path=path, fix="check the file and the folder"))]
        results += mine
        if done is not None:
            done(mine)
    return results
