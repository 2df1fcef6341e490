"""``bolyst import``: interview transcripts (.txt/.md) and excerpt tables (.csv) into the corpus folder.

An import copies the file verbatim into the project's ``seeds/`` (so every excerpt can be checked against
it) and writes ``sources/<source>/source.yaml`` and ``excerpts.yaml`` there (corpus/project.py). Files are independent: one
bad file is reported and the others are still imported. The same file imported twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import BolystError, CorpusFormatError, ErrorList
from .provenance import check_provenance
from .reader import read_folder
from .records import KINDS, ROLES, SOURCE_FIELDS, Corpus
from .text import content_hash, slugify
from .yamlio import dump_yaml

_TURN = re.compile(r"^(?P<who>[A-ZÆØÅ][\wæøåÆØÅ.\- ]{0,30}):[ \t]+(?P<text>\S.*)$")
_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)---[ \t]*\n", re.S)
_SOURCE_FIELDS = tuple(f for f in SOURCE_FIELDS if f not in ("id", "seed"))  # front matter → source.yaml
CSV_COLUMNS = ("source", "id", "kind", "lang", "text", "section", "page", "speaker", "speaker_role",
               "speaker_description", "pseudonym", "origin", "gender", "age", "years_in_norway", "municipality",
               "landsdel", "centrality", "population_min", "population_max", "place_description",
               "interview_period", "source_title", "source_authors", "source_publisher", "source_year")
CSV_REQUIRED = ("source", "text", "kind", "source_title")


@dataclass
class ImportResult:
    path: Path
    target: str | None = None
    excerpts: int = 0
    unchanged: bool = False
    error: BolystError | None = None


def _fail(path: Path, message: str, line: int | None = None, fix: str | None = None) -> CorpusFormatError:
    return CorpusFormatError(message, path=path, where=f"line {line}" if line else None, fix=fix)


# ---------------------------------------------------------------- transcripts


def parse_transcript(path: Path, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Front matter and speaker turns of a transcript; raises :class:`ErrorList` naming each bad line."""
    match = _FRONT.match(text)
    if not match:
        raise _fail(path, "no YAML front matter", 1,
                    fix="start the file with '---', the interview's metadata (title, year, speakers), '---'")
    try:
        meta = yaml.safe_load(match.group("yaml")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
                    (mark.line + 2) if mark else 1, fix="check the indentation and quoting") from None
    if not isinstance(meta, dict) or not meta.get("title"):
        raise _fail(path, "front matter needs at least 'title'", 1, fix="add 'title: …' between the --- lines")
    declared = meta.get("speakers") or {}
    if not isinstance(declared, dict):
        raise _fail(path, "'speakers' must map a turn prefix to its speaker, e.g. R: {role: refugee}", 1)
    errors: list[BolystError] = []
    for key, spec in declared.items():
        role = (spec or {}).get("role") if isinstance(spec, dict) else None
        if role not in ROLES:
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
    declared = meta.get("speakers") or {}
    default_role = meta.get("role", "refugee")
    speakers, excerpts = {}, []
    for index, turn in enumerate(turns, start=1):
        spec = declared.get(turn["who"]) or ({"role": "researcher"} if turn["who"] in ("I", "Intervjuer") else {})
        role = spec.get("role", default_role)
        if role == "researcher":
            continue  # interviewer's questions stay in the seed, not as excerpts
        speaker_id = slugify(spec.get("pseudonym") or turn["who"])
        speakers[speaker_id] = {"id": speaker_id, **{k: v for k, v in spec.items() if k != "id"},
                                "description": spec.get("description") or spec.get("pseudonym") or turn["who"],
                                "role": role}
        excerpt = {"id": f"turn-{index:03d}", "kind": "quote", "lang": meta.get("language", "nb"),
                   "lines": turn["lines"], "speaker": speaker_id, "text": " ".join(turn["text"])}
        if meta.get("place"):
            excerpt["place"] = meta["place"]
        excerpts.append(excerpt)
    source = {"id": source_id, "seed": seed_name, **{k: meta[k] for k in _SOURCE_FIELDS if k in meta}}
    return source, {"source": source_id, "speakers": list(speakers.values()), "excerpts": excerpts}


# ---------------------------------------------------------------- CSV


