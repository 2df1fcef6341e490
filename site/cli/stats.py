"""CLI commands for the stats area, added to the ``bolyst`` group by ``register``.

``bolyst compare`` → ``bolyst.stats.comparison.compare``.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import click

from .options import DB_OPTION, PROJECT_OPTION


def _int(n: int | None) -> str:
    return "–" if n is None else f"{n:,}".replace(",", " ")


def _yes(flag: int | None) -> str:
    return {1: "yes", 0: "no"}.get(flag, "–")


def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt).replace(",", " ")


def _echo_peers(peers) -> None:
    head = peers[0]
    click.secho(f"{head.name} ({head.number}) · {head.landsdel} · centrality class {head.centrality_class} · "
                f"{_int(head.population)} inhabitants (1 Jan {head.population_year}) · KOSTRA {head.kostra_group}",
                bold=True)
    click.echo("\nMost similar municipalities (distance on standardised indicators; definitions and why: tables "
               "comparison_indicators, comparable_contributions):")
    click.echo(f"  {'#':>2}  {'municipality':<26} {'distance':>8} {'KOSTRA':<6} {'inhabitants':>11} {'centr.':>6} "
               f"{'immigr.%':>8} {'refug./1000':>11} {'moved in%':>9} {'income':>9}  differs most in")
    for p in peers:
        v = p.values
        differs = ", ".join(f"{ind} {share:.0%}" for ind, share in p.main_differences)
        kostra = "same" if p.same_kostra_group == 1 else "other" if p.same_kostra_group == 0 else ""
        click.echo(f"  {p.rank:>2}  {p.name + ' (' + p.number + ')':<26} {_num(p.distance, '8.2f'):>8} "
                   f"{kostra:<6} {_int(p.population):>11} {p.centrality_class or '–':>6} "
                   f"{_num(v.get('immigrant_share'), '.1f'):>8} {_num(v.get('refugee_intensity'), '.1f'):>11} "
                   f"{_num(v.get('moved_in_share'), '.1f'):>9} {_num(v.get('income'), ',.0f'):>9}  {differs}")


_UNSAFE = re.compile(r"[^\w.\-]")  # as the pages' links.segment: an excerpt id as a path segment


def _quote_labels(db_path: Path, ids: list[str]) -> dict[str, list[dict]]:
    """Per excerpt: its codes as every quote shows them (the coding stage's excerpt_codes view)."""
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    if "excerpt_codes" not in db.view_names():
        return {}
    return {i: list(db.query("select code, label_nb, origins, review_state from excerpt_codes where excerpt = ? "
                             "and review_state != 'rejected' order by review_state, position", [i])) for i in ids}


def _echo_quotes(quotes, max_quotes: int, labels: dict[str, list[dict]] | None = None) -> None:
    """The municipality's quotes, as on its page: named in the source first, then same-profile places."""
    shown = quotes if max_quotes <= 0 else quotes[:max_quotes]
    for relation, heading in (("here", "From or about this municipality (the source names it)"),
                              ("similar", "From places with the same profile (centrality class and size band)")):
        group = [q for q in shown if q.relation == relation]
        total = sum(q.relation == relation for q in quotes)
        click.echo(f"\n{heading}: {total}")
        for q in group:
            click.echo(textwrap.fill(f"«{q.text}»", width=100, initial_indent="  ", subsequent_indent="   "))
            click.echo(textwrap.fill(q.citation, width=100, initial_indent="    — ", subsequent_indent="      "))
            if labels is not None:
                codes = "; ".join(f"{c['label_nb']} ({c['code']}; {c['origins']}; "
                                  f"{'confirmed' if c['review_state'] == 'confirmed' else 'NOT REVIEWED'})"
                                  for c in labels.get(q.excerpt, [])) or "not coded"
                click.echo(textwrap.fill("codes: " + codes, width=100, initial_indent="    ",
                                         subsequent_indent="      "))
                click.echo(f"    excerpt page: /-/bolyst/excerpt/{_UNSAFE.sub('_', q.excerpt)}/")
            click.echo(textwrap.fill("why here: " + "; ".join(reason for _, _, reason in q.links), width=100,
                                     initial_indent="    ", subsequent_indent="      "))
    if len(shown) < len(quotes):
        click.echo(f"  … {len(quotes) - len(shown)} more (--max-quotes 0 shows all)")


@click.command(name="compare")
@click.argument("municipality")
@DB_OPTION
@click.option("-k", "--top", default=10, show_default=True, type=click.IntRange(1, 10),
              help="How many comparable municipalities to show.")
@click.option("--max-quotes", default=25, show_default=True, type=int, help="Quotes to print (0 = all).")
@click.option("--kostra", "within", flag_value="kostra", default=None,
              help="Only municipalities in the same KOSTRA group.")
@click.option("--centrality", "within", flag_value="centrality", help="Only municipalities in the same centrality class.")
def compare_command(municipality: str, db_path: Path, top: int, max_quotes: int, within: str | None) -> None:
    """Show a municipality's most similar municipalities, their key numbers and their quotes.

    MUNICIPALITY is a number (3427) or any current, Sámi, Kven or historical name (Tynset,
    Guovdageaidnu, 'Herøy (Nordland)'). Similarity is a standardised distance on population (log),
    centrality index, immigrant share, refugees settled per 1000, share of refugees who moved in (these
    three as rank normal scores, so extreme small-municipality rates do not dominate), income (log) and
    landsdel; the two indicators that differ most explain each pair. SSB's KOSTRA group is shown beside
    it; --kostra or --centrality keeps only the same KOSTRA group or centrality class. Quotes are the
    municipality's own, the same set as on its page and in its export: those whose source names it, then
    those whose anonymised profile has its centrality class and size band.

    \b
    Example:
      bolyst compare Tynset
      bolyst compare Tynset --kostra
      bolyst compare 1860 --top 5 --max-quotes 0
    """
    from bolyst.stats.comparison import compare

    result = compare(db_path, municipality, k=top, within=within)
    _echo_peers(result.peers)
    shown = result.quotes if max_quotes <= 0 else result.quotes[:max_quotes]
    _echo_quotes(result.quotes, max_quotes, _quote_labels(db_path, [q.excerpt for q in shown]))


@click.group(name="stats")
def stats_group() -> None:
    """Municipality statistics: refresh snapshots, derive them, look municipalities up.

    \b
    Example:
      bolyst stats fetch
      bolyst stats lookup Guovdageaidnu
    """


def _snapshot_dir(data_dir: Path | None) -> Path:
    """--data-dir, or the shipped snapshots in a clone; an installed package is never written to."""
    from bolyst.corpus.errors import ProjectError
    from bolyst.corpus.project import SOURCE_CHECKOUT
    from bolyst.stats.snapshots import DATA_DIR

    if data_dir is None and not SOURCE_CHECKOUT:
        raise ProjectError(f"the shipped snapshots ({DATA_DIR}) are part of the installed package",
                           fix="pass --data-dir DIR (a copy of that folder), or run this in a clone of Bolyst")
    return data_dir or DATA_DIR


@stats_group.command(name="fetch")
@PROJECT_OPTION
@click.argument("snapshots", nargs=-1)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default="stats/data/ in a clone", help="Folder with SOURCES.yaml and the snapshots.")
def stats_fetch(snapshots: tuple[str, ...], data_dir: Path | None) -> None:
    """Refresh SSB snapshots from SSB's PxWebApi v2 (needs a network).

    SNAPSHOTS are names from stats/data/SOURCES.yaml that have a `fetch` entry (default: all of
    them: population_07459, population_changes_06913). Each answer (JSON-stat2) is checked and
    written over the shipped snapshot; stats/data/FETCHED.yaml records the URL and date. Run
    `bolyst build` afterwards. Without a network nothing is changed.

    \b
    Example:
      bolyst stats fetch
      bolyst stats fetch population_07459
    """
    from bolyst.stats.fetch import fetch

    counts = fetch(list(snapshots) or None, data_dir=_snapshot_dir(data_dir), progress=click.echo)
    click.echo(f"Refreshed {len(counts)} snapshot(s); run `bolyst build` to use them.")


