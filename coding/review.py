"""Review sheets: export the automatic suggestions for a human coder (CSV or XLSX), import their decisions.

A sheet has one row per excerpt and suggested code, the unreviewed suggestions first and the most uncertain of
them first (``uncertainty`` and ``why``, see :mod:`bolyst.coding.priority`), with the evidence beside each (rule
spans, the model's score, a language model's span and rationale) (evidence = the matched texts, rules = the rules that
matched; a learned-model suggestion is a theme with no span, and its human_decisions list the decisions on any
code of that theme), and one row with an empty code for excerpts without suggestions. The coder fills ``decision``
(accept / reject / add) and ``note``; to add a code, they write it in ``code`` (copying a row if needed).
``review_import`` appends the filled rows to coding/decisions/<coder>.yaml; a row repeating the decision
already in force is skipped, so importing the same sheet twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from bolyst.corpus.errors import BolystError, CodingDecisionError, ExportError

from .codebook import load_codebook
from .decisions import ACTIONS, Decision, append_decisions, check_coder, latest, read_decisions
from .priority import rank

COLUMNS = ("excerpt", "citation", "text", "code", "label", "theme", "uncertainty", "why", "origins", "evidence",
           "rules", "score", "model_score", "llm_rationale", "status", "review_state", "lang", "source",
           "human_decisions", "decision", "note")
SHEET = "review"

_EXPORT_SQL = """
select e.id as excerpt, e.citation, e.text, c.code, codes.label_nb as label, c.theme,
  group_concat(case when c.origin = 'model' then '(learned model: whole excerpt, no span)' else c.span_text end,
    ' | ') as evidence,
  group_concat(distinct coalesce(c.rule, c.coder)) as rules,
  max(c.score) as score, c.status,
  case when max(c.review_state = 'unreviewed') then 'unreviewed' when max(c.review_state = 'confirmed')
       then 'confirmed' when max(c.review_state = 'rejected') then 'rejected' end as review_state,
  group_concat(distinct c.origin) as origins,
  max(case when c.origin = 'model' then c.score end) as model_score,
  group_concat(c.rationale, ' | ') as llm_rationale,
  e.lang, e.source,
  -- a model suggests a theme: the human decisions on any code of that theme bear on it
  (select group_concat(h.coder || ': ' || h.action || case when h.code != c.code then ' ' || h.code else '' end,
    '; ') from codings h
    where h.origin = 'human' and h.excerpt = e.id
      and (h.code = c.code or (c.origin = 'model' and h.theme = c.code))) as human_decisions
from excerpts e
left join (select * from codings where origin != 'human' order by span_start) c on c.excerpt = e.id
left join codes on codes.id = c.code
left join excerpt_splits s on s.excerpt = e.id
where (:split is null or s.split = :split) and (:theme is null or c.theme = :theme or c.theme is null)
  and (:code is null or c.code = :code or c.code like :code || '.%') and (:source is null or e.source = :source)
  and (:lang is null or e.lang = :lang)
group by e.id, c.code
order by e.id, c.code"""


def review_rows(db: sqlite_utils.Database, split: str | None = None, theme: str | None = None,
                code: str | None = None, source: str | None = None, lang: str | None = None,
                unreviewed_only: bool = False) -> list[dict]:
    """The sheet's rows: unreviewed suggestions first, most uncertain first (:mod:`priority`), then the rest."""
    rows = [{**{k: ("" if v is None else v) for k, v in row.items()}, "decision": "", "note": ""}
            for row in db.query(_EXPORT_SQL, {"split": split, "theme": theme, "code": code, "source": source,
                                              "lang": lang})]
    ranked = rank(db, rows)
    return [r for r in ranked if r["review_state"] == "unreviewed"] if unreviewed_only else ranked


def review_export(db: sqlite_utils.Database, out: Path, split: str | None = None,
                  theme: str | None = None, unreviewed_only: bool = False, **filters: str | None) -> int:
    """Write the review sheet to ``out`` (.csv or .xlsx); returns the number of rows. ``filters``: code,
    source, lang."""
    out = Path(out)
    if "codes" not in db.table_names() or not db["codes"].count:
        raise ExportError("the database has no codings", fix="run `bolyst build` (with a codebook) first")
    rows = review_rows(db, split, theme, unreviewed_only=unreviewed_only, **filters)
    if out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    elif out.suffix.lower() == ".xlsx":
        _write_xlsx(out, rows, list(db.query("select id, label_nb, label_en, definition from codes order by position")))
    else:
        raise ExportError(f"cannot write {out.suffix or 'files without extension'}", path=out,
                          fix="name the sheet *.csv or *.xlsx")
    return len(rows)


