"""A REFI-QDA project's text sources as Bolyst corpus records (corpus/FORMAT.md), ready to write.

A text source Bolyst exported carries its fields as YAML in its Description (and every selection and
case too), so it comes back exactly. A text source made in another tool becomes a new source whose seed
is its text; each of its selections becomes an excerpt (the selected text with line breaks folded to
spaces), spoken by the case the selection belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from bolyst.corpus.records import ROLES, SOURCE_FIELDS
from bolyst.corpus.text import slugify

from . import refi
from .spans import line_of

#: Every citation field of a corpus source (all but its id and seed file), so a new field travels too.
SOURCE_KEYS = tuple(f for f in SOURCE_FIELDS if f not in ("id", "seed"))
SPEAKER_KEYS = ("pseudonym", "description", "role", "origin", "gender", "age", "years_in_norway")


def read_meta(text: str | None) -> dict[str, Any]:
    """The Bolyst fields of a Description (``{}`` when it is free text, as other tools write it)."""
    if not text:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class SourcePlan:
    """One text source as corpus files: ``source`` (source.yaml) and excerpt files by name."""

    id: str
    seed: str
    text: str
    source: dict[str, Any]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name -> {source, speakers, excerpts}
    selections: dict[str, str] = field(default_factory=dict)  # selection GUID -> excerpt id


def source_id(source: refi.Source) -> str:
    meta = read_meta(source.description)
    return str(meta.get("source") or slugify(source.name))


def _speaker_of_case(case: refi.Case, variables: dict[str, str]) -> dict[str, Any]:
    meta = read_meta(case.description)
    if meta.get("speaker"):
        local = str(meta["speaker"]).split("/", 1)[-1]
        return {"id": local, **{k: meta[k] for k in SPEAKER_KEYS if meta.get(k) is not None}}
    values = {variables.get(v): value for v, value in case.values}
    role = values.get("role") if values.get("role") in ROLES else "other"
    speaker = {"id": slugify(case.name), "description": case.name, "role": role}
    speaker.update({k: values[k] for k in ("origin", "gender") if values.get(k)})
    if speaker.get("gender") not in (None, "female", "male"):
        del speaker["gender"]
    return speaker


def _excerpt(sel: refi.Selection, text: str, speaker: dict | None,
             default_lang: str) -> tuple[str, dict[str, Any]]:
    meta = read_meta(sel.description)
    if meta.get("excerpt") and meta.get("text"):
        local = str(meta["excerpt"]).split("/", 1)[-1]
        record = {"id": local, "kind": meta.get("kind", "quote"), "lang": meta.get("lang", default_lang)}
        for key in ("section", "page", "lines"):
            if meta.get(key) is not None:
                record[key] = meta[key]
        if meta.get("speaker"):
            record["speaker"] = str(meta["speaker"]).split("/", 1)[-1]
        for key in ("place", "interview_period", "omits"):
            if meta.get(key):
                record[key] = meta[key]
        record["text"] = meta["text"]
        return str(meta.get("file") or ""), record
    # made in a QDA tool: the id comes from the selection's GUID, so importing again finds it
    local = f"{slugify(sel.name, 40)}-{sel.guid[:8]}" if sel.name else f"qda-{sel.guid[:8]}"
    record = {"id": local, "kind": "quote" if speaker else "narrative", "lang": default_lang,
              "lines": [line_of(text, sel.start), line_of(text, sel.end - 1)]}
    if speaker:
        record["speaker"] = speaker["id"]
    record["text"] = re.sub(r"\s+", " ", text[sel.start:sel.end]).strip()
    return "", record


def plan_source(source: refi.Source, project: refi.Project, seed_name: str) -> SourcePlan:
    """Corpus records for a text source that the corpus does not have yet."""
    meta = read_meta(source.description)
    sid = source_id(source)
    record = {"id": sid, "seed": seed_name, "title": meta.get("title") or source.name}
    record.update({k: meta[k] for k in SOURCE_KEYS if k != "title" and meta.get(k) not in (None, "", [])})
    plan = SourcePlan(id=sid, seed=seed_name, text=source.text, source=record)
    variables = {v.guid: v.name for v in project.variables}
    case_of = {sel: case for case in project.cases for sel in case.selections}
    speakers: dict[str, dict] = {}
    for case in project.cases:
        case_source = str(read_meta(case.description).get("speaker") or "").split("/", 1)[0]
        if case_source == sid:
            speakers.setdefault(_speaker_of_case(case, variables)["id"], _speaker_of_case(case, variables))
    for sel in source.selections:
        case = case_of.get(sel.guid)
        speaker = _speaker_of_case(case, variables) if case else None
        if speaker:
            speakers.setdefault(speaker["id"], speaker)
        file, excerpt = _excerpt(sel, source.text, speaker, record.get("language", "nb"))
        name = file.rsplit("/", 1)[-1] if file.rsplit("/", 1)[-1].startswith("excerpts") else "excerpts.yaml"
        plan.files.setdefault(name, {"source": sid, "speakers": [], "excerpts": []})["excerpts"].append(excerpt)
        plan.selections[sel.guid] = f"{sid}/{excerpt['id']}"
    if plan.files:
        first = plan.files[min(plan.files)]
        first["speakers"] = [speakers[k] for k in sorted(speakers)]
    return plan


def new_excerpts(source: refi.Source, project: refi.Project, sid: str, known: set[str],
                 known_speakers: set[str], language: str) -> SourcePlan:
    """Selections of a text source the corpus has, whose excerpts it does not have (made in a QDA tool)."""
    plan = SourcePlan(id=sid, seed="", text=source.text, source={})
    variables = {v.guid: v.name for v in project.variables}
    case_of = {sel: case for case in project.cases for sel in case.selections}
    records = {"source": sid, "speakers": [], "excerpts": []}
    for sel in source.selections:
        meta_id = read_meta(sel.description).get("excerpt")
        if meta_id in known:
            plan.selections[sel.guid] = meta_id
            continue
        case = case_of.get(sel.guid)
        speaker = _speaker_of_case(case, variables) if case else None
        _, excerpt = _excerpt(sel, source.text, speaker, language)
        if f"{sid}/{excerpt['id']}" in known:
            plan.selections[sel.guid] = f"{sid}/{excerpt['id']}"
            continue
        if speaker and f"{sid}/{speaker['id']}" not in known_speakers and \
                speaker["id"] not in {s["id"] for s in records["speakers"]}:
            records["speakers"].append(speaker)
        records["excerpts"].append(excerpt)
        plan.selections[sel.guid] = f"{sid}/{excerpt['id']}"
    if records["excerpts"]:
        plan.files["excerpts-qdpx.yaml"] = records
    return plan
