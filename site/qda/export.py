"""Bolyst → REFI-QDA: the corpus, the codebook and every coding as a project QDA tools can open.

Shape of the project (why: a QDA user expects the documents they analyse, not hundreds of snippets):

- one **TextSource per source document**: its text is the shipped seed text (the report as extracted
  from its PDF, or an imported transcript), so the user reads each excerpt in its context;
- one **PlainTextSelection per excerpt**, spanning the passage in the document
  (:func:`bolyst.site.qda.spans.locate`) and named by it; its Description holds the excerpt id, the
  verbatim excerpt, its citation and its Bolyst fields as YAML (what ``bolyst import`` reads back);
- the codebook as nested **Codes** (a theme and its sub-codes), named by their Norwegian label, with the
  code id, English label, definition and the place it is about in the Description;
- **one selection per coding** on the same span (:mod:`.coders`): made by its coder on its date, with the
  decision's note as memo; human coders first, the lead coder the project's first **User**; automatic
  codings (rules, model) only with ``include_automatic``, under coders named for what they are and with
  their review state in the memo;
- speakers as **Cases** (:mod:`.cases`) with unique names, case variables and links to their text;
  source citation and year as source variables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import sqlite_utils
from bolyst.coding.codebook import Code as BookCode, Codebook
from bolyst.coding.decisions import Decision
from bolyst.corpus.project import Project, demo, with_folders
from bolyst.corpus.provenance import seed_text
from bolyst.corpus.records import Excerpt
from bolyst.corpus.records import Source as CorpusSource
from bolyst.corpus.yamlio import dump_yaml

from . import refi
from .cases import CASE_VARIABLES, case_codes, case_coding, cases
from .coders import AUTO_USER, AutoCoding, coding_selections, ordered_coders, users, xsd_date
from .material import Material, citations_from, load_material
from .spans import require_span

__all__ = ["AUTO_USER", "AutoCoding", "export_qdc", "export_qdpx"]
THEME_COLORS = {"push": "#D55E00", "pull": "#009E73", "stay": "#0072B2", "retain": "#E69F00"}
SOURCE_VARIABLES = (("citation", "Text", "Full reference (Bolyst citation style)."),
                    ("year", "Integer", "Year of publication."))


def origin() -> str:
    try:
        return f"Bolyst {version('bolyst')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "Bolyst"


def meta(data: dict) -> str:
    """A Description holding Bolyst fields as YAML (empty fields left out), readable in any QDA tool."""
    return dump_yaml({k: v for k, v in data.items() if v not in (None, "", [], (), {})}).rstrip("\n")


# ---------------------------------------------------------------- codes


def code_tree(book: Codebook) -> tuple[refi.Code, ...]:
    children: dict[str | None, list[BookCode]] = {}
    for code in book.codes:
        children.setdefault(code.parent, []).append(code)

    position = {c.id: i for i, c in enumerate(book.codes)}

    def build(code: BookCode, color: str | None) -> refi.Code:
        color = THEME_COLORS.get(code.id, color)
        return refi.Code(guid=refi.guid("code", code.id), name=code.label_nb, color=color,
                        description=meta({"code": code.id, "position": position[code.id], "label_en": code.label_en,
                                          "definition": code.definition, "includes": code.includes,
                                          "excludes": code.excludes, "about": code.about,
                                          "examples": list(code.examples)}),
                        children=tuple(build(c, color) for c in children.get(code.id, [])))

    return tuple(build(code, None) for code in children.get(None, []))


# ---------------------------------------------------------------- sources and selections


def _place(excerpt: Excerpt) -> dict | None:
    place = excerpt.place
    if place is None:
        return None
    profile = {k: getattr(place, k) for k in ("landsdel", "centrality", "population_min", "population_max")
               if getattr(place, k) is not None}
    return {k: v for k, v in (("municipality", place.municipality), ("profile", profile),
                              ("description", place.description)) if v} or None


def _decision_meta(decisions: Iterable[Decision]) -> list[dict]:
    return [{k: v for k, v in (("coder", d.coder), ("code", d.code), ("action", d.action), ("date", d.date),
                               ("note", d.note)) if v is not None} for d in decisions]


def _selection_meta(excerpt: Excerpt, citation: str, decisions: list[Decision]) -> str:
    return meta({
        "excerpt": excerpt.id, "citation": citation, "text": excerpt.text, "kind": excerpt.kind,
        "lang": excerpt.lang, "section": excerpt.section, "page": excerpt.page,
        "lines": [excerpt.line_start, excerpt.line_end] if excerpt.line_start else None,
        "speaker": excerpt.speaker, "place": _place(excerpt), "interview_period": excerpt.interview_period,
        "omits": list(excerpt.omits), "file": excerpt.file, "decisions": _decision_meta(decisions),
    })


def _source_meta(source: CorpusSource) -> str:
    fields = {k: v for k, v in asdict(source).items() if k not in ("id", "seed")}
    return meta({"source": source.id, "citation": source.citation, **fields, "authors": list(source.authors),
                 "repairs": list(source.repairs), "seed": source.seed})


_NOT_IN_FILE_NAMES = re.compile(r'\s*[/\\]\s*|[<>:"|?*\x00-\x1f]')


def source_names(sources: list[CorpusSource]) -> dict[str, str]:
    """Source id → document name, unique and usable as a file name (QualCoder saves each text as
    ``documents/<name>.txt``: a «/» in the name loses the text, a repeated name gets a ``1_`` prefix)."""
    base = {s.id: _NOT_IN_FILE_NAMES.sub(lambda m: " - " if m.group().strip() in "/\\" else "-",
                                         f"{s.short} — {s.title}")[:150].strip() for s in sources}
    count = Counter(base.values())
    return {sid: name if count[name] == 1 else f"{name} [{sid}]" for sid, name in base.items()}


def text_source(source: CorpusSource, material: Material, citations: dict[str, str],
                notes: list[refi.Note], name: str) -> refi.Source:
    """The source's text, a base selection per excerpt and a selection per coding (notes go to ``notes``)."""
    text = refi.clean_text(seed_text(material.seeds[source.id]))
    decisions: dict[str, list[Decision]] = {}
    for d in material.decisions:
        decisions.setdefault(d.excerpt, []).append(d)
    automatic: dict[str, list[AutoCoding]] = {}
    for a in material.automatic:
        automatic.setdefault(a.excerpt, []).append(a)
    lead, as_of = refi.guid("user", material.lead) if material.lead else None, xsd_date(material.as_of)
    names = {AUTO_USER: material.rules, "model": "Bolyst model"}
    selections = []
    for e in (e for e in material.corpus.excerpts if e.source == source.id):
        start, end = require_span(e.id, e.text, text, e.line_start, e.line_end, e.omits)
        mine, auto = decisions.get(e.id, []), automatic.get(e.id, [])
        passage = text[start:end]
        link = (case_coding(e.speaker, e.id, lead, as_of),) if e.speaker else ()
        selections.append(refi.Selection(guid=refi.guid("excerpt", e.id), start=start, end=end, name=passage,
                                        description=_selection_meta(e, citations.get(e.id, ""), mine),
                                        codings=link, user=lead, created=as_of))
        coded, memos = coding_selections(e.id, (start, end), passage, mine, auto, names, material.as_of)
        selections += coded
        notes += memos
    values: list[tuple[str, str | int]] = [(refi.guid("variable", "citation"), source.citation)]
    if source.year:
        values.append((refi.guid("variable", "year"), source.year))
    return refi.Source(guid=refi.guid("source", source.id), name=name, text=text,
                      description=_source_meta(source),
                      selections=tuple(sorted(selections, key=lambda s: (s.start, s.end, s.name or ""))),
                      values=tuple(values))


