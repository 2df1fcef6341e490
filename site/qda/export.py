"""Bolyst → REFI-QDA: the corpus, the codebook and every coding as a project QDA tools can open.

Shape of the project (why: a QDA user expects the documents they analyse, not hundreds of snippets):

- one **TextSource per source document**: its text is the shipped seed text (the report as extracted
  from its PDF, or an imported transcript), so the user reads each excerpt in its context;
- one **PlainTextSelection per excerpt**, named by the excerpt id, spanning the passage in the document
  (:func:`bolyst.site.qda.spans.locate`); its Description holds the verbatim excerpt, its citation and its
  Bolyst fields as YAML, which is also what ``bolyst import x.qdpx`` reads back;
- the codebook as nested **Codes** (a theme and its sub-codes), named by their Norwegian label, with the
  code id, English label, definition and the place it is about in the Description;
- **Codings** on the selections: one per human coder (a **User** named after the coder) who holds that a
  code applies, and one by the user ``auto`` for each automatic coding no human has rejected;
- speakers as **Cases** with role, origin and gender as case variables, each referring to the selections
  of that speaker's excerpts; source citation and year as source variables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import sqlite_utils
from bolyst.coding.codebook import Code as BookCode, Codebook
from bolyst.coding.decisions import Decision
from bolyst.corpus.errors import ExportError
from bolyst.corpus.project import Project, demo, read_layers, with_folders
from bolyst.corpus.provenance import seed_text
from bolyst.corpus.records import Corpus, Excerpt
from bolyst.corpus.records import Source as CorpusSource
from bolyst.corpus.yamlio import dump_yaml

from . import refi
from .spans import require_span

AUTO_USER = "auto"
THEME_COLORS = {"push": "#D55E00", "pull": "#009E73", "stay": "#0072B2", "retain": "#E69F00"}
SOURCE_VARIABLES = (("citation", "Text", "Full reference (Bolyst citation style)."),
                    ("year", "Integer", "Year of publication."))
CASE_VARIABLES = (("role", "Text", "Speaker's role as the source describes it."),
                  ("origin", "Text", "Country of origin, where the source states it."),
                  ("gender", "Text", "female or male, where the source states it."))


@dataclass(frozen=True)
class AutoCoding:
    """An automatic coding as the database holds it (rule, score and matched text, for auditing)."""

    excerpt: str
    code: str
    rule: str | None = None
    score: float | None = None
    matched: str | None = None


@dataclass(frozen=True)
class Material:
    """Everything an export needs, read from the corpus and coding folders and the database."""

    corpus: Corpus
    seeds: dict[str, Path]  # source id → its seed file
    codebook: Codebook
    decisions: tuple[Decision, ...]  # the decision in force per (coder, excerpt, code)
    automatic: tuple[AutoCoding, ...]  # automatic codings no human rejected


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


def _selection_meta(excerpt: Excerpt, citation: str, decisions: list[Decision],
                    automatic: list[AutoCoding]) -> str:
    return meta({
        "excerpt": excerpt.id, "citation": citation, "text": excerpt.text, "kind": excerpt.kind,
        "lang": excerpt.lang, "section": excerpt.section, "page": excerpt.page,
        "lines": [excerpt.line_start, excerpt.line_end] if excerpt.line_start else None,
        "speaker": excerpt.speaker, "place": _place(excerpt), "interview_period": excerpt.interview_period,
        "omits": list(excerpt.omits), "file": excerpt.file, "decisions": _decision_meta(decisions),
        "automatic": [{k: v for k, v in (("code", a.code), ("rule", a.rule), ("score", a.score),
                                          ("matched", a.matched)) if v is not None} for a in automatic],
    })


def _codings(excerpt: str, decisions: list[Decision], automatic: list[AutoCoding]) -> tuple[refi.Coding, ...]:
    pairs = sorted({(d.code, d.coder) for d in decisions if d.present}
                   | {(a.code, AUTO_USER) for a in automatic})
    return tuple(refi.Coding(guid=refi.guid("coding", f"{excerpt}|{code}|{coder}"), code=refi.guid("code", code),
                            user=refi.guid("user", coder)) for code, coder in pairs)


def _source_meta(source: CorpusSource) -> str:
    fields = {k: v for k, v in asdict(source).items() if k not in ("id", "seed")}
    return meta({"source": source.id, "citation": source.citation, **fields, "authors": list(source.authors),
                 "seed": source.seed})


def text_source(source: CorpusSource, material: Material, citations: dict[str, str]) -> refi.Source:
    text = refi.clean_text(seed_text(material.seeds[source.id]))
    decisions: dict[str, list[Decision]] = {}
    for d in material.decisions:
        decisions.setdefault(d.excerpt, []).append(d)
    automatic: dict[str, list[AutoCoding]] = {}
    for a in material.automatic:
        automatic.setdefault(a.excerpt, []).append(a)
    selections = []
    for e in (e for e in material.corpus.excerpts if e.source == source.id):
        start, end = require_span(e.id, e.text, text, e.line_start, e.line_end, e.omits)
        mine, auto = decisions.get(e.id, []), automatic.get(e.id, [])
        selections.append(refi.Selection(guid=refi.guid("excerpt", e.id), start=start, end=end, name=e.id,
                                        description=_selection_meta(e, citations.get(e.id, ""), mine, auto),
                                        codings=_codings(e.id, mine, auto)))
    values: list[tuple[str, str | int]] = [(refi.guid("variable", "citation"), source.citation)]
    if source.year:
        values.append((refi.guid("variable", "year"), source.year))
    return refi.Source(guid=refi.guid("source", source.id), name=f"{source.short} — {source.title}", text=text,
                      description=_source_meta(source),
                      selections=tuple(sorted(selections, key=lambda s: (s.start, s.end, s.name or ""))),
                      values=tuple(values))


# ---------------------------------------------------------------- the project


def cases(corpus: Corpus) -> tuple[refi.Case, ...]:
    used: dict[str, list[str]] = {}
    for e in corpus.excerpts:
        if e.speaker:
            used.setdefault(e.speaker, []).append(refi.guid("excerpt", e.id))
    result = []
    for s in sorted(corpus.speakers, key=lambda s: s.id):
        values = [(refi.guid("variable", name), getattr(s, name)) for name, _, _ in CASE_VARIABLES
                  if getattr(s, name)]
        result.append(refi.Case(
            guid=refi.guid("speaker", s.id), name=f"{s.label} [{s.source}]",
            description=meta({"speaker": s.id, "pseudonym": s.pseudonym, "description": s.description,
                              "role": s.role, "origin": s.origin, "gender": s.gender, "age": s.age,
                              "years_in_norway": s.years_in_norway}),
            selections=tuple(sorted(used.get(s.id, []))), values=tuple(values)))
    return tuple(result)


def users(material: Material) -> tuple[refi.User, ...]:
    coders = sorted({d.coder for d in material.decisions})
    auto = refi.User(guid=refi.guid("user", AUTO_USER), name="Bolyst automatic coding (codebook rules)",
                    id=AUTO_USER)
    return (auto, *(refi.User(guid=refi.guid("user", c), name=c, id=c) for c in coders))


PROJECT_NOTE = (
    "Bolyst knowledge base: why immigrants and refugees move from, move to and stay in Norwegian "
    "municipalities. One text source per source document; each excerpt is a selection named by its Bolyst "
    "id, its description holds the verbatim excerpt, its citation and its fields. Codings by the user "
    "'auto' come from the codebook's rules; every other user is a human coder. Speakers are cases.")


def project(material: Material, citations: dict[str, str]) -> refi.Project:
    variables = tuple(refi.Variable(guid=refi.guid("variable", name), name=name, type=kind, description=text)
                      for name, kind, text in (*SOURCE_VARIABLES, *CASE_VARIABLES))
    return refi.Project(
        name="Bolyst", origin=origin(), users=users(material), codes=code_tree(material.codebook),
        variables=variables, cases=cases(material.corpus),
        sources=tuple(text_source(s, material, citations) for s in sorted(material.corpus.sources,
                                                                           key=lambda s: s.id)),
        description=_project_meta(material.codebook), creating_user=refi.guid("user", AUTO_USER))


def _project_meta(book: Codebook) -> str:
    holdout = {"seed": book.holdout_seed, "share": book.holdout_share} if book.holdout_share else None
    devset = ({"seed": book.devset_seed, "test_share": book.devset_test_share} if book.devset_test_share else None)
    return meta({"note": PROJECT_NOTE, "framework": book.framework, "holdout": holdout, "devset_split": devset})


def citations_from(db: sqlite_utils.Database) -> dict[str, str]:
    if "excerpts" not in db.table_names():
        raise ExportError("the database has no excerpts table", fix="run `bolyst build` first")
    return {row["id"]: row["citation"] for row in db.query("select id, citation from excerpts")}


# ---------------------------------------------------------------- entry points


def automatic_codings(db: sqlite_utils.Database) -> list[AutoCoding]:
    """Automatic codings from the database's ``codings`` table (none when the coding stage wrote none)."""
    if "codings" not in db.table_names():
        return []
    columns = set(db["codings"].columns_dict)
    wanted = [c for c in ("rule", "score", "text") if c in columns]
    where = "origin = 'rule'" if "origin" in columns else "1"
    rows = db.query(f"select excerpt, code{''.join(', ' + c for c in wanted)} from codings where {where} "
                    "order by excerpt, code")
    return [AutoCoding(excerpt=r["excerpt"], code=r["code"], rule=r.get("rule"), score=r.get("score"),
                       matched=r.get("text")) for r in rows]


