"""The evidence as a Word document (python-docx): a heading per theme, each quote in the 'Quote' style
followed by its citation, a table of key numbers with year and source, and the reference list."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.shared import Pt

from .labels import SUGGESTIONS_EN, SUGGESTIONS_NB
from .md import VERBATIM, format_value, plural, theme_counts
from .query import Evidence, Quote

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None) -> str:
    """Text Word can store: characters XML 1.0 forbids are dropped (python-docx escapes the rest)."""
    return _XML_INVALID.sub("", text or "")


def _quote(doc: Document, q: Quote, suggestion: bool = False) -> None:
    if suggestion:
        mark = doc.add_paragraph().add_run("[Ikke kontrollert / not reviewed: automatic suggestion]")
        mark.bold = True
    for paragraph in re.split(r"\n\s*\n", q.text.strip()):
        doc.add_paragraph(clean(" ".join(paragraph.split())), style="Quote")
    cite = doc.add_paragraph()
    cite.add_run("— " + clean(q.citation))
    details = [f"Codes: {'; '.join(c.text for c in q.codes)}" if q.codes else "",
               f"Place: {q.place}" if q.place else "",
               f"Municipality: {', '.join(q.municipalities)}" if q.municipalities else "",
               f"Excerpt: {q.excerpt} (page {q.page})"]
    small = cite.add_run("\n" + clean(" · ".join(d for d in details if d)))
    small.font.size = Pt(8)


def _numbers(doc: Document, ev: Evidence) -> None:
    doc.add_heading("Key numbers", level=1)
    header = ("Municipality", "Indicator", "Value", "Unit", "Year", "Source", "Flag")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for n in ev.numbers:
        cells = table.add_row().cells
        values = (f"{n.name} ({n.municipality}), {n.relation}", n.label, format_value(n), n.unit or "",
                  str(n.year), f"{n.source or ''} {n.table_id or ''}".strip(), n.flag or "")
        for cell, text in zip(cells, values):
            cell.text = clean(text)


def docx(ev: Evidence) -> bytes:
    doc = Document()
    doc.core_properties.title = "Bolyst evidence"
    comments = "Filters: " + clean("; ".join(ev.description))
    # Word's core properties hold at most 255 characters (python-docx refuses more); the full text is in the body
    doc.core_properties.comments = comments if len(comments) <= 255 else comments[:254] + "…"
    doc.add_heading("Bolyst evidence", level=0)
    doc.add_paragraph("Filters: " + clean("; ".join(ev.description)))
    doc.add_paragraph(f"Exported {ev.exported} from the Bolyst knowledge base built "
                      f"{ev.built or 'on an unknown date'}. {plural(len(ev.quotes), 'excerpt')} from "
                      f"{plural(len({q.source for q in ev.quotes}), 'source')}. {VERBATIM}")
    for note in ev.notes:
        doc.add_paragraph(note).runs[0].italic = True
    for theme in ev.themes:
        doc.add_heading(clean(f"{theme.label} ({theme.id})"), level=1)
        if theme.definition:
            doc.add_paragraph(clean(theme.definition)).runs[0].italic = True
        doc.add_paragraph(theme_counts(theme, ev.include_unreviewed))
        for q in theme.quotes:
            _quote(doc, q)
        if not theme.quotes:
            doc.add_paragraph("No confirmed excerpts with this theme match the filters.")
        if theme.suggestions:
            doc.add_heading(f"{SUGGESTIONS_NB} / {SUGGESTIONS_EN}", level=2)
            for q in theme.suggestions:
                _quote(doc, q, suggestion=True)
    if ev.uncoded or not ev.themes:
        doc.add_heading("Not coded with a theme" if ev.themes else "Excerpts", level=1)
        for q in ev.uncoded or ev.quotes:
            _quote(doc, q)
    if ev.numbers:
        _numbers(doc, ev)
    doc.add_heading("References", level=1)
    for ref in ev.references:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(clean(ref.short) + ": ").bold = True
        paragraph.add_run(clean(ref.citation))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
