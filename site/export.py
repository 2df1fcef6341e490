"""Evidence exports for reports: ``export(db, filters, fmt)`` → Markdown, DOCX, CSV or JSON bytes.

The evidence is the excerpts that pass every filter, grouped under the themes they are coded with, each
with its citation (``excerpts.citation``), the full references of their sources (``sources.citation``)
and the key numbers of the municipalities in scope with year and source. Every export states its filters,
the date it was made and the date of the database it was made from. Reads only the database.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from typing import Any

import sqlite_utils
from bolyst.corpus.errors import ExportError

from .export_query import Evidence, select_evidence

FORMATS = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
           "json": "application/json; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class Filters:
    """What to export. Every filter given must hold; none given exports everything."""

    code: str | None = None  # a theme (push, pull, stay, retain) or a code id; sub-codes included
    municipality: str | None = None  # number ('1860') or name ('Vestvågøy')
    comparables: bool = False  # also the municipality's comparable municipalities
    landsdel: str | None = None
    centrality: int | None = None  # SSB centrality class 1–6
    role: str | None = None  # speaker role: refugee, labour_migrant, …
    source: str | None = None  # source id

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> Filters:
        """Filters from query-string or CLI values (``theme`` is accepted for ``code``)."""
        def text(key: str) -> str | None:
            value = args.get(key)
            return str(value).strip() or None if value is not None else None

        centrality = text("centrality")
        if centrality is not None and not (centrality.isdigit() and 1 <= int(centrality) <= 6):
            raise ExportError(f"centrality is {centrality!r}", fix="give an SSB centrality class 1–6")
        comparables = text("comparables")
        return cls(code=text("code") or text("theme"), municipality=text("municipality"),
                   comparables=(comparables or "").lower() not in ("", "0", "false", "no", "off"),
                   landsdel=text("landsdel"), centrality=int(centrality) if centrality else None,
                   role=text("role"), source=text("source"))

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, False)}

    @property
    def slug(self) -> str:
        """A file-name part naming the filters: 'push-vestvagoy-comparables'."""
        from bolyst.corpus.text import slugify

        bits = [str(v) if not isinstance(v, bool) else k for k, v in self.as_dict().items()]
        return slugify("-".join(bits), 60) if bits else "all"


def database_date(db: sqlite_utils.Database) -> str | None:
    """Date the database file was last written (its build), or None for an in-memory database."""
    row = db.execute("pragma database_list").fetchone()
    path = row[2] if row else ""
    if not path or not os.path.exists(path):
        return None
    return dt.date.fromtimestamp(os.path.getmtime(path)).isoformat()


def evidence(db: sqlite_utils.Database, filters: Filters, today: str | None = None) -> Evidence:
    """The evidence selected by ``filters``; ``today`` fixes the export date (tests)."""
    return select_evidence(db, filters, exported=today or dt.date.today().isoformat(),
                           built=database_date(db))


def export(db: sqlite_utils.Database, filters: Filters, fmt: str, today: str | None = None) -> bytes:
    """The evidence as ``fmt`` (md, docx, csv, json)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", fix=f"use one of: {', '.join(FORMATS)}")
    found = evidence(db, filters, today)
    if fmt == "md":
        from .export_md import markdown

        return markdown(found).encode("utf-8")
    if fmt == "docx":
        from .export_docx import docx

        return docx(found)
    from .export_tab import to_csv, to_json

    return to_csv(found) if fmt == "csv" else to_json(found)


def file_name(filters: Filters, fmt: str) -> str:
    return f"bolyst-evidence-{filters.slug}.{fmt}"


__all__ = ["FORMATS", "Evidence", "Filters", "evidence", "export", "file_name"]