# ---------------------------------------------------------------- the project


PROJECT_NOTE = (
    "Bolyst knowledge base: why immigrants and refugees move from, move to and stay in Norwegian "
    "municipalities. One text source per source document; each excerpt is a selection of its passage, its "
    "description holds the excerpt id, the verbatim excerpt, its citation and its fields. Each coding has a "
    "selection of its own, made by its coder: users named 'Bolyst rules …' and 'Bolyst model' are automatic "
    "coders (their memos say whether a person confirmed the coding), every other user is a human coder. "
    "Speakers are cases.")


def project(material: Material, citations: dict[str, str]) -> refi.Project:
    variables = tuple(refi.Variable(guid=refi.guid("variable", name), name=name, type=kind, description=text)
                      for name, kind, text in (*SOURCE_VARIABLES, *CASE_VARIABLES))
    notes: list[refi.Note] = []
    names = source_names(list(material.corpus.sources))
    sources = tuple(text_source(s, material, citations, notes, names[s.id])
                    for s in sorted(material.corpus.sources, key=lambda s: s.id))
    coded = {sel.codings[0].user for s in sources for sel in s.selections if sel.codings}
    humans = [c for c in ordered_coders({d.coder for d in material.decisions if d.present}, material.lead)
              if refi.guid("user", c) in coded or c == material.lead]
    speakers = cases(material.corpus, meta)
    return refi.Project(
        name="Bolyst", origin=origin(),
        users=users(humans, {a.coder for a in material.automatic}, material.rules),
        codes=code_tree(material.codebook) + case_codes(speakers), variables=variables, cases=speakers,
        sources=sources, description=_project_meta(material.codebook),
        creating_user=refi.guid("user", humans[0]) if humans else None, notes=tuple(notes))


