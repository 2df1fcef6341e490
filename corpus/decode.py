"""Bytes from a user's file to text, bounded: size limit, BOM detection, a clear error for what is not text.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are; any other encoding only when the user
names it (``--encoding latin-1``). Line ends become ``\\n``. NUL and other control characters (all but tab and
newline) are refused with the line they are on: they mean a binary file or a damaged export.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import InputLimitError

#: Largest text file an import reads (a 300-page report is about 1 MB of text; a CSV of 100,000 excerpts ~34 MB).
MAX_TEXT_BYTES = 64 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The file's bytes, or :class:`InputLimitError` when it is larger than ``limit``."""
    path = Path(path)
    size = path.stat().st_size
    if size > limit:
        raise InputLimitError(f"file is {size:,} bytes, more than the {limit:,} an import reads", path=path,
                              fix="split it into smaller files")
    with open(path, "rb") as fh:
        return fh.read(limit + 1)[:limit]


def decode(data: bytes, path: Path | str, encoding: str | None = None, line_ends: bool = True) -> str:
    """``data`` as text with ``\\n`` line ends (as they are with ``line_ends=False``, for CSV cells);
    :class:`InputLimitError` naming file and offset when it is not text."""
    name = encoding
    if name is None:
        for bom, candidate in _BOMS:
            if data.startswith(bom):
                data, name = data[len(bom):], candidate
                break
        else:
            name = "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputLimitError(f"unknown encoding {name!r}", path=path, fix="use e.g. utf-8, latin-1, cp1252") from None
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        looks = " (it looks like UTF-16 without a byte-order mark)" if data[:200].count(0) > 20 else ""
        raise InputLimitError(f"not {name} text: byte 0x{data[exc.start]:02x} at offset {exc.start}{looks}",
                              path=path, where=f"line {line}",
                              fix="save the file as UTF-8, or name its encoding, e.g. --encoding latin-1 "
                                  "(Windows files often are cp1252)") from None
    if line_ends:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        what = "NUL" if bad.group() == "\x00" else f"U+{ord(bad.group()):04X}"
        raise InputLimitError(f"control character {what} at character {bad.start()} (a binary file?)", path=path,
                              where=f"line {line}", fix="remove it, or export the document as plain text again")
    return text


def read_text(path: Path, encoding: str | None = None, limit: int = MAX_TEXT_BYTES, line_ends: bool = True) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path, limit), path, encoding, line_ends)


#: Bounds on a zip archive (.qdpx, .xlsx) checked from its directory before any member is read.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL = 512 * 1024 * 1024
MAX_ZIP_RATIO = 1_000


def check_zip(archive, path: Path | str) -> None:
    """:class:`InputLimitError` when the members of ``archive`` (a ``zipfile.ZipFile``) would unpack past the
    limits: too many members, too many bytes in all, or one member compressed more than MAX_ZIP_RATIO to 1
    (a zip bomb). Only the archive's directory is read."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputLimitError(f"archive has {len(members):,} members, more than {MAX_ZIP_MEMBERS:,}", path=path,
                              fix="is this really a project export?")
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_TOTAL:
        raise InputLimitError(f"archive would unpack to {total:,} bytes, more than {MAX_ZIP_TOTAL:,}", path=path,
                              fix="export a smaller project, or split it")
    for member in members:
        if member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1) and member.file_size > 1_000_000:
            raise InputLimitError(f"archive member {member.filename!r} is compressed "
                                  f"{member.file_size // max(member.compress_size, 1):,} to 1 (a zip bomb?)",
                                  path=path, fix="export the project again from the QDA tool")
