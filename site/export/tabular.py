"""The evidence as CSV (one row per excerpt) and JSON (everything: filters, quotes, themes, numbers,
references). Both say which filters made them and when."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from bolyst.corpus.cells import neutralise

from .query import Evidence

CSV_COLUMNS = ("excerpt", "quote", "kind", "themes", "codes", "speaker", "role", "place", "municipalities",
               "source", "citation", "reference", "filters", "exported", "database_built")


def to_csv(ev: Evidence) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs read æøå right), one row per excerpt; a cell a
    spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` first) gets a leading ``'``
    (bolyst.corpus.cells)."""
    references = {r.source: r.citation for r in ev.references}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in ev.quotes:
        cells = [q.excerpt, q.text, q.kind, "; ".join(q.themes), "; ".join(c for c, _ in q.codes), q.speaker or "",
                 q.role or "", q.place or "", "; ".join(q.municipalities), q.source, q.citation,
                 references.get(q.source, ""), "; ".join(ev.description), ev.exported, ev.built or ""]
        # a lone CR would end the row in a spreadsheet (the writer quotes fields with "\n" only)
        writer.writerow([_one_line_end(neutralise(cell)) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _one_line_end(cell: object) -> object:
    return cell.replace("\r\n", "\n").replace("\r", "\n") if isinstance(cell, str) else cell


def to_json(ev: Evidence) -> bytes:
    data = {
        "title": "Bolyst evidence", "filters": ev.filters, "filter_description": list(ev.description),
        "exported": ev.exported, "database_built": ev.built, "notes": list(ev.notes),
        "themes": [{"id": t.id, "label": t.label, "definition": t.definition,
                    "excerpts": [q.excerpt for q in t.quotes]} for t in ev.themes],
        "uncoded": [q.excerpt for q in ev.uncoded],
        "excerpts": [{**asdict(q), "codes": [{"code": c, "label": label} for c, label in q.codes]}
                     for q in ev.quotes],
        "numbers": [asdict(n) for n in ev.numbers],
        "references": [asdict(r) for r in ev.references],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