def load_material(db: sqlite_utils.Database, project: Project) -> Material:
    """Read what an export needs; refuses a database built from another corpus or codebook."""
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.decisions import latest, read_decision_dirs

    corpus = read_layers(project.corpus_dirs, check=False)
    book = load_codebook(project.coding_dir / "codebook.yaml")
    in_force = list(latest(read_decision_dirs(project.decisions_dirs)).values())
    rejected = {(d.excerpt, d.code) for d in in_force if d.action == "reject"}
    excerpt_ids, code_ids = {e.id for e in corpus.excerpts}, set(book.by_id)
    automatic, seen = [], set()
    for a in automatic_codings(db):
        if a.excerpt not in excerpt_ids or a.code not in code_ids:
            raise ExportError(f"the database codes {a.excerpt!r} with {a.code!r}, which the corpus or codebook "
                              "does not have", fix="run `bolyst build` so the database matches the sources")
        if (a.excerpt, a.code) not in rejected and (a.excerpt, a.code) not in seen:
            seen.add((a.excerpt, a.code))
            automatic.append(a)
    return Material(corpus=corpus, seeds={s.id: project.seed_file(s) for s in corpus.sources}, codebook=book,
                    decisions=tuple(in_force), automatic=tuple(automatic))


@dataclass(frozen=True)
class QdaExport:
    path: Path
    sources: int
    selections: int
    codes: int
    codings: int
    cases: int


