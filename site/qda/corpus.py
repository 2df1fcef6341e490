"""A REFI-QDA project's text sources as Bolyst corpus records (corpus/FORMAT.md), ready to write.

A text source Bolyst exported carries its fields as YAML in its Description (and every selection and
case too), so it comes back exactly. A text source made in another tool becomes a new source whose seed
is its text; each of its selections becomes an excerpt (the selected text with line breaks folded to
spaces), spoken by the case the selection belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from bolyst.corpus.records import ROLES, SOURCE_FIELDS
from bolyst.corpus.text import normalise, slugify

from . import refi
from .spans import line_of

#: Every citation field of a corpus source (all but its id and seed file), so a new field travels too.
SOURCE_KEYS = tuple(f for f in SOURCE_FIELDS if f not in ("id", "seed"))
SPEAKER_KEYS = ("pseudonym", "description", "role", "origin", "gender", "age", "years_in_norway")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's where installed)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_meta(text: str | None) -> dict[str, Any]:
    """The Bolyst fields of a Description (``{}`` when it is free text, as other tools write it); read once
    per text (a project names the same case in every source)."""
    return dict(_parsed(text)) if text else {}


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
    start, end = span_key(text, sel.start, sel.end)
    record = {"id": local, "kind": "quote" if speaker else "narrative", "lang": default_lang,
              "lines": [line_of(text, start), line_of(text, end - 1)]}
    if speaker:
        record["speaker"] = speaker["id"]
    record["text"] = normalise(text[start:end])  # the one rule: line-break hyphenation and white space
    return "", record


def span_key(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection without white space at its ends (tools select a space more or less)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _bolyst_excerpt(sel: refi.Selection) -> str | None:
    meta = read_meta(sel.description)
    return str(meta["excerpt"]) if meta.get("excerpt") and meta.get("text") else None


def _plan_selections(source: refi.Source, project: refi.Project, plan: SourcePlan, spans: dict[tuple[int, int], str],
                     known: set[str], language: str, default_file: str | None) -> dict[str, dict]:
    """Map every selection of ``source`` to an excerpt: a known one with the same span (or id), else a new one
    (only a selection with codings or Bolyst's fields: one without is an annotation). Returns new speakers."""
    variables = {v.guid: v.name for v in project.variables}
    case_of = {sel: case for case in project.cases for sel in case.selections}
    speakers: dict[str, dict] = {}
    for sel in sorted(source.selections, key=lambda s: _bolyst_excerpt(s) is None):  # Bolyst's own first
        key, own = span_key(source.text, sel.start, sel.end), _bolyst_excerpt(sel)
        found = own if own in known else spans.get(key)
        if found is None and own is None and not sel.codings:
            continue
        if found is None:
            case = case_of.get(sel.guid)
            speaker = _speaker_of_case(case, variables) if case else None
            file, excerpt = _excerpt(sel, source.text, speaker, language)
            found = f"{plan.id}/{excerpt['id']}"
            if found not in known:
                if speaker:
                    speakers.setdefault(speaker["id"], speaker)
                name = file.rsplit("/", 1)[-1]
                name = default_file or (name if name.startswith("excerpts") else "excerpts.yaml")
                plan.files.setdefault(name, {"source": plan.id, "speakers": [], "excerpts": []})[
                    "excerpts"].append(excerpt)
                known.add(found)
        spans.setdefault(key, found)
        plan.selections[sel.guid] = found
    return speakers


def plan_source(source: refi.Source, project: refi.Project, seed_name: str) -> SourcePlan:
    """Corpus records for a text source that the corpus does not have yet."""
    meta = read_meta(source.description)
    sid = source_id(source)
    record = {"id": sid, "seed": seed_name, "title": meta.get("title") or source.name}
    record.update({k: meta[k] for k in SOURCE_KEYS if k != "title" and meta.get(k) not in (None, "", [])})
    plan = SourcePlan(id=sid, seed=seed_name, text=source.text, source=record)
    variables = {v.guid: v.name for v in project.variables}
    speakers: dict[str, dict] = {}
    for case in project.cases:
        case_source = str(read_meta(case.description).get("speaker") or "").split("/", 1)[0]
        if case_source == sid:
            speakers.setdefault(_speaker_of_case(case, variables)["id"], _speaker_of_case(case, variables))
    for key, speaker in _plan_selections(source, project, plan, {}, set(), record.get("language", "nb"),
                                         None).items():
        speakers.setdefault(key, speaker)
    if plan.files:
        first = plan.files[min(plan.files)]
        first["speakers"] = [speakers[k] for k in sorted(speakers)]
    return plan


def new_excerpts(source: refi.Source, project: refi.Project, sid: str, spans: dict[tuple[int, int], str],
                 known: set[str], known_speakers: set[str], language: str) -> SourcePlan:
    """Selections of a text source the corpus has: mapped to its excerpts by span (``spans``: the excerpts'
    passages in the text), the others become new excerpts in ``excerpts-qdpx.yaml``."""
    plan = SourcePlan(id=sid, seed="", text=source.text, source={})
    speakers = _plan_selections(source, project, plan, dict(spans), set(known), language, "excerpts-qdpx.yaml")
    if plan.files:
        plan.files["excerpts-qdpx.yaml"]["speakers"] = [speakers[k] for k in sorted(speakers)
                                                        if f"{sid}/{k}" not in known_speakers]
    return plan
