"""Select the evidence an export holds: quotes by filter, their codes and themes, references and numbers.

Reads only SQLite. A filter that names something the database does not have (a code, a municipality, a
role) is an :class:`ExportError` / :class:`UnknownMunicipality` with the fix; a filter whose tables are not
built yet (municipality statistics) says so instead of exporting nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils
from bolyst.corpus.errors import ExportError, UnknownMunicipality
from bolyst.corpus.records import ROLES

from bolyst.site.pages.i18n import N_, translate

from .filters import Filters
from .labels import CodeLabel, code_labels, unreviewed_counts
from .numbers import KEY_INDICATORS, NAMED_LINKS, Number, numbers as _numbers  # noqa: F401
from .sql import has, json_list



_UNSAFE = re.compile(r"[^\w.\-]")  # as pages.links.segment: an id as one path segment


@dataclass(frozen=True)
class Quote:
    excerpt: str
    text: str
    kind: str
    speaker: str | None
    role: str | None
    place: str | None
    source: str
    citation: str
    codes: tuple[CodeLabel, ...] = ()  # confirmed codes (and unreviewed ones with include_unreviewed)
    themes: tuple[str, ...] = ()  # themes with a confirmed code: what the quote is evidence of
    municipalities: tuple[str, ...] = ()  # names of municipalities the source names
    suggested: tuple[str, ...] = ()  # themes only automatic coders suggest, nobody has reviewed

    @property
    def page(self) -> str:
        """The excerpt's own page as `bolyst serve` serves it (the static site has it at excerpt/<id>/)."""
        return f"/-/bolyst/excerpt/{_UNSAFE.sub('_', self.excerpt)}/index.html"

    @property
    def review_state(self) -> str:
        """confirmed (evidence of a theme), unreviewed (only automatic suggestions) or '' (no codes)."""
        return "confirmed" if self.themes else "unreviewed" if self.suggested else ""


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    definition: str | None
    quotes: tuple[Quote, ...]  # confirmed: the evidence
    suggestions: tuple[Quote, ...] = ()  # unreviewed automatic suggestions (with include_unreviewed), marked
    n_unreviewed: int = 0  # excerpts with only unreviewed suggestions of this theme (listed or left out)


@dataclass(frozen=True)
class Reference:
    source: str
    short: str
    citation: str


@dataclass(frozen=True)
class Evidence:
    filters: dict[str, Any]
    description: tuple[str, ...]  # each filter in words
    exported: str
    built: str | None
    quotes: tuple[Quote, ...]
    themes: tuple[Theme, ...]
    uncoded: tuple[Quote, ...]
    numbers: tuple[Number, ...]
    references: tuple[Reference, ...]
    notes: tuple[str, ...] = ()
    include_unreviewed: bool = False
    lang: str = "nb"  # the document's language (headings, filter words, notes): nb or en

    def t(self, message: str, **values: Any) -> str:
        """``message`` (Norwegian, the catalogue's key) in the document's language."""
        return translate(self.lang, message, **values)


def resolve_municipality(db: sqlite_utils.Database, wanted: str) -> tuple[str, str]:
    """(number, name) of a municipality given by number or any of its names."""
    if not has(db, "municipalities"):
        raise ExportError("the database has no municipality statistics yet", fix="run `bolyst build`")
    rows = list(db.query("select number, name from municipalities where number = :m or lower(name) = lower(:m)",
                         {"m": wanted}))
    if not rows and has(db, "municipality_names"):
        rows = list(db.query("select m.number, m.name from municipality_names n join municipalities m "
                             "on m.number = n.municipality where lower(n.name) = lower(:m) order by m.number",
                             {"m": wanted}))
    if not rows:
        names = [r["name"] for r in db.query("select name from municipalities")]
        close = difflib.get_close_matches(wanted, names, n=3)
        raise UnknownMunicipality(f"no municipality {wanted!r}", where="filter municipality",
                                  fix=f"did you mean {', '.join(close)}?" if close
                                  else "give a 2024 municipality number (e.g. 0301) or name")
    return rows[0]["number"], rows[0]["name"]