def _count_codes(codes: tuple[refi.Code, ...]) -> int:
    return sum(1 + _count_codes(c.children) for c in codes)


def export_qdpx(db: sqlite_utils.Database, path: Path, corpus_dir: Path | None = None,
                coding_dir: Path | None = None, source: Project | None = None) -> QdaExport:
    """Write the corpus, codebook and codings of ``source`` (default: the demo, or the folders given) as a
    REFI-QDA project (``.qdpx``), validated against the shipped Project.xsd. Same sources, same bytes."""
    material = load_material(db, with_folders(source or demo(), corpus_dir, coding_dir))
    proj = project(material, citations_from(db))
    refi.write_qdpx(proj, Path(path))
    selections = [sel for s in proj.sources for sel in s.selections]
    return QdaExport(Path(path), len(proj.sources), len(selections), _count_codes(proj.codes),
                     sum(len(sel.codings) for sel in selections), len(proj.cases))


def export_qdc(path: Path, coding_dir: Path | None = None, source: Project | None = None) -> QdaExport:
    """Write the codebook alone as a REFI-QDA codebook (``.qdc``), validated against Codebook.xsd."""
    from bolyst.coding.codebook import load_codebook

    book = load_codebook(with_folders(source or demo(), None, coding_dir).coding_dir / "codebook.yaml")
    codes = code_tree(book)
    refi.write_qdc(codes, origin(), Path(path))
    return QdaExport(Path(path), 0, 0, _count_codes(codes), 0, 0)
