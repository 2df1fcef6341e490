"""Evidence exports for reports: ``export(db, filters, fmt)`` → Markdown, DOCX, CSV or JSON bytes.

The evidence is the excerpts that pass every filter, grouped under the themes they are coded with, each
with its citation (``excerpts.citation``), the full references of their sources (``sources.citation``)
and the key numbers of the municipalities in scope with year and source. Every export states its filters,
the date it was made and the date of the database it was made from. Reads only the database.
"""

from __future__ import annotations

import datetime as dt
import os

import sqlite_utils
from bolyst.corpus.errors import ExportError

from .filters import FORMATS, Filters, file_name
from .query import Evidence, select_evidence


def database_date(db: sqlite_utils.Database) -> str | None:
    """Date the database file was last written (its build), or None for an in-memory database."""
    row = db.execute("pragma database_list").fetchone()
    path = row[2] if row else ""
    if not path or not os.path.exists(path):
        return None
    return dt.date.fromtimestamp(os.path.getmtime(path)).isoformat()


LANGS = ("nb", "en")


def evidence(db: sqlite_utils.Database, filters: Filters, today: str | None = None, lang: str = "nb") -> Evidence:
    """The evidence selected by ``filters``; ``today`` fixes the export date (tests); ``lang`` the language of
    the document's own words (headings, filters, notes: Norwegian Bokmål or English; quotes stay as written)."""
    if lang not in LANGS:
        raise ExportError(f"no language {lang!r}", fix="use nb (Norwegian Bokmål) or en (English)")
    return select_evidence(db, filters, exported=today or dt.date.today().isoformat(),
                           built=database_date(db), lang=lang)


def export(db: sqlite_utils.Database, filters: Filters, fmt: str, today: str | None = None,
           lang: str = "nb") -> bytes:
    """The evidence as ``fmt`` (md, docx, csv, json, xlsx) in ``lang``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", fix=f"use one of: {', '.join(FORMATS)}")
    found = evidence(db, filters, today, lang)
    if fmt == "md":
        from .md import markdown

        return markdown(found).encode("utf-8")
    if fmt == "docx":
        from .word import docx

        return docx(found)
    if fmt == "xlsx":
        from .sheet import to_xlsx

        return to_xlsx(found)
    from .tabular import to_csv, to_json

    return to_csv(found) if fmt == "csv" else to_json(found)


__all__ = ["FORMATS", "Evidence", "Filters", "evidence", "export", "file_name"]
