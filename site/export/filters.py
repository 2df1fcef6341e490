"""What an evidence export holds: its filters (from the CLI or a query string), formats and file name."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from bolyst.corpus.errors import ExportError

FORMATS = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
           "json": "application/json; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


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
    include_unreviewed: bool = False  # also automatic suggestions nobody has reviewed (marked, kept apart)

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
        unreviewed = (text("include_unreviewed") or "").lower() not in ("", "0", "false", "no", "off")
        return cls(code=text("code") or text("theme"), municipality=text("municipality"),
                   comparables=(comparables or "").lower() not in ("", "0", "false", "no", "off"),
                   landsdel=text("landsdel"), centrality=int(centrality) if centrality else None,
                   role=text("role"), source=text("source"), include_unreviewed=unreviewed)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, False)}

    @property
    def slug(self) -> str:
        """A file-name part naming the filters: 'push-vestvagoy-comparables'."""
        from bolyst.corpus.text import slugify

        bits = [str(v) if not isinstance(v, bool) else k for k, v in self.as_dict().items()]
        return slugify("-".join(bits), 60) if bits else "all"


def file_name(filters: Filters, fmt: str) -> str:
    return f"bolyst-evidence-{filters.slug}.{fmt}"
