"""CLI commands for exports: ``bolyst export`` (evidence for reports, REFI-QDA projects and codebooks) and
the .qdpx branch of ``bolyst import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import DB_OPTION, current_project

EVIDENCE = ("md", "docx", "csv", "json", "xlsx")
QDA = ("qdpx", "qdc")


def _format(out: Path | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = out.suffix.lower().lstrip(".") if out and str(out) != "-" else ""
    if suffix in EVIDENCE + QDA:
        return suffix
    return "md"


@click.command(name="export")
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(EVIDENCE + QDA), default=None,
              help="Output format (default: from OUT's extension, else md).")
@click.option("--theme", "--code", "code", default=None, help="A theme (push, pull, stay, retain) or code id.")
@click.option("--municipality", default=None, help="Municipality number or name, e.g. 1860 or Vestvågøy.")
@click.option("--comparables", is_flag=True, help="Also the municipality's comparable municipalities.")
@click.option("--landsdel", default=None, help="Part of the country, e.g. Nord-Norge.")
@click.option("--centrality", type=click.IntRange(1, 6), default=None, help="SSB centrality class 1–6.")
@click.option("--role", default=None, help="Speaker role, e.g. refugee or municipal_employee.")
@click.option("--source", default=None, help="Source id, e.g. fafo-2025-14.")
@click.option("--include-unreviewed", is_flag=True,
              help="Also list automatic suggestions nobody has reviewed, apart and marked «Forslag fra automatisk "
                   "koding, ikke kontrollert / Automatic suggestions, not reviewed» (default: only codings a "
                   "person confirmed are evidence; rejected ones never appear).")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder instead of the project's (qdpx only).")
@click.option("--coding", "coding_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Coding folder instead of the project's (qdpx/qdc only).")
@click.option("--include-automatic", is_flag=True,
              help="qdpx: also the automatic codings (coders «Bolyst rules …», «Bolyst model»; memo says whether "
                   "a person confirmed each). Default: human codings only.")
@click.option("--lead-coder", default=None, help="qdpx: the first user, QualCoder's current coder "
              "(default: lead-researcher).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of the document's own words (headings, filters, notes) in md and docx: Norwegian "
                   "Bokmål or English. Quotes stay as written; csv/json/xlsx column names are English.")
def export_command(out: Path | None, db_path: Path, fmt: str | None, corpus_dir: Path | None,
                   coding_dir: Path | None, include_automatic: bool = False, lead_coder: str | None = None,
                   lang: str = "nb", **filters) -> None:
    """Export evidence for a report (md, docx, csv, json, xlsx) or the whole project for QDA tools (qdpx, qdc).

    Evidence exports hold the excerpts that pass every filter, under the themes a person confirmed,
    each with its citation, the key numbers of the municipalities in scope (year, source) and the
    references; they state their filters and dates. A .qdpx is a REFI-QDA project (NVivo, ATLAS.ti,
    MAXQDA, QualCoder): one document per source, each excerpt a coded selection; a .qdc is the
    codebook alone. Filters apply to evidence exports only.

    \b
    Example:
      bolyst export push-nord.docx --theme push --landsdel Nord-Norge
      bolyst export push-all.md --theme push --include-unreviewed
      bolyst export tynset.md --municipality Tynset --comparables
      bolyst export tynset-en.docx --municipality Tynset --lang en
      bolyst export - --format csv --role refugee > refugees.csv
      bolyst export bolyst.qdpx
    """
    import sqlite_utils
    from bolyst.corpus.errors import ExportError

    fmt = _format(out, fmt)
    if not db_path.exists():
        raise ExportError(f"no database {db_path}", fix="run `bolyst build` first")
    db = sqlite_utils.Database(db_path)
    if fmt in QDA:
        if any(v for v in filters.values()):
            raise ExportError("filters apply to evidence exports (md, docx, csv, json, xlsx) only",
                              fix="a QDA project holds the whole corpus; drop the filters")
        _export_qda(db, out or Path(f"bolyst.{fmt}"), fmt, corpus_dir, coding_dir, include_automatic,
                    lead_coder)
        return
    from bolyst.site.export.evidence import export
    from bolyst.site.export.filters import Filters, file_name

    chosen = Filters.from_args(filters)
    data = export(db, chosen, fmt, lang=lang)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    target = out or Path(file_name(chosen, fmt))
    target.write_bytes(data)
    click.echo(f"Wrote {target} ({len(data):,} bytes).", err=True)


def _export_qda(db, out: Path, fmt: str, corpus_dir: Path | None, coding_dir: Path | None,
                include_automatic: bool = False, lead: str | None = None) -> None:
    from bolyst.site.qda.export import export_qdc, export_qdpx

    click.echo(f"Writing {out} …", err=True)
    project = current_project()
    report = (export_qdpx(db, out, corpus_dir, coding_dir, source=project, include_automatic=include_automatic,
                          lead=lead) if fmt == "qdpx"
              else export_qdc(out, coding_dir, source=project))
    click.echo(f"Wrote {report.path}: {report.sources} documents, {report.selections} selections, "
               f"{report.codes} codes, {report.codings} codings, {report.cases} cases "
               "(validated against REFI-QDA 1.0).", err=True)
    if report.users:
        click.echo(f"Coders: {', '.join(report.users)} (the first is QualCoder's current coder); "
                   f"{report.case_links} case links.", err=True)


def echo_qdpx_imports(files: list[Path], project, coder: str | None) -> int:
    """Import each .qdpx, print what it added; returns how many failed."""
    from bolyst.corpus.errors import BolystError

    from bolyst.site.qda.importer import import_qdpx

    failed = 0
    for path in files:
        try:
            result = import_qdpx(path, coder=coder, target=project)
        except BolystError as exc:
            failed += 1
            click.secho(f"✗ {path}", fg="red", err=True)
            click.echo("  " + str(exc).replace("\n", "\n  "), err=True)
            continue
        decisions = ", ".join(f"{n} by {c}" for c, n in result.decisions.items() if n) or "none"
        line = (f"{path}: {len(result.new_sources)} new sources, {result.excerpts} new excerpts, "
                f"decisions appended: {decisions}" + ("; codebook written" if result.codebook_written else "")
                + f"; selections matched to excerpts: {result.matched}, unplaced: {result.unplaced}, "
                  f"automatic codings skipped: {result.automatic}")
        if result.unchanged and not result.problems:
            click.echo(f"= {path}: already imported")
        else:
            click.secho(("✓ " if not result.problems else "! ") + line, fg="green" if not result.problems else "yellow")
        for problem in result.problems:
            click.echo("  " + str(problem).replace("\n", "\n  "), err=True)
        failed += bool(result.problems)
    return failed


def register(group: click.Group) -> None:
    """Add this area's commands to ``group``."""
    group.add_command(export_command)
