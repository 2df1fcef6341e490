"""``bolyst review``: export the automatic suggestions, most uncertain first, and import a coder's decisions.

Thin adapters over ``bolyst.coding.review.review_export`` / ``review_list`` / ``review_import``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .coding_io import CODING_DIR_OPTION, _folders, _open_db
from .options import DB_OPTION

@click.group()
def review() -> None:
    """Review automatic codings in a spreadsheet and import the decisions.

    \b
    Example:
      bolyst review export --out sheet.xlsx
      bolyst review import sheet.xlsx --coder lead-researcher
    """


@review.command(name="export")
@DB_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Sheet to write: *.csv or *.xlsx.")
@click.option("--split", type=click.Choice(["training", "heldout", "dev", "test"]), default=None,
              help="Only excerpts of this split (seed documents: training, heldout; development set: dev, test).")
@click.option("--theme", default=None, help="Only suggestions of this theme (and excerpts without any).")
@click.option("--code", default=None, help="Only suggestions of this code (and the codes under it).")
@click.option("--source", default=None, help="Only excerpts of this source, e.g. fafo-2025-14.")
@click.option("--lang", type=click.Choice(["nb", "nn", "en"]), default=None, help="Only excerpts in this language.")
@click.option("--unreviewed-only", is_flag=True, help="Only the unreviewed suggestions (not reviewed rows or "
              "excerpts without suggestions).")
def review_export(db_path: Path, out: Path, split: str | None, theme: str | None, code: str | None,
                  source: str | None, lang: str | None, unreviewed_only: bool) -> None:
    """Write a review sheet: each excerpt with its citation, suggested codes and the evidence.

    Unreviewed suggestions come first, the most uncertain first (column 'uncertainty', and 'why':
    automatic coders that disagree, a model score near its threshold, a code with low measured
    agreement), then reviewed rows and excerpts without suggestions. Beside each: the rule's matched
    text, the model's score, a language model's span and rationale.

    Fill the 'decision' column (accept, reject or add) and 'note'; to add a code, write its id in
    'code'. Then run `bolyst review import` (it records your coder id, the date and the note, and
    importing the same sheet twice changes nothing).

    \b
    Example:
      bolyst review export --out sheet.xlsx --split heldout
      bolyst review export --out climate.csv --code push.climate --lang nb --unreviewed-only
    """
    from bolyst.coding.review import review_export as export

    count = export(_open_db(db_path), out, split=split, theme=theme, unreviewed_only=unreviewed_only, code=code,
                   source=source, lang=lang)
    click.echo(f"Wrote {count} rows to {out}.")


@review.command(name="list")
@DB_OPTION
@click.option("--theme", default=None, help="Only suggestions of this theme.")
@click.option("--code", default=None, help="Only suggestions of this code (and the codes under it).")
@click.option("--source", default=None, help="Only excerpts of this source.")
@click.option("--lang", type=click.Choice(["nb", "nn", "en"]), default=None, help="Only excerpts in this language.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Suggestions to show.")
def review_list(db_path: Path, theme: str | None, code: str | None, source: str | None, lang: str | None,
                limit: int) -> None:
    """Show the unreviewed suggestions that most need a person, most uncertain first, with the evidence.

    \b
    Example:
      bolyst review list --theme push --limit 10
    """
    from bolyst.coding.review import review_rows

    rows = review_rows(_open_db(db_path), theme=theme, code=code, source=source, lang=lang, unreviewed_only=True)
    click.echo(f"{len(rows)} unreviewed suggestion(s); the {min(limit, len(rows))} most uncertain:")
    for r in rows[:limit]:
        click.echo(f"\n{r['uncertainty']:.2f}  {r['code']} ({r['label']})  {r['excerpt']}  [{r['origins']}]")
        click.echo(f"      why: {r['why']}")
        if r["evidence"]:
            click.echo(f"      evidence: {str(r['evidence'])[:160]}")
        if r["llm_rationale"]:
            click.echo(f"      llm rationale: {str(r['llm_rationale'])[:160]}")
        click.echo(f"      «{str(r['text'])[:200]}»  — {r['citation']}")


@review.command(name="import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--coder", required=True, help="Your coder id, e.g. lead-researcher (decisions/<coder>.yaml).")
@DB_OPTION
@CODING_DIR_OPTION
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date of the decisions (default: today).")
def review_import(sheet: Path, coder: str, db_path: Path, coding_dir: Path | None, date) -> None:
    """Append the decisions of a filled-in review sheet to the project's decisions/CODER.yaml.

    Earlier decisions stay in the file; a later one on the same excerpt and code supersedes them.
    Rows with unknown excerpts or codes are reported by row number; the other rows are imported.
    The database (when it exists) is updated with the new decisions.

    \b
    Example:
      bolyst review import sheet.xlsx --coder lead-researcher
    """
    from bolyst.coding.build import sync_decisions
    from bolyst.coding.review import review_import as run_import

    folders = _folders(coding_dir).writable("bolyst review import", _folders(coding_dir).decisions_dir)
    db = _open_db(db_path)
    result = run_import(db, sheet, coder, folders.coding_dir, date=date.date() if date else None,
                        decisions_dir=folders.decisions_dir)
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    click.echo(f"Imported {result.imported} decision(s) into {folders.decisions_dir / (coder + '.yaml')}"
               f" ({result.unchanged} already recorded).")
    if result.imported and "codings" in db.table_names():
        with db.conn:
            sync_decisions(db, folders.coding_dir, folders.decisions_dirs)
        click.echo(f"Updated the codings in {db_path}.")
    if result.errors:
        click.echo(f"{len(result.errors)} row(s) had errors; the others were imported.", err=True)
        sys.exit(1)


