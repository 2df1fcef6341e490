"""The evidence as Markdown: a heading per theme, quotes as block quotes with their citations, a table of
key numbers with year and source, and the reference list. Every text from the database is escaped, so a
quote shows as written in any Markdown or HTML renderer and can never become markup."""

from __future__ import annotations

import re

from .labels import SUGGESTIONS_EN, SUGGESTIONS_NB
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


VERBATIM = ("Excerpts are verbatim (only PDF line wrapping and hyphenation repaired); each carries its citation, "
            "full references are at the end.")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_value(n: Number) -> str:
    if float(n.value).is_integer():
        return f"{int(n.value):,}".replace(",", "\u202f")
    return f"{n.value:,.1f}".replace(",", "\u202f")


def theme_counts(theme: Theme, included: bool) -> str:
    """'3 excerpts confirmed by a person; 2 with unreviewed automatic suggestions (listed apart, marked)'."""
    where = "listed apart below, marked" if included else "left out; --include-unreviewed lists them"
    return (f"{plural(len(theme.quotes), 'excerpt')} confirmed by a person; "
            f"{theme.n_unreviewed} with unreviewed automatic suggestions only ({where}).")


def _quote(q: Quote, suggestion: bool = False) -> list[str]:
    mark = ["**[Ikke kontrollert / not reviewed: automatic suggestion]**", ""] if suggestion else []
    details = [f"Codes: {'; '.join(escape(c.text) for c in q.codes)}" if q.codes else None,
               f"Place: {escape(q.place)}" if q.place else None,
               f"Municipality: {escape(', '.join(q.municipalities))}" if q.municipalities else None,
               "researchers' narrative" if q.kind == "narrative" else None]
    return [*mark, blockquote(q.text), "", f"— {escape(q.citation)} `{q.excerpt}` (page `{q.page}`)"
            + ("  " if any(details) else ""),
            " · ".join(d for d in details if d) or "", ""]


def _numbers(numbers: tuple[Number, ...]) -> list[str]:
    lines = ["## Key numbers", "", "| Municipality | Indicator | Value | Unit | Year | Source | Flag |",
             "|---|---|---:|---|---:|---|---|"]
    for n in numbers:
        cells = [f"{n.name} ({n.municipality}), {n.relation}", n.label, format_value(n), n.unit or "", str(n.year),
                 f"{n.source or ''} {n.table_id or ''}".strip(), n.flag or ""]
        lines.append("| " + " | ".join(escape(c) if i != 2 else c for i, c in enumerate(cells)) + " |")
    return [*lines, ""]


def markdown(ev: Evidence) -> str:
    sources = len({q.source for q in ev.quotes})
    lines = ["# Bolyst evidence", "", "**Filters:** " + "; ".join(escape(d) for d in ev.description) + "  ",
             f"**Exported:** {ev.exported} from the Bolyst knowledge base built {ev.built or 'on an unknown date'}.  ",
             f"**Contents:** {plural(len(ev.quotes), 'excerpt')} from {plural(sources, 'source')}. {VERBATIM}", ""]
    lines += [f"*{escape(note)}*" for note in ev.notes] + ([""] if ev.notes else [])
    for theme in ev.themes:
        lines += [f"## {escape(theme.label)} ({escape(theme.id)})", ""]
        if theme.definition:
            lines += [f"*{escape(theme.definition)}*", ""]
        lines += [escape(theme_counts(theme, ev.include_unreviewed)), ""]
        for q in theme.quotes:
            lines += _quote(q)
        if not theme.quotes:
            lines += ["No confirmed excerpts with this theme match the filters.", ""]
        if theme.suggestions:
            lines += [f"### {SUGGESTIONS_NB} / {SUGGESTIONS_EN}", ""]
            for q in theme.suggestions:
                lines += _quote(q, suggestion=True)
    if ev.uncoded or not ev.themes:
        lines += ["## Not coded with a theme" if ev.themes else "## Excerpts", ""]
        lines += ["Codes confirmed by a person are evidence; codes marked 'unreviewed' are automatic suggestions.",
                  ""] if not ev.themes else []
        for q in ev.uncoded or ev.quotes:
            lines += _quote(q)
    if ev.numbers:
        lines += _numbers(ev.numbers)
    lines += ["## References", ""]
    lines += [f"- **{escape(r.short)}**: {escape(r.citation)}" for r in ev.references]
    return "\n".join(lines).rstrip("\n") + "\n"
