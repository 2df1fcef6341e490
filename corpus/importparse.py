"""Parsing what ``bolyst import`` reads: interview transcripts (.txt/.md) and excerpt tables (.csv).

Pure: text in, corpus records out (corpus/FORMAT.md), or errors naming the file and line. Linear in the
input: each line is looked at once, and the front matter is bounded YAML (no aliases, limited depth).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from .errors import BolystError, CorpusFormatError, ErrorList
from .records import KINDS, ROLES, SOURCE_FIELDS
from .safewrite import safe_id
from .text import slugify
from .yamlio import safe_load

_TURN = re.compile(r"^(?P<who>[A-ZÆØÅ][\wæøåÆØÅ.\- ]{0,30}):[ \t]+(?P<text>\S.*)$")
_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)---[ \t]*\n", re.S)
_SOURCE_FIELDS = tuple(f for f in SOURCE_FIELDS if f not in ("id", "seed"))  # front matter → source.yaml
_FRONT_ONLY = ("source", "speakers", "role", "place")  # front-matter fields that are not source.yaml's
CSV_COLUMNS = ("source", "id", "kind", "lang", "text", "section", "page", "speaker", "speaker_role",
               "speaker_description", "pseudonym", "origin", "gender", "age", "years_in_norway", "municipality",
               "landsdel", "centrality", "population_min", "population_max", "place_description",
               "interview_period", "source_title", "source_authors", "source_publisher", "source_year")
CSV_REQUIRED = ("source", "text", "kind", "source_title")
#: A CSV cell may hold a long passage, not a whole book.
MAX_CSV_FIELD = 1_000_000


def _fail(path: Path, message: str, line: int | None = None, fix: str | None = None) -> CorpusFormatError:
    return CorpusFormatError(message, path=path, where=f"line {line}" if line else None, fix=fix)


# ---------------------------------------------------------------- transcripts


def parse_transcript(path: Path, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Front matter and speaker turns of a transcript; raises :class:`ErrorList` naming each bad line."""
    match = _FRONT.match(text)
    if not match:
        raise _fail(path, "no YAML front matter", 1,
                    fix="start the file with '---', the interview's metadata (title, year, speakers), '---'")
    meta = safe_load(match.group("yaml"), path, line_offset=1) or {}
    if not isinstance(meta, dict) or not meta.get("title"):
        raise _fail(path, "front matter needs at least 'title'", 1, fix="add 'title: …' between the --- lines")
    declared = meta.get("speakers") or {}
    if not isinstance(declared, dict):
        raise _fail(path, "'speakers' must map a turn prefix to its speaker, e.g. R: {role: refugee}", 1)
    if not isinstance(meta["title"], str):
        raise _fail(path, f"'title' must be text, not {type(meta['title']).__name__}", 1,
                    fix="write the title as text, e.g. title: \"Intervju 3\"")
    if "source" in meta:
        safe_id(meta["source"], "'source'", path=path)
    unknown = sorted(str(k) for k in meta if k not in (*_SOURCE_FIELDS, *_FRONT_ONLY))
    if unknown:
        raise _fail(path, f"unknown front-matter field(s) {', '.join(unknown)}", 1,
                    fix=f"allowed: {', '.join((*_FRONT_ONLY, *_SOURCE_FIELDS))} (corpus/FORMAT.md)")
    errors: list[BolystError] = []
    for key, spec in declared.items():
        role = (spec or {}).get("role") if isinstance(spec, dict) else None
        if not isinstance(key, str):
            errors.append(_fail(path, f"speaker prefix {key!r} must be text", 1, fix="e.g. R: {role: refugee}"))
        elif role not in ROLES:
            errors.append(_fail(path, f"speaker {key!r} has role {role!r}", 1, fix=f"use one of: {', '.join(ROLES)}"))
    offset = text[:match.end()].count("\n")
    turns: list[dict[str, Any]] = []
    for number, line in enumerate(text[match.end():].split("\n"), start=offset + 1):
        turn = _TURN.match(line)
        if turn:
            who = turn.group("who").strip()
            if declared and who not in declared:
                errors.append(_fail(path, f"speaker {who!r} is not declared", number,
                                    fix=f"add '{who}:' under 'speakers:' in the front matter, or fix the prefix"))
                continue
            turns.append({"who": who, "lines": [number, number], "text": [turn.group("text").strip()]})
        elif line.strip():
            if not turns:
                errors.append(_fail(path, "text before the first speaker turn", number,
                                    fix="start each turn with 'I:', 'R:' or 'Name:'"))
                continue
            turns[-1]["text"].append(line.strip())
            turns[-1]["lines"][1] = number
    if not turns and not errors:
        errors.append(_fail(path, "no speaker turns found", None, fix="start each turn with 'I:', 'R:' or 'Name:'"))
    if errors:
        raise ErrorList(errors)
    return meta, turns