def _scope(db: sqlite_utils.Database, filters: Filters) -> list[tuple[str, str, str]]:
    """(number, name, relation) of the selected municipality and, if asked, its comparables."""
    if not filters.municipality:
        return []
    number, name = resolve_municipality(db, filters.municipality)
    scope = [(number, name, "selected")]
    if filters.comparables:
        if not has(db, "comparables"):
            raise ExportError("the database has no comparable municipalities yet", fix="run `bolyst build`")
        scope += [(r["comparable"], r["name"], f"comparable (rank {r['rank']})") for r in db.query(
            "select c.comparable, m.name, c.rank from comparables c join municipalities m on m.number = c.comparable "
            "where c.municipality = :n order by c.rank", {"n": number})]
    return scope


def _check(db: sqlite_utils.Database, filters: Filters) -> None:
    if filters.comparables and not filters.municipality:
        raise ExportError("comparables without a municipality", where="filter comparables",
                          fix="give the municipality whose comparable municipalities to include")
    if filters.code:
        if not has(db, "codes", "codings"):
            raise ExportError("the database has no codings yet", fix="run `bolyst build`")
        if not db.execute("select 1 from codes where id = ?", [filters.code]).fetchone():
            themes = ", ".join(r[0] for r in db.execute("select id from codes where parent is null order by position"))
            raise ExportError(f"no code {filters.code!r}", where="filter theme/code", fix=f"themes: {themes}")
    if filters.role and filters.role not in ROLES:
        raise ExportError(f"no speaker role {filters.role!r}", where="filter role", fix=f"use one of: {', '.join(ROLES)}")
    if filters.source and not db.execute("select 1 from sources where id = ?", [filters.source]).fetchone():
        ids = ", ".join(r[0] for r in db.execute("select id from sources order by id"))
        raise ExportError(f"no source {filters.source!r}", where="filter source", fix=f"sources: {ids}")
    if (filters.landsdel or filters.centrality) and not has(db, "excerpt_places", "municipalities"):
        raise ExportError("the database has no place links yet", fix="run `bolyst build`")


def _where(filters: Filters, scope: list[tuple[str, str, str]]) -> tuple[str, dict[str, Any]]:
    clauses, params = ["1"], {}
    if filters.code:
        clauses.append("e.id in (select excerpt from excerpt_codes where review_state in ('confirmed', 'unreviewed') "
                       "and (code = :code or code like :code || '.%'))")
        params["code"] = filters.code
    if scope:
        marks = ", ".join(f":m{i}" for i in range(len(scope)))
        # the view the municipality's page and `bolyst compare` read: one answer to one question
        clauses.append(f"e.id in (select excerpt from municipality_quotes where municipality in ({marks}))")
        params.update({f"m{i}": s[0] for i, s in enumerate(scope)})
    linked = (f"e.id in (select ep.excerpt from excerpt_places ep join municipalities m on m.number = ep.municipality "
              f"where ep.link_type in {NAMED_LINKS} and ")
    if filters.landsdel:
        clauses.append(f"(lower(e.landsdel) = lower(:landsdel) or {linked}lower(m.landsdel) = lower(:landsdel)))")
        params["landsdel"] = filters.landsdel
    if filters.centrality:
        clauses.append(f"(e.place in (select id from places where centrality = :centrality) or "
                       f"{linked}m.centrality_class = :centrality))")
        params["centrality"] = filters.centrality
    for key, column in (("role", "speaker_role"), ("source", "source")):
        if getattr(filters, key):
            clauses.append(f"e.{column} = :{key}")
            params[key] = getattr(filters, key)
    return " and ".join(clauses), params