@stats_group.command(name="derive")
@PROJECT_OPTION
@click.argument("source_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default="stats/data/ in a clone", help="Folder with SOURCES.yaml to write snapshots into.")
def stats_derive(source_dir: Path, data_dir: Path | None) -> None:
    """Derive every snapshot again from the collected SSB/IMDi files (byte-identical when unchanged).

    \b
    Example:
      bolyst stats derive /work/shared/data/ssb
    """
    from bolyst.stats.snapshots import derive_all

    counts = derive_all(source_dir, _snapshot_dir(data_dir), progress=click.echo)
    click.echo(f"Derived {len(counts)} snapshots.")


@stats_group.command(name="lookup")
@PROJECT_OPTION
@click.argument("name_or_number")
def stats_lookup(name_or_number: str) -> None:
    """Find the 2024 municipality for a number or any current, Sámi, Kven or historical name.

    \b
    Example:
      bolyst stats lookup Guovdageaidnu
      bolyst stats lookup 1534          # Haram before 2020 → 1580 Haram
      bolyst stats lookup "Herøy (Nordland)"
    """
    from bolyst.stats.names import lookup

    m = lookup(name_or_number)
    extra = "; ".join(x for x in (f"Sámi: {m.name_sami}" if m.name_sami else "",
                                  f"Kven: {m.name_kven}" if m.name_kven else "") if x)
    click.echo(f"{m.number} {m.name} ({m.county_name}, {m.landsdel})" + (f" — {extra}" if extra else ""))
    click.echo(f"  matched {m.matched_name!r} as {m.matched_kind}")


def register(group: click.Group) -> None:
    """Add this area's commands to ``group``."""
    group.add_command(compare_command)
    group.add_command(stats_group)
