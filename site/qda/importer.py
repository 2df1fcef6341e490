"""``bolyst import project.qdpx``: a REFI-QDA project back into the corpus and coding folders.

- Text sources are matched to the corpus by Bolyst's source id or, where a tool dropped it, by their text
  (after the same clean-up: no BOM, LF). Sources the corpus lacks become new sources (seed = the text,
  ``source.yaml``, excerpt files).
- Selections are matched to excerpts by **source and span** (the excerpt's passage in the text, white space
  at the ends ignored), so a tool's new GUIDs, names and memos do not matter; only a genuinely new span with
  codings becomes a new excerpt (in ``excerpts-qdpx.yaml``). A selection that cannot be placed (its source
  is refused or read-only) is counted as unplaced. Nothing already in the corpus is rewritten.
- Codings come back as human decisions of their coder: the coder is the selection's or coding's user, known
  by id or by name (QualCoder drops ids); Bolyst's automatic coders (``auto``/``model``, «Bolyst rules …»,
  «Bolyst model») stay automatic and are skipped (a build recomputes them). The date is the coding's or
  else the selection's; the memo is the decision's note (the selection's Description or a Note the coding
  refers to). A decision is appended to ``decisions/<coder>.yaml`` only where it changes what that coder's
  decision in force says, so an existing coding never becomes a new decision and importing twice adds nothing.
- Into a coding folder without ``codebook.yaml`` the project's codebook is written (without rules, which
  REFI-QDA does not carry); into one with a codebook, codes it lacks are reported and their codings skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from bolyst.coding.decisions import Decision, append_decisions, check_coder, latest, read_decision_dirs
from bolyst.corpus.errors import (BolystError, CodebookError, CodingDecisionError, CorpusFormatError,
                                  UnsafeWriteError)
from bolyst.corpus.project import Project, demo, inside_package, read_layers, with_folders
from bolyst.corpus.provenance import seed_text
from bolyst.corpus.records import Corpus
from bolyst.corpus.safewrite import safe_id
from bolyst.corpus.text import slugify

from . import refi
from .codebook import code_ids, write_codebook
from .corpus import SourcePlan, new_excerpts, plan_source, read_meta, source_id
from .cases import CASES_NAME, case_guids
from .coders import AUTOMATIC_IDS, automatic_coder
from .files import write_plans
from .read import read_qdpx
from .spans import excerpt_spans


@dataclass
class QdpxImport:
    path: Path
    new_sources: list[str] = field(default_factory=list)
    known_sources: list[str] = field(default_factory=list)
    excerpts: int = 0  # new excerpts added
    matched: int = 0  # selections placed on an excerpt the corpus already had
    unplaced: int = 0  # selections with codings that could not be placed on an excerpt
    automatic: int = 0  # codings by Bolyst's automatic coders (skipped)
    decisions: dict[str, int] = field(default_factory=dict)
    codebook_written: bool = False
    problems: list[BolystError] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.new_sources or self.excerpts or any(self.decisions.values()) or self.codebook_written)


def _seed_name(corpus_dir: Path, wanted: str | None, sid: str, text: str) -> str:
    for name in (wanted, f"{sid}.txt"):
        if name and "/" not in name:
            path = corpus_dir / "seeds" / name
            if not path.exists() or refi.clean_text(seed_text(path)) == text:
                return name
    return f"{sid}-{refi.guid('seed', text)[:8]}.txt"


def plan_corpus(project: refi.Project, corpus: Corpus, folders: Project, path: Path,
                result: QdpxImport) -> list[SourcePlan]:
    """One plan per text source: new sources whole, known sources with the excerpts they lack.

    A source of a read-only layer (the shipped corpus, in a project) gets no new excerpts; they are reported.
    """
    corpus_dir = folders.corpus_dir
    sources = {s.id: s for s in corpus.sources}
    known = {e.id for e in corpus.excerpts}
    speakers = {s.id for s in corpus.speakers}
    by_text: dict[str, str] | None = None
    plans = []
    for source in sorted(project.sources, key=lambda s: s.name):
        sid = source_id(source)
        try:  # an id given in the Description would become a folder name: refuse a path before anything else
            if read_meta(source.description).get("source") is not None:
                safe_id(sid, "source id", path=path)
        except UnsafeWriteError as exc:
            exc.where = f"text source {source.name!r}"
            result.problems.append(exc)
            continue
        if sid not in sources:
            if by_text is None:
                by_text = {refi.clean_text(seed_text(folders.seed_file(s))): s.id for s in corpus.sources}
            sid = by_text.get(source.text, sid)
        if sid in sources:
            seed = refi.clean_text(seed_text(folders.seed_file(sources[sid])))
            if seed != source.text:
                result.problems.append(CorpusFormatError(
                    f"source {sid!r} is already in the corpus with a different text", path=path,
                    where=f"text source {source.name!r}",
                    fix="rename the document in the QDA tool (its name becomes the source id) and export again"))
                continue
            result.known_sources.append(sid)
            mine = [e for e in corpus.excerpts if e.source == sid]
            plan = new_excerpts(source, project, sid, excerpt_spans(mine, seed), known, speakers,
                                sources[sid].language or "nb")
            if plan.files and folders.seed_file(sources[sid]).parent != corpus_dir / "seeds":
                result.problems.append(CorpusFormatError(
                    f"new selections in {sid!r} were skipped: the shipped corpus is read-only", path=path,
                    where=f"text source {source.name!r}", fix="code the shipped excerpts only, or import "
                    "the document under a new name"))
                plan = replace(plan, files={}, selections={g: e for g, e in plan.selections.items() if e in known})
            plans.append(plan)
        else:
            name = _seed_name(corpus_dir, read_meta(source.description).get("seed"), sid, source.text)
            result.new_sources.append(sid)
            plans.append(plan_source(source, project, name))
    return plans


def _coder_of(project: refi.Project, default: str | None) -> tuple[dict[str, str], str | None]:
    """User GUID → coder id (``auto``/``model`` for Bolyst's automatic coders), and the coder for codings
    that name no user or QualCoder's «default» user."""
    coders = {}
    for user in project.users:
        auto = automatic_coder(user)
        if auto:
            coders[user.guid] = auto
        elif user.id and not check_coder(user.id):
            coders[user.guid] = user.id
        elif (user.name or "").strip().lower() not in ("", "default"):
            coders[user.guid] = slugify(user.name)
    humans = sorted({c for c in coders.values() if c not in AUTOMATIC_IDS})
    fallback = default or coders.get(project.creating_user or "") or (humans[0] if len(humans) == 1 else None)
    return coders, (None if fallback in AUTOMATIC_IDS else fallback)


def _date(value: object) -> str | None:
    return str(value)[:10] if value else None


def _memo(sel: refi.Selection, coding: refi.Coding, notes: dict[str, str]) -> str | None:
    """The coder's note: the Notes the coding refers to, else the selection's Description (unless it holds
    Bolyst's excerpt fields)."""
    texts = [notes[n] for n in coding.notes if notes.get(n)]
    if texts:
        return "\n\n".join(texts)
    if sel.description and not read_meta(sel.description).get("excerpt"):
        return sel.description.strip() or None
    return None


def plan_decisions(project: refi.Project, selections: dict[str, str], codes: dict[str, str],
                   coder: str | None, today: str, path: Path, result: QdpxImport) -> list[Decision]:
    """The human decisions the project's codings (and recorded rejections) state."""
    coders, fallback = _coder_of(project, coder)
    notes = {n.guid: n.text for n in project.notes}
    out: dict[tuple[str, str, str], Decision] = {}
    records: dict[str, dict] = {}  # excerpt → (coder, code) → decision as Bolyst's export recorded it
    for sel in (sel for source in project.sources for sel in source.selections if sel.guid in selections):
        for d in read_meta(sel.description).get("decisions") or []:
            if isinstance(d, dict):
                records.setdefault(selections[sel.guid], {})[(d.get("coder"), d.get("code"))] = d
    for source in project.sources:
        for sel in source.selections:
            excerpt = selections.get(sel.guid)
            if excerpt is None:
                continue
            recorded = records.get(excerpt, {})
            for coding in sel.codings:
                who = coders.get(coding.user or sel.user or "", fallback)
                code = codes.get(coding.code)
                if who in AUTOMATIC_IDS:
                    result.automatic += 1
                    continue
                if who is None or code is None:
                    result.problems.append(CodingDecisionError(
                        f"coding of {excerpt!r} has {'no coder' if who is None else 'an unknown code'}",
                        path=path, where=f"coding {coding.guid}",
                        fix="give --coder NAME" if who is None else "add the code to coding/codebook.yaml"))
                    continue
                note = recorded.get((who, code), {})
                action = note.get("action") if note.get("action") in ("add", "accept") else "add"
                date = _date(note.get("date")) if note else (_date(coding.created) or _date(sel.created) or today)
                out[(who, excerpt, code)] = Decision(who, excerpt, code, action, date,
                                                     note.get("note") or _memo(sel, coding, notes))
    for excerpt, recorded in records.items():
        for (who, code), note in recorded.items():
            if note.get("action") == "reject" and who and code in codes.values():
                out.setdefault((who, excerpt, code),
                               Decision(who, excerpt, code, "reject", _date(note.get("date")), note.get("note")))
    return [out[k] for k in sorted(out)]


def append_new(folders: Project, decisions: list[Decision]) -> dict[str, int]:
    """Append the decisions that change what each coder's decisions say now; returns counts per coder."""
    folder = folders.decisions_dir
    in_force = latest(read_decision_dirs(folders.decisions_dirs))
    by_coder: dict[str, list[Decision]] = {}
    for d in decisions:
        now = in_force.get((d.coder, d.excerpt, d.code))
        if now is None or now.present != d.present:
            by_coder.setdefault(d.coder, []).append(d)
    folder.mkdir(parents=True, exist_ok=True)
    return {coder: append_decisions(folder / f"{coder}.yaml", coder, items)
            for coder, items in sorted(by_coder.items())}


def without_case_codes(project: refi.Project) -> refi.Project:
    """The project without the codes that only link cases to text (Bolyst's export writes them for QualCoder)
    and without their codings."""
    drop = case_guids(project)

    def keep(codes: tuple[refi.Code, ...]) -> tuple[refi.Code, ...]:
        return tuple(replace(c, children=keep(c.children)) for c in codes if c.guid not in drop and not (
            c.name == CASES_NAME and not c.codable and not c.children))  # QualCoder's export keeps it, empty

    sources = tuple(replace(s, selections=tuple(replace(sel, codings=tuple(c for c in sel.codings
                                                                           if c.code not in drop))
                                                for sel in s.selections)) for s in project.sources)
    return replace(project, codes=keep(project.codes), sources=sources)


def import_qdpx(path: Path, corpus_dir: Path | None = None, coding_dir: Path | None = None,
                coder: str | None = None, today: str | None = None, target: Project | None = None) -> QdpxImport:
    """Import a ``.qdpx`` project: new sources and excerpts into ``corpus_dir`` (or ``target``'s folder),
    codings as decisions of their coders into ``coding_dir/decisions`` (or the project's decisions/)."""
    path = Path(path)
    folders = with_folders(target or demo(), corpus_dir, coding_dir)
    folders.writable(f"import {path.name}", folders.corpus_dir, folders.decisions_dir)
    corpus_dir, coding_dir = folders.corpus_dir, folders.coding_dir
    if coder and check_coder(coder):
        raise CodingDecisionError(f"--coder {coder!r}", fix=check_coder(coder))
    today = today or dt.date.today().isoformat()
    result = QdpxImport(path)
    project = without_case_codes(read_qdpx(path))
    codes, unknown = code_ids(project, coding_dir)
    for name in unknown:
        result.problems.append(CodebookError(f"code {name!r} is not in {coding_dir / 'codebook.yaml'}", path=path,
                                             fix="add it to the codebook (with a definition), then import again"))
    if not (coding_dir / "codebook.yaml").exists() and project.codes and not inside_package(coding_dir):
        write_codebook(project, coding_dir / "codebook.yaml")
        result.codebook_written = True
    corpus = read_layers(folders.corpus_dirs, check=False)
    plans = plan_corpus(project, corpus, folders, path, result)
    result.excerpts = write_plans(corpus_dir, plans, result.problems)
    selections = {guid: excerpt for plan in plans for guid, excerpt in plan.selections.items()}
    known = {e.id for e in corpus.excerpts}
    coded = [sel for s in project.sources for sel in s.selections if sel.codings]
    result.matched = sum(1 for sel in coded if selections.get(sel.guid) in known)
    result.unplaced = sum(1 for sel in coded if sel.guid not in selections)
    decisions = plan_decisions(project, selections, codes, coder, today, path, result)
    result.decisions = append_new(folders, decisions)
    return result