def _quotes(db: sqlite_utils.Database, where: str, params: dict[str, Any]) -> list[Quote]:
    """Every excerpt passing ``where``, with its confirmed and unreviewed codes."""
    rows = list(db.query(
        "select e.id, e.text, e.kind, sp.label as speaker, e.speaker_role as role, "
        "coalesce(pl.label, e.place_description) as place, e.source, e.citation from excerpts e "
        "left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place "
        f"where {where} order by e.source, e.line_start, e.id", params))
    codes = code_labels(db, include_unreviewed=True)
    suggested = unreviewed_counts(db)
    places: dict[str, list[str]] = {}
    if has(db, "excerpt_places", "municipalities"):
        for r in db.query(f"select distinct ep.excerpt, m.name from excerpt_places ep join municipalities m "
                          f"on m.number = ep.municipality where ep.link_type in {NAMED_LINKS} order by m.name"):
            places.setdefault(r["excerpt"], []).append(r["name"])
    return [Quote(excerpt=r["id"], text=r["text"], kind=r["kind"], speaker=r["speaker"], role=r["role"],
                  place=r["place"], source=r["source"], citation=r["citation"],
                  codes=tuple(codes.get(r["id"], [])),
                  themes=tuple(dict.fromkeys(c.theme for c in codes.get(r["id"], []) if c.review_state == "confirmed")),
                  municipalities=tuple(places.get(r["id"], [])),
                  suggested=tuple(sorted(suggested.get(r["id"], ())))) for r in rows]


def _in_page_order(db: sqlite_utils.Database, quotes: list[Quote], scope: list[tuple[str, str, str]]) -> list[Quote]:
    """A municipality's quotes as its page lists them: those from the place first, then those from places with
    a similar profile, each part by source and line (the order ``_quotes`` gives)."""
    if not scope:
        return quotes
    here = {r[0] for r in db.execute(
        "select excerpt from municipality_quotes where relation = 'here' and municipality in "
        "(select value from json_each(?))", [json_list([s[0] for s in scope])])}
    return sorted(quotes, key=lambda q: q.excerpt not in here)


def under(q: Quote, target: str, state: str) -> bool:
    """Does ``q`` carry ``target`` (a theme or code) or a code under it, in review ``state``?"""
    return any((c.code == target or c.code.startswith(target + ".")) and c.review_state == state for c in q.codes)


def _themes(db: sqlite_utils.Database, quotes: list[Quote], code: str | None, unreviewed: bool,
            lang: str = "nb") -> list[Theme]:
    """Each theme (only the filter's, with a code filter) with its confirmed quotes, its unreviewed
    suggestions (listed only with ``unreviewed``) and how many excerpts only have suggestions."""
    if not has(db, "codes"):
        return []
    rows = db.query("select id, label_nb, label_en, definition, theme from codes where parent is null order by position")
    wanted = db.execute("select theme from codes where id = ?", [code]).fetchone()[0] if code else None
    out = []
    for r in rows:
        if wanted is not None and r["id"] != wanted:
            continue
        target = code or r["id"]
        confirmed = tuple(q for q in quotes if under(q, target, "confirmed"))
        suggested = tuple(q for q in quotes if under(q, target, "unreviewed") and q not in confirmed)
        out.append(Theme(r["id"], r["label_en"] if lang == "en" else r["label_nb"], r["definition"], confirmed,
                         suggested if unreviewed else (),
                         len(suggested)))
    return out


def _kept(q: Quote, code: str | None, unreviewed: bool) -> Quote | None:
    """The quote as an export shows it: without unreviewed codes unless asked; None when only codes it must not
    show put it there (the code filter matched an unreviewed suggestion). A quote chosen by place, source or role
    whose codes are all unreviewed suggestions stays, as the page shows it, with no theme: under «Uten bekreftet
    tema», its suggestions left out."""
    if not unreviewed:
        confirmed = tuple(c for c in q.codes if c.review_state == "confirmed")
        if code and not under(q, code, "confirmed"):
            return None
        return replace(q, codes=confirmed, suggested=())
    if code and not (under(q, code, "confirmed") or under(q, code, "unreviewed")):
        return None
    return q


