"""The ``bolyst`` command: one click group, each command a thin adapter over one library call."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bolyst.corpus.errors import BolystError

from .options import DB_OPTION, PROJECT_OPTION, current_project


class BolystGroup(click.Group):
    """Turns Bolyst's named errors into a clean message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BolystError as exc:
            click.secho("Error:", fg="red", bold=True, err=True, nl=False)
            message = str(exc)
            click.echo(("\n  " + message.replace("\n", "\n  ")) if "\n" in message else " " + message, err=True)
            sys.exit(1)


@click.group(cls=BolystGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bolyst")
def cli() -> None:
    """Bolyst: why immigrants and refugees move from, move to and stay in Norwegian municipalities.

    \b
    Start here:
      bolyst build            build bolyst.db from the shipped corpus and statistics
      bolyst serve            build if needed, then browse on http://127.0.0.1:8001
      bolyst init myproject   make a project folder for your own interviews and decisions
      bolyst import notes.md  (in a project) add an interview transcript to it
    """


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The project's name (default: the folder's).")
@PROJECT_OPTION
def init(folder: Path, name: str | None) -> None:
    """Make FOLDER a Bolyst project: your sources, decisions and database, outside the installed package.

    FOLDER gets bolyst.yaml (which marks it), sources/ and seeds/ (what `bolyst import` adds) and
    decisions/ (what `bolyst review import` adds); `bolyst build` writes FOLDER/bolyst.db. The shipped
    seed corpus, codebook and decisions are read too, never changed. An existing project is left as it is.

    \b
    Example:
      bolyst init tynset-study && cd tynset-study
      bolyst import ~/interviews/tynset-03.md && bolyst build && bolyst serve
    """
    from bolyst.corpus.project import init_project

    project, made = init_project(folder, name)
    click.echo(f"{'Made' if made else 'Already'} a Bolyst project in {project.root}" + (
        f"\n  next: cd {folder} && bolyst import FILE… && bolyst build" if made else "."))


def _echo_stage(report) -> None:
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    click.echo(f"  {report.name:<8} {report.seconds:6.2f}s  {counts}")


JOBS_OPTION = click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
                           help="Processes for the coder (e.g. the number of cores); same result for any number.")


@cli.command()
@DB_OPTION
@JOBS_OPTION
@click.option("--incremental", is_flag=True, default=False,
              help="Keep the coder's results per text in DB.coder-cache and code only new or changed excerpts "
                   "(experimental).")
def build(db_path: Path, jobs: int, incremental: bool) -> None:
    """Build the knowledge base into one SQLite file.

    Every stage (corpus, coding, statistics) is written to DB.building and renamed over DB only when
    all succeed, so a failed build leaves the old database in place. Same sources, same database.

    \b
    Example:
      bolyst build --db bolyst.db
      bolyst build --jobs 4       code with four processes
    """
    from bolyst.site.build import build as run_build

    click.echo(f"Building {db_path} …")
    from .progress import Progress

    with Progress("koding / coding") as step:
        reports = run_build(db_path, current_project(db_path), progress=_echo_stage, jobs=jobs, items=step,
                            incremental=incremental)
    click.echo(f"Built {db_path} in {sum(r.seconds for r in reports):.1f}s.")


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--rebuild/--no-rebuild", default=None,
              help="Force (or skip) a rebuild; by default rebuild when sources are newer than the database.")
def serve(db_path: Path, host: str, port: int, rebuild: bool | None) -> None:
    """Serve the knowledge base with Datasette (builds first when needed).

    \b
    Example:
      bolyst serve               # http://127.0.0.1:8001
      bolyst serve --port 9000 --rebuild
    """
    from bolyst.site.build import build as run_build
    from bolyst.site.build import is_stale
    from bolyst.site.serve.server import serve as run_serve

    project = current_project(db_path)
    if rebuild or (rebuild is None and is_stale(db_path, project)):
        click.echo(f"Building {db_path} …")
        run_build(db_path, project, progress=_echo_stage)
    click.echo(f"Serving {db_path} on http://{host}:{port}/  (Ctrl-C to stop)")
    run_serve(db_path, host=host, port=port)


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder to write into instead of the project (with sources/ and seeds/).")
@click.option("--coding", "coding_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Coding folder for a .qdpx's codings instead of the project (with decisions/).")
@click.option("--coder", default=None, help="Coder for .qdpx codings that name no user.")
@PROJECT_OPTION
def import_(files: tuple[Path, ...], corpus_dir: Path | None, coding_dir: Path | None, coder: str | None) -> None:
    """Import interview transcripts (.txt/.md), excerpt tables (.csv) or QDA projects (.qdpx).

    A transcript has YAML front matter with the interview's metadata, then speaker turns
    ('I:' / 'R:' or 'Name:' at the start of a line). A CSV has one excerpt per row with the columns of
    corpus/FORMAT.md. A REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder) adds its new
    documents and selections to the project and its codings as decisions of their coders to
    decisions/<coder>.yaml. Files go into the project folder (see `bolyst init`); the shipped demo project
    is read-only. Each file is validated on its own: a bad file is reported with its line and the fix, the
    good files of the same call are still imported. Importing the same file twice changes nothing.

    \b
    Example:
      bolyst import interviews/tynset-03.md excerpts.csv
      bolyst import coded-in-nvivo.qdpx --coder anna
      bolyst build
    """
    from bolyst.corpus.importer import import_files
    from bolyst.corpus.project import with_folders

    from .export import echo_qdpx_imports

    project = with_folders(current_project(), corpus_dir, coding_dir)
    qdpx = [f for f in files if f.suffix.lower() == ".qdpx"]
    project.writable("bolyst import", project.corpus_dir, *([project.decisions_dir] if qdpx else []))
    from .progress import Progress

    with Progress("import") as step:
        results = (import_files([f for f in files if f not in qdpx], project.corpus_dir, project.corpus_dirs[:-1],
                                progress=step) if len(qdpx) < len(files) else [])
    failed = echo_qdpx_imports(qdpx, project, coder)
    for result in results:
        if result.error:
            failed += 1
            click.secho(f"✗ {result.path}", fg="red", err=True)
            click.echo("  " + str(result.error).replace("\n", "\n  "), err=True)
        elif result.unchanged:
            click.echo(f"= {result.path}: already imported ({result.target})")
        else:
            click.secho(f"✓ {result.path}: {result.excerpts} excerpts → {result.target}", fg="green")
    if failed:
        click.echo(f"{failed} of {len(results) + len(qdpx)} file(s) had errors; the others were imported.", err=True)
        sys.exit(1)


@cli.command()
@click.option("--db-name", default="bolyst", show_default=True, help="Database name (the .db file's stem).")
@PROJECT_OPTION
def metadata(db_name: str) -> None:
    """Print the Datasette metadata (YAML), e.g. to publish with plain `datasette`.

    \b
    Example:
      bolyst metadata > metadata.yaml && datasette bolyst.db -m metadata.yaml
    """
    import yaml

    from bolyst.site.serve.metadata import build_metadata

    click.echo(yaml.safe_dump(build_metadata(db_name), allow_unicode=True, sort_keys=False))


def _register_areas() -> None:
    from . import coding, export, pages, stats

    for area in (coding, stats, pages, export):
        area.register(cli)


_register_areas()
