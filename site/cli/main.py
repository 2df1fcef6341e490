"""The ``bolyst`` command: one click group, each command a thin adapter over one library call."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from bolyst.corpus.errors import BolystError

from .options import DB_OPTION, PROJECT_OPTION, current_project


def _error(message: str) -> None:
    click.secho("Error:", fg="red", bold=True, err=True, nl=False)
    click.echo(("\n  " + message.replace("\n", "\n  ")) if "\n" in message else " " + message, err=True)


class BolystGroup(click.Group):
    """Turns every error into a clean message and a non-zero exit, never a traceback (``--debug`` shows it).

    Bolyst's named errors exit 1 with their file, line and fix; a file the system cannot read or write
    exits 1 with the system's reason; anything else is a bug, reported in one line with exit status 2.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BolystError as exc:
            if ctx.params.get("debug"):
                raise
            _error(str(exc))
            sys.exit(1)
        except OSError as exc:
            if ctx.params.get("debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            _error(f"{where}{exc.strerror or exc} — check the path and its permissions")
            sys.exit(1)
        except sqlite3.DatabaseError as exc:
            if ctx.params.get("debug"):
                raise
            _error(f"the database cannot be used ({exc}) — check --db, or (re)build it with `bolyst build`")
            sys.exit(1)
        except (MemoryError, RecursionError) as exc:
            if ctx.params.get("debug"):
                raise
            _error(f"the input is too large or too deeply nested ({type(exc).__name__})")
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 (the last line of defence: a message, not a traceback)
            if ctx.params.get("debug"):
                raise
            _error(f"unexpected {type(exc).__name__}: {str(exc)[:300]} — this is a bug in Bolyst; run the "
                   "command again with `bolyst --debug …` and report the traceback")
            sys.exit(2)


@click.group(cls=BolystGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bolyst")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error (for reporting bugs).")
def cli(debug: bool) -> None:
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
                           help="Processes for the coder and the theme matrix's tests (e.g. the number of cores); "
                                "same result for any number.")


@cli.command()
@DB_OPTION
@JOBS_OPTION
@click.option("--incremental/--full", default=True, show_default=True,
              help="Incremental (the default): keep the coder's results per text and the trained suggester in "
                   "DB.coder-cache, code only new or changed excerpts, and copy the statistics tables that do not "
                   "read the corpus from the previous DB when their inputs are unchanged; the same database as a "
                   "full build. --full: read nothing of the previous build and write no cache.")
def build(db_path: Path, jobs: int, incremental: bool) -> None:
    """Build the knowledge base into one SQLite file.

    Every stage (corpus, coding, statistics) is written to DB.building and renamed over DB only when
    all succeed, so a failed build leaves the old database in place. Same sources, same database.

    \b
    Example:
      bolyst build --db bolyst.db
      bolyst build --jobs 4       code with four processes
      bolyst build --full         from nothing, without the cache of the last build
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
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network of this machine).")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--rebuild/--no-rebuild", default=None,
              help="Force (or skip) a rebuild; by default rebuild when sources are newer than the database.")
@click.option("--public", is_flag=True,
              help="Serving to the public: custom SQL is off (canned queries and searches stay).")
def serve(db_path: Path, host: str, port: int, rebuild: bool | None, public: bool) -> None:
    """Serve the knowledge base with Datasette (builds first when needed).

    The server follows the database file: after `bolyst build` (in another terminal) the next request
    shows the new build, no restart needed. Searches are limited to 200 characters and 12 words.

    \b
    Example:
      bolyst serve               # http://127.0.0.1:8001
      bolyst serve --port 9000 --rebuild
      bolyst serve --host 0.0.0.0 --public
    """
    from bolyst.site.build import build as run_build
    from bolyst.site.build import is_stale
    from bolyst.site.serve.server import serve as run_serve

    project = current_project(db_path)
    from bolyst.site.serve.server import check_port

    check_port(host, port)  # before a build, so a busy port is told at once
    if rebuild or (rebuild is None and is_stale(db_path, project)):
        click.echo(f"Building {db_path} …")
        run_build(db_path, project, progress=_echo_stage, incremental=True)  # as `bolyst build` does
    run_serve(db_path, host=host, port=port, public=public,
              announce=lambda url: click.echo(f"Serving {db_path} on {url}  (Ctrl-C to stop)", nl=True))


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder to write into instead of the project (with sources/ and seeds/).")
@click.option("--coding", "coding_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Coding folder for a .qdpx's codings instead of the project (with decisions/).")
@click.option("--coder", default=None, help="Coder for .qdpx codings that name no user.")
@click.option("--replace", is_flag=True,
              help="Replace a source of the same id whose content differs (the old files are kept in .bolyst-backup/).")
@click.option("--encoding", default=None,
              help="The files' text encoding when it is not UTF-8 / UTF-16 with BOM, e.g. latin-1 or cp1252.")
@PROJECT_OPTION
def import_(files: tuple[Path, ...], corpus_dir: Path | None, coding_dir: Path | None, coder: str | None,
            replace: bool, encoding: str | None) -> None:
    """Import interview transcripts (.txt/.md), excerpt tables (.csv) or QDA projects (.qdpx).

    A transcript has YAML front matter with the interview's metadata, then speaker turns
    ('I:' / 'R:' or 'Name:' at the start of a line). A CSV has one excerpt per row with the columns of
    corpus/FORMAT.md. A REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder) adds its new
    documents and selections to the project and its codings as decisions of their coders to
    decisions/<coder>.yaml. Files go into the project folder (see `bolyst init`); the shipped demo project
    is read-only. Each file is validated on its own and written all or nothing: a bad file is reported with
    its line and the fix, the good files of the same call are still imported. Importing the same file twice
    changes nothing; a different file under an id that exists is refused unless --replace.

    \b
    Example:
      bolyst import interviews/tynset-03.md excerpts.csv
      bolyst import coded-in-nvivo.qdpx --coder anna
      bolyst build
    """
    from bolyst.corpus.importer import import_files
    from bolyst.corpus.project import with_folders

    from .export import echo_qdpx_imports
    from .progress import Progress

    project = with_folders(current_project(), corpus_dir, coding_dir)
    qdpx = [f for f in files if f.suffix.lower() == ".qdpx"]
    project.writable("bolyst import", project.corpus_dir, *([project.decisions_dir] if qdpx else []))
    plain = [f for f in files if f not in qdpx]
    failed = 0

    def report(results) -> None:  # each file's lines as soon as it is written, above the progress bar
        nonlocal failed
        for result in results:
            if result.error:
                failed += 1
                step.write(click.style(f"✗ {result.path}", fg="red"), err=True)
                step.write("  " + str(result.error).replace("\n", "\n  "), err=True)
            elif result.unchanged:
                step.write(f"= {result.path}: already imported ({result.target})")
            else:
                step.write(click.style(f"✓ {result.path}: {result.excerpts} excerpts → {result.target}", fg="green"))
        step(1)

    with Progress("import", total=len(plain), unit="files") as step:
        results = import_files(plain, project.corpus_dir, project.corpus_dirs[:-1], replace=replace,
                               encoding=encoding, done=report) if plain else []
    if qdpx:  # the QDA importer loads spaCy (2 s): only when there is a .qdpx
        failed += echo_qdpx_imports(qdpx, project, coder)
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