def transcript_records(path: Path, text: str, seed_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    meta, turns = parse_transcript(path, text)
    source_id = meta.get("source") or slugify(path.stem)
    for key in ("place", "role", "language"):
        if key in meta and not isinstance(meta[key], str if key != "place" else (str, dict)):
            raise _fail(path, f"'{key}' has the wrong type ({type(meta[key]).__name__})", 1,
                        fix="see corpus/FORMAT.md for the front matter fields")
    declared = meta.get("speakers") or {}
    default_role = meta.get("role", "refugee")
    speakers, excerpts = {}, []
    for index, turn in enumerate(turns, start=1):
        spec = declared.get(turn["who"]) or ({"role": "researcher"} if turn["who"] in ("I", "Intervjuer") else {})
        role = spec.get("role", default_role)
        if role == "researcher":
            continue  # interviewer's questions stay in the seed, not as excerpts
        speaker_id = slugify(str(spec.get("pseudonym") or turn["who"]))
        speakers[speaker_id] = {"id": speaker_id, **{k: v for k, v in spec.items() if k != "id"},
                                "description": spec.get("description") or spec.get("pseudonym") or turn["who"],
                                "role": role}
        excerpt = {"id": f"turn-{index:03d}", "kind": "quote", "lang": meta.get("language", "nb"),
                   "lines": turn["lines"], "speaker": speaker_id, "text": " ".join(turn["text"])}
        if meta.get("place"):
            excerpt["place"] = meta["place"]
        excerpts.append(excerpt)
    if not excerpts:
        raise _fail(path, "every turn is the interviewer's: no excerpts to import", None,
                    fix="start the interviewee's turns with 'R:' or their name, declared under 'speakers:'")
    source = {"id": source_id, "seed": seed_name, **{k: meta[k] for k in _SOURCE_FIELDS if k in meta}}
    return source, {"source": source_id, "speakers": list(speakers.values()), "excerpts": excerpts}


# ---------------------------------------------------------------- CSV


def csv_records(path: Path, text: str) -> tuple[list[tuple[dict, dict]], list[BolystError]]:
    """Per source in the CSV: (source.yaml data, excerpts.yaml data); plus an error per bad row."""
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
        return _csv_rows(path, reader, header)
    except csv.Error as exc:
        raise _fail(path, f"not a readable CSV table ({exc})", reader.line_num or None,
                    fix=f"check quoting; a cell holds at most {MAX_CSV_FIELD:,} characters") from None


def _csv_rows(path: Path, reader: csv.DictReader, header: list[str]) -> tuple[list[tuple[dict, dict]],
                                                                              list[BolystError]]:
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise _fail(path, f"missing column(s) {', '.join(missing)}", 1,
                    fix=f"the header needs {', '.join(CSV_REQUIRED)}; optional: {', '.join(CSV_COLUMNS)}")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise _fail(path, f"unknown column(s) {', '.join(unknown)}", 1, fix=f"allowed: {', '.join(CSV_COLUMNS)}")
    errors: list[BolystError] = []
    by_source: dict[str, tuple[dict, dict]] = {}
    for row in reader:
        line = reader.line_num
        row = {k: (v or "").strip() for k, v in row.items() if k}
        problem = _row_problem(row)
        if problem:
            errors.append(_fail(path, problem[0], line, fix=problem[1]))
            continue
        sid = slugify(row["source"])  # a CSV's source column is a name; its slug is the id
        source, records = by_source.setdefault(sid, (
            {"id": sid, "seed": f"{sid}.csv", "title": row["source_title"],
             **({"authors": [a.strip() for a in row["source_authors"].split(";")]} if row.get("source_authors") else {}),
             **({"publisher": row["source_publisher"]} if row.get("source_publisher") else {}),
             **({"year": int(row["source_year"])} if row.get("source_year") else {})},
            {"source": sid, "speakers": [], "excerpts": []}))
        excerpt = {"id": slugify(row.get("id") or f"row-{line}"), "kind": row["kind"],
                   "lang": row.get("lang") or "nb", "text": row["text"]}
        for key in ("section", "page", "interview_period"):
            if row.get(key):
                excerpt[key] = row[key]
        if row.get("speaker"):
            speaker = {"id": slugify(row["speaker"]), "role": row.get("speaker_role") or "other",
                       "description": row.get("speaker_description") or row["speaker"]}
            speaker.update({k: row[k] for k in ("pseudonym", "origin", "gender", "age", "years_in_norway") if row.get(k)})
            if speaker["id"] not in {s["id"] for s in records["speakers"]}:
                records["speakers"].append(speaker)
            excerpt["speaker"] = speaker["id"]
        place = _csv_place(row)
        if place:
            excerpt["place"] = place
        records["excerpts"].append(excerpt)
    return list(by_source.values()), errors


def _row_problem(row: dict[str, str]) -> tuple[str, str] | None:
    for column in CSV_REQUIRED:
        if not row.get(column):
            return f"empty '{column}'", f"fill in '{column}' (see corpus/FORMAT.md)"
    if row["kind"] not in KINDS:
        return f"kind is {row['kind']!r}", f"use one of: {', '.join(KINDS)}"
    if row.get("speaker_role") and row["speaker_role"] not in ROLES:
        return f"speaker_role is {row['speaker_role']!r}", f"use one of: {', '.join(ROLES)}"
    for column in ("centrality", "population_min", "population_max", "source_year"):
        if row.get(column) and not (row[column].isascii() and row[column].isdigit() and len(row[column]) < 10):
            return f"{column} is {row[column]!r}", "give a whole number"
    if row.get("centrality") and not 1 <= int(row["centrality"]) <= 6:
        return f"centrality is {row['centrality']}", "SSB centrality classes are 1–6"
    if row.get("source_year") and not 1000 <= int(row["source_year"]) <= 2100:
        return f"source_year is {row['source_year']}", "give the year of publication (1000–2100)"
    return None


def _csv_place(row: dict[str, str]) -> dict[str, Any] | None:
    profile = {k: int(row[k]) if k != "landsdel" else row[k]
               for k in ("landsdel", "centrality", "population_min", "population_max") if row.get(k)}
    place = {"municipality": row.get("municipality") or None, "profile": profile or None,
             "description": row.get("place_description") or None}
    place = {k: v for k, v in place.items() if v}
    return place or None
