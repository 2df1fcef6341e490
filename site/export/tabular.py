"""The evidence as CSV (one row per excerpt) and JSON (everything: filters, quotes, themes, numbers,
references). Both say which filters made them and when."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from .query import Evidence

CSV_COLUMNS = ("excerpt", "quote", "kind", "review_state", "themes", "codes", "code_labels", "origins",
               "unreviewed_themes", "speaker", "role", "place", "municipalities", "source", "citation", "reference",
               "page", "filters", "exported", "database_built")


def to_csv(ev: Evidence) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs read æøå right), one row per excerpt.

    ``review_state``: confirmed (a person confirmed a theme: evidence), unreviewed (only automatic
    suggestions) or empty (no codes). ``codes``, ``code_labels``, ``origins``: each code as
    'code (origins | review state)' ("; "-separated, in the same order); ``unreviewed_themes``: themes
    only automatic coders suggest (left out of ``themes``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(ev):
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_rows(ev: Evidence) -> list[list[str]]:
    """One row per excerpt in CSV_COLUMNS order (also the xlsx export's evidence sheet)."""
    references = {r.source: r.citation for r in ev.references}
    return [[q.excerpt, q.text, q.kind, q.review_state, "; ".join(q.themes),
             "; ".join(f"{c.code} ({c.origins} | {c.review_state})" for c in q.codes),
             "; ".join(c.label for c in q.codes), "; ".join(c.origins for c in q.codes), "; ".join(q.suggested),
             q.speaker or "", q.role or "", q.place or "", "; ".join(q.municipalities), q.source, q.citation,
             references.get(q.source, ""), q.page, "; ".join(ev.description), ev.exported, ev.built or ""]
            for q in ev.quotes]


def to_json(ev: Evidence) -> bytes:
    data = {
        "title": "Bolyst evidence", "filters": ev.filters, "filter_description": list(ev.description),
        "exported": ev.exported, "database_built": ev.built, "notes": list(ev.notes),
        "include_unreviewed": ev.include_unreviewed,
        "themes": [{"id": t.id, "label": t.label, "definition": t.definition,
                    "excerpts": [q.excerpt for q in t.quotes],
                    "unreviewed_suggestions": [q.excerpt for q in t.suggestions],
                    "n_confirmed": len(t.quotes), "n_unreviewed": t.n_unreviewed} for t in ev.themes],
        "uncoded": [q.excerpt for q in ev.uncoded],
        "excerpts": [{**asdict(q), "review_state": q.review_state, "page": q.page} for q in ev.quotes],
        "numbers": [asdict(n) for n in ev.numbers],
        "references": [asdict(r) for r in ev.references],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