def _write_xlsx(out: Path, rows: list[dict], codes: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for number, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=column, value=row[name])
            if isinstance(row[name], str) and row[name].startswith("="):
                cell.data_type = "s"  # text, never a formula
    choice = DataValidation(type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True)
    sheet.add_data_validation(choice)
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[COLUMNS.index("decision")]
    choice.add(f"{column}2:{column}{max(len(rows), 1) + 1000}")
    sheet.freeze_panes = "B2"
    reference = book.create_sheet("codes")
    reference.append(["id", "label_nb", "label_en", "definition"])
    for code in codes:
        reference.append([code["id"], code["label_nb"], code["label_en"], code["definition"]])
    book.save(out)


def read_sheet(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) for every data row of a CSV or XLSX review sheet."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [(i, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in
                    enumerate(csv.DictReader(fh), start=2)]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        header = [str(h or "").strip() for h in values[0]] if values else []
        return [(i, {h: str(v).strip() if v is not None else "" for h, v in zip(header, row) if h})
                for i, row in enumerate(values[1:], start=2)]
    raise ExportError(f"cannot read {path.suffix or 'files without extension'}", path=path,
                      fix="import a *.csv or *.xlsx review sheet")


@dataclass
class ImportResult:
    imported: int = 0
    unchanged: int = 0
    errors: list[BolystError] = field(default_factory=list)


def review_import(db: sqlite_utils.Database, sheet: Path, coder: str, coding_dir: Path,
                  date: dt.date | None = None, decisions_dir: Path | None = None) -> ImportResult:
    """Append ``coder``'s filled-in rows of ``sheet`` to <decisions_dir>/<coder>.yaml (default
    coding_dir/decisions; a project passes its own folder, coding_dir then only gives the codebook).

    Rows with unknown excerpts or codes or a bad decision are reported (naming the row); the valid
    rows are still imported. Returns counts and the errors.
    """
    if problem := check_coder(coder):
        raise CodingDecisionError(f"coder is {coder!r}", fix=problem)
    excerpt_ids = {r["id"] for r in db.query("select id from excerpts")} if "excerpts" in db.table_names() else set()
    codes = load_codebook(Path(coding_dir) / "codebook.yaml").by_id
    target = Path(decisions_dir or Path(coding_dir) / "decisions") / f"{coder}.yaml"
    in_force = latest(read_decisions(target.parent)) if target.parent.exists() else {}
    result, entries = ImportResult(), []
    day = (date or dt.date.today()).isoformat()
    for number, row in read_sheet(sheet):
        try:
            decision = _row_decision(row, number, sheet, coder, day, excerpt_ids, codes)
        except CodingDecisionError as exc:
            result.errors.append(exc)
            continue
        if decision is None:
            continue
        current = in_force.get((coder, decision.excerpt, decision.code))
        if current and (current.action, current.note) == (decision.action, decision.note):
            result.unchanged += 1
            continue
        in_force[(coder, decision.excerpt, decision.code)] = decision
        entries.append(decision)
    target.parent.mkdir(parents=True, exist_ok=True)
    result.imported = append_decisions(target, coder, entries)
    return result


def _row_decision(row: dict[str, str], number: int, sheet: Path, coder: str, day: str,
                  excerpt_ids: set[str], codes: dict) -> Decision | None:
    action = row.get("decision", "").lower()
    if not action:
        return None

    def fail(message: str, fix: str) -> CodingDecisionError:
        return CodingDecisionError(message, path=Path(sheet).name, where=f"row {number}", fix=fix)

    if action not in ACTIONS:
        raise fail(f"decision is {row['decision']!r}", f"write one of: {', '.join(ACTIONS)}")
    excerpt, code = row.get("excerpt", ""), row.get("code", "")
    if excerpt not in excerpt_ids:
        raise fail(f"unknown excerpt {excerpt!r}", "keep the excerpt column as exported")
    if code not in codes:
        raise fail(f"unknown code {code!r}", "write a code id from the 'codes' sheet / coding/codebook.yaml")
    return Decision(coder=coder, excerpt=excerpt, code=code, action=action, date=day,
                    note=row.get("note") or None)
