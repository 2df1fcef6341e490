"""The evidence as a Word document (python-docx): a heading per theme, each quote in the 'Quote' style
followed by its citation, a table of key numbers with year and source, and the reference list."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.shared import Pt

from .labels import SUGGESTIONS
from .md import NUMBER_HEADER, VERBATIM, contents, details, exported, number_cells, relation, suggestion_mark, \
    theme_counts
from .query import Evidence, Quote

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None) -> str:
    """Text Word can store: characters XML 1.0 forbids are dropped (python-docx escapes the rest)."""
    return _XML_INVALID.sub("", text or "")


def _quote(doc: Document, ev: Evidence, q: Quote, suggestion: bool = False) -> None:
    if suggestion:
        mark = doc.add_paragraph().add_run(suggestion_mark(ev))
        mark.bold = True
    for paragraph in re.split(r"\n\s*\n", q.text.strip()):
        doc.add_paragraph(clean(" ".join(paragraph.split())), style="Quote")
    cite = doc.add_paragraph()
    cite.add_run("— " + clean(q.citation))
    lines = [*details(ev, q), ev.t("Utdrag: %(id)s (side %(page)s)", id=q.excerpt, page=q.page)]
    small = cite.add_run("\n" + clean(" · ".join(d for d in lines if d)))
    small.font.size = Pt(8)


def _numbers(doc: Document, ev: Evidence) -> None:
    doc.add_heading(ev.t("Nøkkeltall"), level=1)
    header = tuple(ev.t(h) for h in NUMBER_HEADER)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for n in ev.numbers:
        cells = table.add_row().cells
        for cell, text in zip(cells, number_cells(ev, n)):
            cell.text = clean(text)


def docx(ev: Evidence) -> bytes:
    doc = Document()
    doc.core_properties.title = ev.t("Bolyst-belegg")
    doc.core_properties.language = ev.lang
    comments = ev.t("Filtre") + ": " + clean("; ".join(ev.description))
    # Word's core properties hold at most 255 characters (python-docx refuses more); the full text is in the body
    doc.core_properties.comments = comments if len(comments) <= 255 else comments[:254] + "…"
    doc.add_heading(ev.t("Bolyst-belegg"), level=0)
    doc.add_paragraph(comments)
    doc.add_paragraph(f"{ev.t('Eksportert')} {exported(ev)} {contents(ev)} {ev.t(VERBATIM)}")
    for note in ev.notes:
        doc.add_paragraph(note).runs[0].italic = True
    for theme in ev.themes:
        doc.add_heading(clean(f"{theme.label} ({theme.id})"), level=1)
        if theme.definition:
            doc.add_paragraph(clean(theme.definition)).runs[0].italic = True
        doc.add_paragraph(theme_counts(ev, theme))
        for q in theme.quotes:
            _quote(doc, ev, q)
        if not theme.quotes:
            doc.add_paragraph(ev.t("Ingen bekreftede utdrag med dette temaet passer filtrene."))
        if theme.suggestions:
            doc.add_heading(ev.t(SUGGESTIONS), level=2)
            for q in theme.suggestions:
                _quote(doc, ev, q, suggestion=True)
    if ev.uncoded or not ev.themes:
        doc.add_heading(ev.t("Uten bekreftet tema") if ev.themes else ev.t("Utdrag"), level=1)
        for q in ev.uncoded or ev.quotes:
            _quote(doc, ev, q)
    if ev.numbers:
        _numbers(doc, ev)
    doc.add_heading(ev.t("Referanser"), level=1)
    for ref in ev.references:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(clean(ref.short) + ": ").bold = True
        paragraph.add_run(clean(ref.citation))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
