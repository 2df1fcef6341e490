"""The evidence as Markdown: a heading per theme, quotes as block quotes with their citations, a table of
key numbers with year and source, and the reference list. Every text from the database is escaped, so a
quote shows as written in any Markdown or HTML renderer and can never become markup."""

from __future__ import annotations

import re

from bolyst.site.pages.i18n import N_
from bolyst.site.pages.render import num, table_source, unit

from .labels import SUGGESTIONS
from .query import Evidence, Number, Quote, Theme

#: What can turn text into markup: emphasis, code, links, HTML, table cells, strikethrough; '_' only at a word's
#: edge (CommonMark never reads snake_case as emphasis); '&' only where it would start an entity (&amp; &#38;).
_SPECIAL = re.compile(r"([\\`*\[\]<|]|~~|(?<!\w)_|_(?!\w)|&(?=#?\w+;))")


def escape(text: str | None) -> str:
    """Backslash-escape what Markdown/HTML would read as syntax, including list and heading markers at a line
    start, so the text renders exactly as written — and nothing else, so the file stays readable as text."""
    escaped = _SPECIAL.sub(lambda m: "".join("\\" + c for c in m.group()), text or "")
    escaped = re.sub(r"(?m)^(\s*)([-+=#>])", r"\1\\\2", escaped)
    return re.sub(r"(?m)^(\s*\d+)([.)])", r"\1\\\2", escaped)


def blockquote(text: str) -> str:
    paragraphs = [escape(p.strip()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n>\n".join("\n".join("> " + line.strip() for line in p.split("\n")) for p in paragraphs)


VERBATIM = N_("Utdragene er ordrette (bare linjeskift og orddeling fra PDF er rettet); hvert har sin "
              "henvisning, fullstendige referanser står til slutt.")


def contents(ev: Evidence) -> str:
    """'12 utdrag fra 3 kilder.' in the document's language."""
    return ev.t("%(n)s utdrag fra %(sources)s kilder.", n=len(ev.quotes), sources=len({q.source for q in ev.quotes}))


def relation(ev: Evidence, text: str) -> str:
    """A key number's relation to the filter ('selected', 'comparable (rank 3)', 'named in the quotes')."""
    if text.startswith("comparable (rank "):
        return ev.t("sammenlignbar (nr. %(rank)s)", rank=text.removeprefix("comparable (rank ").rstrip(")"))
    return ev.t({"selected": N_("valgt"), "named in the quotes": N_("navngitt i sitatene")}.get(text, text))


def details(ev: Evidence, q: Quote) -> list[str]:
    """The lines under a quote's citation: codes, place, municipalities, kind (the same in md and docx)."""
    return [ev.t("Koder: %(codes)s", codes="; ".join(c.text(ev.lang) for c in q.codes)) if q.codes else "",
            ev.t("Sted: %(place)s", place=q.place) if q.place else "",
            ev.t("Kommune: %(names)s", names=", ".join(q.municipalities)) if q.municipalities else "",
            ev.t("forskernes gjenfortelling") if q.kind == "narrative" else ""]


def number_cells(ev: Evidence, n: Number) -> list[str]:
    """One key number's row as the municipality page shows it: value in the page's format, unit in its words."""
    return [f"{n.name} ({n.municipality}), {relation(ev, n.relation)}", n.label, num(n.value, lang=ev.lang),
            unit(n.unit, ev.lang), str(n.year), table_source(n.source, n.table_id, ev.lang), n.flag or ""]


def theme_counts(ev: Evidence, theme: Theme) -> str:
    """'3 utdrag bekreftet av en person; 2 med bare ukontrollerte automatiske forslag (…)'."""
    where = (ev.t("står for seg nedenfor, merket") if ev.include_unreviewed
             else ev.t("utelatt; --include-unreviewed tar dem med"))
    return ev.t("%(n)s utdrag bekreftet av en person; %(m)s med bare ukontrollerte automatiske forslag (%(where)s).",
                n=len(theme.quotes), m=theme.n_unreviewed, where=where)


def suggestion_mark(ev: Evidence) -> str:
    return ev.t("[Ikke kontrollert: automatisk forslag]")


def _quote(ev: Evidence, q: Quote, suggestion: bool = False) -> list[str]:
    mark = [f"**{suggestion_mark(ev)}**", ""] if suggestion else []  # our own words: no escapes
    lines = [escape(d) for d in details(ev, q) if d]
    return [*mark, blockquote(q.text), "", f"— {escape(q.citation)} `{q.excerpt}` ({ev.t('side')} `{q.page}`)"
            + ("  " if lines else ""), " · ".join(lines), ""]


NUMBER_HEADER = (N_("Kommune"), N_("Indikator"), N_("Verdi"), N_("Enhet"), N_("År"), N_("Kilde"), N_("Merknad"))


def _numbers(ev: Evidence) -> list[str]:
    lines = [f"## {ev.t('Nøkkeltall')}", "", "| " + " | ".join(ev.t(h) for h in NUMBER_HEADER) + " |",
             "|---|---|---:|---|---:|---|---|"]
    for n in ev.numbers:
        cells = number_cells(ev, n)
        lines.append("| " + " | ".join(escape(c) if i != 2 else c for i, c in enumerate(cells)) + " |")
    return [*lines, ""]


def exported(ev: Evidence) -> str:
    """'2026-12-07 fra Bolyst-kunnskapsbasen bygget 2026-12-01.' (after the word «Eksportert»)."""
    return ev.t("%(date)s fra Bolyst-kunnskapsbasen bygget %(built)s.", date=ev.exported,
                built=ev.built or ev.t("på en ukjent dato"))


def markdown(ev: Evidence) -> str:
    lines = [f"# {ev.t('Bolyst-belegg')}", "",
             f"**{ev.t('Filtre')}:** " + "; ".join(escape(d) for d in ev.description) + "  ",
             f"**{ev.t('Eksportert')}:** {escape(exported(ev))}  ",
             f"**{ev.t('Innhold')}:** {contents(ev)} {escape(ev.t(VERBATIM))}", ""]
    lines += [f"*{escape(note)}*" for note in ev.notes] + ([""] if ev.notes else [])
    for theme in ev.themes:
        lines += [f"## {escape(theme.label)} ({escape(theme.id)})", ""]
        if theme.definition:
            lines += [f"*{escape(theme.definition)}*", ""]
        lines += [escape(theme_counts(ev, theme)), ""]
        for q in theme.quotes:
            lines += _quote(ev, q)
        if not theme.quotes:
            lines += [ev.t("Ingen bekreftede utdrag med dette temaet passer filtrene."), ""]
        if theme.suggestions:
            lines += [f"### {ev.t(SUGGESTIONS)}", ""]
            for q in theme.suggestions:
                lines += _quote(ev, q, suggestion=True)
    if ev.uncoded or not ev.themes:
        lines += [f"## {ev.t('Uten bekreftet tema') if ev.themes else ev.t('Utdrag')}", ""]
        lines += [ev.t("Koder som en person har bekreftet, er belegg; koder merket «unreviewed» er automatiske "
                       "forslag."), ""] if not ev.themes else []
        for q in ev.uncoded or ev.quotes:
            lines += _quote(ev, q)
    if ev.numbers:
        lines += _numbers(ev)
    lines += [f"## {ev.t('Referanser')}", ""]
    lines += [f"- **{escape(r.short)}**: {escape(r.citation)}" for r in ev.references]
    return "\n".join(lines).rstrip("\n") + "\n"
