"""Formula-safe spreadsheet cells (OWASP CSV injection): every export and the review sheet neutralise a cell
that starts with = + - @ tab or CR, and the review import undoes it, so quotes round-trip exactly."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from bolyst.coding.review import COLUMNS, _write_xlsx, read_sheet
from bolyst.corpus.cells import neutralise, restore
from bolyst.site.export.query import Evidence, Quote
from bolyst.site.export.tabular import to_csv

RISKY = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "'=already quoted", "''=two",
         "=HYPERLINK(\"http://example.invalid\",\"klikk\")"]
SAFE = ["Vi har flyttet nok.", "'quoted but harmless", "", "1-2", "e-post@example.invalid", "æøå = fint"]


@pytest.mark.parametrize("value", RISKY)
def test_risky_cells_get_a_leading_quote_and_come_back(value: str) -> None:
    assert neutralise(value).startswith("'") and neutralise(value)[1:] == value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_safe_cells_are_left_alone(value: str) -> None:
    assert neutralise(value) == value and restore(value) == value


def test_every_string_round_trips() -> None:
    rng = random.Random(4)
    alphabet = "=+-@\t\r'a ø\n"
    for _ in range(5000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
        assert restore(neutralise(value)) == value, repr(value)
        assert not neutralise(value)[:1] in ("=", "+", "-", "@", "\t", "\r")


def _quote(text: str) -> Quote:
    return Quote(excerpt="s/e-1", text=text, kind="quote", speaker="=speaker", role=None, place="@place",
                 source="s", citation="-cite")


def test_the_evidence_csv_has_no_formula_cells() -> None:
    evidence = Evidence(filters={}, description=("=filter",), exported="2026-12-07", built=None,
                        quotes=tuple(_quote(t) for t in RISKY), themes=(), uncoded=(), numbers=(), references=())
    rows = list(csv.reader(io.StringIO(to_csv(evidence).decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert [row[1] for row in rows[1:]] == [neutralise(v).replace("\r", "\n") for v in RISKY]  # CR: a line end


def _rows(texts: list[str]) -> list[dict]:
    return [{**{c: "" for c in COLUMNS}, "excerpt": f"s/e-{i}", "text": t, "code": "push", "decision": "accept",
             "note": t} for i, t in enumerate(texts)]


def test_review_sheet_csv_round_trips_formula_like_notes(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # as review_export writes it
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in row.items()} for row in _rows(RISKY))
    raw = path.read_text(encoding="utf-8-sig")
    assert "\n=1+2" not in raw and ",=1+2" not in raw
    assert [row["note"] for _, row in read_sheet(path)] == RISKY


def test_review_sheet_xlsx_round_trips_and_drops_nul(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    _write_xlsx(path, _rows([*RISKY, "NUL\x00 inside"]), [])
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert all(not str(c.value or "").startswith("=") and c.data_type == "s" for row in sheet.iter_rows(min_row=2)
               for c in row if c.value is not None)
    notes = [row["note"] for _, row in read_sheet(path)]
    assert notes == [*RISKY, "NUL inside"]