def _project_meta(book: Codebook) -> str:
    holdout = {"seed": book.holdout_seed, "share": book.holdout_share} if book.holdout_share else None
    devset = ({"seed": book.devset_seed, "test_share": book.devset_test_share} if book.devset_test_share else None)
    return meta({"note": PROJECT_NOTE, "framework": book.framework, "holdout": holdout, "devset_split": devset})


@dataclass(frozen=True)
class QdaExport:
    path: Path
    sources: int
    selections: int  # excerpts (one base selection each)
    codes: int  # the codebook's codes
    codings: int  # codings of the codebook's codes (each on a selection of its own)
    cases: int
    case_links: int = 0  # codings that link a case to its text (QualCoder reads these)
    users: tuple[str, ...] = ()  # user names, the first is QualCoder's current coder


def _count_codes(codes: tuple[refi.Code, ...]) -> int:
    return sum(1 + _count_codes(c.children) for c in codes)


def export_qdpx(db: sqlite_utils.Database, path: Path, corpus_dir: Path | None = None,
                coding_dir: Path | None = None, source: Project | None = None, include_automatic: bool = False,
                lead: str | None = None) -> QdaExport:
    """Write the corpus, codebook and human codings of ``source`` (default: the demo, or the folders given)
    as a REFI-QDA project (``.qdpx``), validated against the shipped Project.xsd; with ``include_automatic``
    also the rules' and the model's codings. ``lead`` is the first user (default: ``lead-researcher``).
    Same sources, same bytes."""
    material = load_material(db, with_folders(source or demo(), corpus_dir, coding_dir), include_automatic, lead)
    proj = project(material, citations_from(db))
    refi.write_qdpx(proj, Path(path))
    cases_ = {c.guid for c in proj.cases}
    codings = [c for s in proj.sources for sel in s.selections for c in sel.codings]
    links = sum(c.code in cases_ for c in codings)
    return QdaExport(Path(path), len(proj.sources), len(material.corpus.excerpts),
                     _count_codes(proj.codes) - _count_codes(case_codes(proj.cases)), len(codings) - links,
                     len(proj.cases), links, tuple(u.name for u in proj.users))


def export_qdc(path: Path, coding_dir: Path | None = None, source: Project | None = None) -> QdaExport:
    """Write the codebook alone as a REFI-QDA codebook (``.qdc``), validated against Codebook.xsd."""
    from bolyst.coding.codebook import load_codebook

    book = load_codebook(with_folders(source or demo(), None, coding_dir).coding_dir / "codebook.yaml")
    codes = code_tree(book)
    refi.write_qdc(codes, origin(), Path(path))
    return QdaExport(Path(path), 0, 0, _count_codes(codes), 0, 0)
