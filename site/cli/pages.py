"""CLI commands for the pages area, added to the ``bolyst`` group by ``register``."""

from __future__ import annotations

from pathlib import Path

import click

from bolyst.site.pages.links import DEFAULT_DATASETTE

from .options import DB_OPTION


@click.group(name="site")
def site_group() -> None:
    """The generated pages: one per theme, code, municipality and source.

    The same pages are served by `bolyst serve` at http://127.0.0.1:8001/-/bolyst/.
    """


@site_group.command(name="build")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@DB_OPTION
@click.option("--datasette-url", default=DEFAULT_DATASETTE, show_default=True,
              help="Where links to tables and queries point (a running `bolyst serve`, or a published "
                   "Datasette).")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Processes rendering pages [default: one per core, at most 4].")
@click.option("--lang", "langs", type=click.Choice(["nb", "en", "all"]), default="all", show_default=True,
              help="Language of the pages: nb (Norwegian Bokmål) or en (English) at the top of OUT_DIR, or all: "
                   "Norwegian at the top and English under OUT_DIR/en/, each page linking to the other.")
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
def build_command(out_dir: Path, db_path: Path, datasette_url: str, workers: int | None, langs: str,
                  quiet: bool) -> None:
    """Write the pages as a static site into OUT_DIR (OUT_DIR/index.html is the home page).

    Links between pages are relative, so OUT_DIR works from any static web host or opened straight
    from disk. Links to tables and queries go to Datasette at --datasette-url. Pages are read from the
    database only; a table that is not built yet shows as "no data yet".

    \b
    Example:
      bolyst build && bolyst site build _site
      bolyst site build _site --datasette-url https://data.example.org
      bolyst site build _site-en --lang en
    """
    from bolyst.site.pages.static import build_site

    click.echo(f"Writing pages from {db_path} to {out_dir}/ (table links → {datasette_url}) …")
    step = 100

    def progress(done: int, total: int, last: str) -> None:
        if not quiet and (done % step == 0 or done == total):
            click.echo(f"  {done:>4}/{total} pages  {last}")

    chosen = ("nb", "en") if langs == "all" else (langs,)
    report = build_site(db_path, out_dir, datasette=datasette_url, workers=workers, progress=progress, langs=chosen)
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.by_kind.items())
    click.echo(f"Wrote {report.pages} pages in {report.seconds:.1f}s ({kinds}; {' and '.join(chosen)}).")
    click.echo(f"Open {out_dir / 'index.html'}")


def register(group: click.Group) -> None:
    """Add this area's commands to ``group``."""
    group.add_command(site_group)