FILTER_WORDS = (("landsdel", N_("landsdel")), ("centrality", N_("sentralitetsklasse")),
                ("role", N_("talerens rolle")), ("source", N_("kilde")))


def describe(filters: Filters, scope: list[tuple[str, str, str]], lang: str = "nb") -> tuple[str, ...]:
    """Each filter in words, e.g. 'kommune: Vestvågøy (1860) og de 10 sammenlignbare kommunene'."""
    out = []
    if filters.code:
        out.append(translate(lang, N_("tema/kode: %(code)s (med underkoder)"), code=filters.code))
    if filters.include_unreviewed:
        out.append(translate(lang, N_("ukontrollerte automatiske forslag tatt med, merket")))
    if scope:
        text = translate(lang, N_("kommune: %(name)s (%(number)s)"), name=scope[0][1], number=scope[0][0])
        if filters.comparables:
            text += translate(lang, N_(" og de %(n)s sammenlignbare kommunene (%(names)s)"), n=len(scope) - 1,
                              names=", ".join(s[1] for s in scope[1:]))
        out.append(text + translate(lang, N_("; utdrag der kilden navngir den, og fra steder med samme profil "
                                             "(sentralitetsklasse og størrelse)")))
    for key, label in FILTER_WORDS:
        if getattr(filters, key):
            out.append(f"{translate(lang, label)}: {getattr(filters, key)}")
    return tuple(out) or (translate(lang, N_("ingen: alle utdrag")),)


def select_evidence(db: sqlite_utils.Database, filters: Filters, exported: str, built: str | None,
                    lang: str = "nb") -> Evidence:
    _check(db, filters)
    scope = _scope(db, filters)
    where, params = _where(filters, scope)
    found = _in_page_order(db, _quotes(db, where, params), scope)
    notes: list[str] = []
    counted = {t.id: t.n_unreviewed for t in _themes(db, found, filters.code, False)}
    quotes = [k for k in (_kept(q, filters.code, filters.include_unreviewed) for q in found) if k is not None]
    themes = [replace(t, n_unreviewed=counted[t.id])
              for t in _themes(db, quotes, filters.code, filters.include_unreviewed, lang)]
    if not has(db, "codings"):
        notes.append(translate(lang, N_("Ingen kodinger i databasen ennå: sitatene står uten temaer.")))
    # Under a code filter a quote whose code there is only suggested is left out; without one, a quote with
    # suggestions only stays, with no theme: either way, these are the quotes whose suggestions are not evidence.
    only_suggested = len(found) - len(quotes) if filters.code else sum(1 for q in found if q.suggested and not q.themes)
    if only_suggested and not filters.include_unreviewed:
        notes.append(translate(lang, N_(
            "%(n)s utdrag har bare automatiske forslag som ingen har kontrollert; de legges ikke fram som belegg "
            "her (eksporter med --include-unreviewed for å få dem med, merket)."), n=only_suggested))
    uncoded = tuple(q for q in quotes if not q.themes and not q.suggested) if not filters.code else ()
    used = sorted({q.source for q in quotes})
    references = [Reference(r["id"], r["short"], r["citation"]) for r in db.query(
        "select id, short, citation from sources where id in (select value from json_each(:ids)) order by short",
        {"ids": json_list(used)})]
    return Evidence(filters=filters.as_dict(), description=describe(filters, scope, lang), exported=exported,
                    built=built, quotes=tuple(quotes), themes=tuple(themes), uncoded=uncoded,
                    numbers=tuple(_numbers(db, scope, quotes, notes, lang)), references=tuple(references),
                    notes=tuple(notes), include_unreviewed=filters.include_unreviewed, lang=lang)