def csv_records(path: Path, text: str) -> tuple[list[tuple[dict, dict]], list[BolystError]]:
    """Per source in the CSV: (source.yaml data, excerpts.yaml data); plus an error per bad row."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
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
        sid = slugify(row["source"])
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
        if row.get(column) and not row[column].isdigit():
            return f"{column} is {row[column]!r}", "give a whole number"
    if row.get("centrality") and not 1 <= int(row["centrality"]) <= 6:
        return f"centrality is {row['centrality']}", "SSB centrality classes are 1–6"
    return None


def _csv_place(row: dict[str, str]) -> dict[str, Any] | None:
    profile = {k: int(row[k]) if k != "landsdel" else row[k]
               for k in ("landsdel", "centrality", "population_min", "population_max") if row.get(k)}
    place = {"municipality": row.get("municipality") or None, "profile": profile or None,
             "description": row.get("place_description") or None}
    place = {k: v for k, v in place.items() if v}
    return place or None


# ---------------------------------------------------------------- writing


def _write_source(corpus_dir: Path, source_file: Path, source: dict, records: dict) -> tuple[str, bool]:
    """Write one source's files; returns (folder, unchanged). Rolls back if the result does not validate."""
    folder = corpus_dir / "sources" / source["id"]
    seed = corpus_dir / "seeds" / source["seed"]
    new = {folder / "source.yaml": dump_yaml(source), folder / "excerpts.yaml": dump_yaml(records)}
    if seed.exists() and seed.read_bytes() == source_file.read_bytes() and all(
            p.exists() and p.read_text(encoding="utf-8") == text for p, text in new.items()):
        return str(folder), True
    if (folder / "source.yaml").exists():
        existing = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8")) or {}
        if existing.get("seed") != source["seed"]:
            raise CorpusFormatError(f"source id {source['id']!r} is already used by {existing.get('seed')}",
                                    path=source_file, fix="give the file its own 'source:' id")
    backup = {p: p.read_bytes() for p in [*new, seed] if p.exists()}
    folder.mkdir(parents=True, exist_ok=True)
    seed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_file, seed)
    for p, text in new.items():
        p.write_text(text, encoding="utf-8")
    try:  # only the source just written: re-reading the whole corpus per source made imports quadratic
        corpus = Corpus()
        problems = read_folder(folder, corpus_dir, corpus_dir / "seeds", corpus)
        problems += [e for e in check_provenance(corpus, corpus_dir / "seeds") if source["id"] in str(e)]
        if problems:
            raise ErrorList(problems)
    except BolystError:
        for p in [*new, seed]:
            if p in backup:
                p.write_bytes(backup[p])
            else:
                p.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
        raise
    return str(folder), False


def import_file(path: Path, corpus_dir: Path, taken: Collection[str] = (),
                progress: Callable[[int], None] | None = None) -> list[ImportResult]:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    if path.suffix.lower() == ".csv":
        per_source, row_errors = csv_records(path, text)
    elif path.suffix.lower() in (".txt", ".md", ".markdown"):
        source, records = transcript_records(path, text, seed_name="")
        source["seed"] = f"{source['id']}{path.suffix.lower()}"
        per_source, row_errors = [(source, records)], []
    else:
        raise _fail(path, f"cannot import {path.suffix or 'files without extension'}",
                    fix="import .txt/.md transcripts or .csv excerpt tables")
    results = []
    for source, records in per_source:
        if source["id"] in taken:
            raise CorpusFormatError(f"source id {source['id']!r} is used by the shipped corpus", path=path,
                                    fix="give the file its own 'source:' id")
        folder, unchanged = _write_source(corpus_dir, path, source, records)
        results.append(ImportResult(path, folder, len(records["excerpts"]), unchanged))
        if progress is not None:
            progress(len(records["excerpts"]))
    if row_errors:
        results.append(ImportResult(path, error=ErrorList(row_errors)))
    return results


def import_files(paths: list[Path], corpus_dir: Path, shipped: Sequence[Path] = (),
                 progress: Callable[[int], None] | None = None) -> list[ImportResult]:
    """Import each file into ``corpus_dir`` on its own; a failure is returned as a result with ``error``,
    never raised. Source ids of the ``shipped`` corpus folders (read-only layers) cannot be reused.
    ``progress(n)``: n more excerpts written (for a progress bar)."""
    taken = {p.name for folder in shipped if (Path(folder) / "sources").is_dir()
             for p in (Path(folder) / "sources").iterdir() if p.is_dir()}
    results: list[ImportResult] = []
    for path in paths:
        try:
            results += import_file(Path(path), Path(corpus_dir), taken, progress)
        except BolystError as exc:
            results.append(ImportResult(Path(path), error=exc))
    return results
