"""The evidence as an Excel workbook (openpyxl): a sheet of quotes (one row per excerpt, the CSV's columns,
origin and review state of every code), a sheet of key numbers and one of references. Every cell from the
database is stored as text, never as a formula."""

from __future__ import annotations

import io

from .query import Evidence
from .tabular import CSV_COLUMNS, csv_rows


def to_xlsx(ev: Evidence) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    quotes = book.active
    quotes.title = "evidence"
    _fill(quotes, CSV_COLUMNS, csv_rows(ev))
    quotes.freeze_panes = "B2"
    numbers = book.create_sheet("key numbers")
    _fill(numbers, ("municipality", "name", "relation", "indicator", "label", "value", "unit", "year", "source",
                    "table_id", "flag"),
          [[n.municipality, n.name, n.relation, n.indicator, n.label, n.value, n.unit, n.year, n.source,
            n.table_id, n.flag] for n in ev.numbers])
    references = book.create_sheet("references")
    _fill(references, ("source", "short", "citation"), [[r.source, r.short, r.citation] for r in ev.references])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, header, rows) -> None:
    sheet.append(list(header))
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
