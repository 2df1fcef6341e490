"""The one safe path for writing user data (corpus sources, seeds, coding decisions).

Every file Bolyst writes on a user's behalf goes through :func:`write_files`:

* names are derived and checked (:func:`safe_id`), never taken as paths from the input;
* each target must resolve to a place inside the folder it belongs to (a project's corpus or decisions
  folder), or :class:`~bolyst.corpus.errors.UnsafeWriteError` is raised and nothing is written;
* every file is written to a temporary file in its own folder, flushed and fsync'ed; then a journal naming
  every (temporary, target) pair is fsync'ed, the temporaries are renamed over their targets and the journal
  is removed. A crash before the journal exists leaves only temporaries (removed by the next write or
  :func:`recover`); a crash after it is finished by :func:`recover`. So a multi-file write is all or nothing;
* ``backup=True`` keeps each replaced file under ``<root>/.bolyst-backup/<time>/`` (``--replace``);
* files of one write with the same content are written once and hard-linked (every source of an imported CSV
  keeps the whole table as its seed: S copies of one text cost one write, not S). Each file is still renamed
  into place on its own, and no write ever changes a file in place, so a later write of one of them leaves the
  others as they were. Where the file system has no hard links, each is written in full.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import UnsafeWriteError

JOURNAL = ".bolyst-write.journal"
TMP_SUFFIX = ".bolyst-tmp"
BACKUP_DIR = ".bolyst-backup"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_FILE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
_SYNC_THREADS = 8


def safe_id(value: object, what: str = "id", *, path: Path | str | None = None) -> str:
    """``value`` when it is a plain id (lower-case letters, digits, '-', '_'; at most 80), else an error.

    Ids become folder and file names, so anything that could be a path ('../x', '/etc', 'a/b') is refused
    rather than silently changed.
    """
    if not isinstance(value, str) or not _ID.match(value):
        from .text import slugify

        shown = repr(value)[:60]
        hint = f"e.g. {slugify(value)!r}" if isinstance(value, str) and value.strip() else "e.g. 'tynset-03'"
        raise UnsafeWriteError(f"{what} {shown} is not a valid id", path=path,
                               fix=f"use lower-case letters, digits, '-' or '_' (at most 80), {hint}")
    return value


def safe_file_name(value: str, what: str = "file name", *, path: Path | str | None = None) -> str:
    """A file name without folders, dots first or odd characters (ids plus an extension)."""
    if not isinstance(value, str) or not _FILE.match(value) or ".." in value:
        raise UnsafeWriteError(f"{what} {value!r} is not a safe file name", path=path,
                               fix="use lower-case letters, digits, '-', '_' and one extension")
    return value


def inside(root: Path, target: Path) -> Path:
    """``target`` resolved, when it lies inside ``root`` (resolved too); else :class:`UnsafeWriteError`."""
    base = Path(root).resolve()
    resolved = (base / target).resolve() if not Path(target).is_absolute() else Path(target).resolve()
    if resolved == base or base not in resolved.parents:
        raise UnsafeWriteError(f"refused to write {target}: it is outside {base}", path=target,
                               fix="names come from ids; check the 'source:' and file names in the input")
    return resolved


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_all(sync: Callable[[Path], None], paths: Collection[Path]) -> None:
    """``sync`` every path, side by side: the file system commits fsyncs that wait together in one go (an
    import of S sources waited for some 3·S commits one after the other). All are done when this returns."""
    if len(paths) < 2:
        for path in paths:
            sync(path)
        return
    with ThreadPoolExecutor(max_workers=_SYNC_THREADS) as pool:
        list(pool.map(sync, paths))


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{TMP_SUFFIX}")


def _link_tmp(target: Path, written: Path) -> Path | None:
    """A temporary for ``target`` that is a hard link of ``written`` (a temporary of the same content), or None
    where the file system cannot link."""
    tmp = _tmp_name(target)
    tmp.unlink(missing_ok=True)
    try:
        os.link(written, tmp)
    except OSError:
        return None
    return tmp


def _write_tmp(target: Path, data: bytes) -> Path:
    """A temporary beside ``target`` holding ``data``, not yet synced (:func:`_fsync_all` does that)."""
    tmp = _tmp_name(target)
    with open(tmp, "wb") as fh:
        fh.write(data)
    return tmp


def recover(root: Path) -> int:
    """Finish or undo an interrupted :func:`write_files` under ``root``; returns the files completed."""
    root = Path(root)
    journal = root / JOURNAL
    done = 0
    if journal.is_file():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            pairs = []  # cannot happen (the journal is renamed into place whole); undo below
        for tmp, target in pairs:
            tmp_path, target_path = root / tmp, root / target
            if not tmp:
                target_path.unlink(missing_ok=True)  # a file the write removes
            elif tmp_path.is_file():
                os.replace(tmp_path, target_path)
                done += 1
        journal.unlink()
        _fsync_dir(root)
    for folder in (root, root / "seeds", root / "decisions", *root.glob("sources/*/")):
        for stray in folder.glob(f".*{TMP_SUFFIX}") if folder.is_dir() else ():
            stray.unlink(missing_ok=True)
        if folder.parent.name == "sources" and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # made for a write that never happened
    return done


def write_files(root: Path, files: Mapping[Path, bytes | str], *, backup: bool = False,
                remove: tuple[Path, ...] = (), recovered: bool = False) -> list[Path]:
    """Write ``files`` (target → content) under ``root`` all or nothing; returns the files that changed.

    Targets may be relative to ``root`` or absolute; each must resolve inside ``root``. Files whose content is
    already the same are left alone. ``remove`` lists files to delete in the same step (a replaced source's
    old excerpt files). With ``backup`` the old version of every replaced or removed file is copied first.
    ``recovered`` says the caller has run :func:`recover` on ``root`` in this process already (a batch of writes:
    each write cleans up after itself, so only a killed process leaves anything to recover).
    """
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    if not recovered:
        recover(root)
    planned: dict[Path, bytes] = {}
    for target, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        path = inside(root, Path(target))
        if not (path.is_file() and path.read_bytes() == data):
            planned[path] = data
    doomed = [p for p in (inside(root, Path(r)) for r in remove) if p.is_file() and p not in planned]
    if not planned and not doomed:
        return []
    if backup:
        _backup(root, [p for p in [*planned, *doomed] if p.is_file()])
    tmps: list[tuple[Path, Path]] = []
    written: dict[bytes, Path] = {}  # content → its temporary (bytes hash once; the same object compares by identity)
    full: list[Path] = []  # temporaries written in full (the others are links of one of them)
    try:
        for path, data in planned.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            inside(root, path.parent / "x")  # a symlinked folder may not lead out of root
            tmp = _link_tmp(path, written[data]) if data in written else None
            if tmp is None:
                tmp = _write_tmp(path, data)
                written.setdefault(data, tmp)
                full.append(tmp)
            tmps.append((tmp, path))
        _fsync_all(_fsync_file, full)  # every temporary's data is on disk before the journal
        journal_tmp = root / f".bolyst-write{TMP_SUFFIX}"
        entries = [[str(t.relative_to(root)), str(p.relative_to(root))] for t, p in tmps]
        entries += [["", str(p.relative_to(root))] for p in doomed]
        journal_tmp.write_text(json.dumps(entries), encoding="utf-8")
        with open(journal_tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(journal_tmp, root / JOURNAL)
        _fsync_dir(root)
    except BaseException:
        for tmp, _ in tmps:
            tmp.unlink(missing_ok=True)
        (root / f".bolyst-write{TMP_SUFFIX}").unlink(missing_ok=True)
        raise
    for tmp, path in tmps:
        os.replace(tmp, path)
    _fsync_all(_fsync_dir, {p.parent for _, p in tmps})
    for path in doomed:
        path.unlink()
    (root / JOURNAL).unlink()
    _fsync_dir(root)
    return [*planned, *doomed]


def _backup(root: Path, paths: list[Path]) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = root / BACKUP_DIR / stamp
    for path in paths:
        copy = folder / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        with open(copy, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return folder
