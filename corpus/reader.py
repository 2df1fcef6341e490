"""Read the corpus folder (corpus/FORMAT.md) into records, checking each record as it goes.

``read_corpus`` collects every problem it finds and raises them together, each naming the file, the
line and the record, so one pass shows a contributor everything to fix.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from .checker import Checker as _Checker
from .errors import BolystError, CorpusFormatError, ErrorList
from .records import (GENDERS, GENRES, GROUPS, KINDS, ROLES, SOURCE_FIELDS, Corpus, Excerpt, Finding,
                      FindingValue, Place, Source, Speaker)
from .language import detect
from .safewrite import JOURNAL, recover
from .seeds import Seeds
from .yamlio import LINE, load_yaml

_SOURCE_KEYS = set(SOURCE_FIELDS)


def read_source(path: Path, root: Path, seeds: Seeds) -> tuple[Source | None, list[BolystError]]:
    """Read one ``source.yaml``."""
    check = _Checker(path, root)
    data = load_yaml(path)
    if not isinstance(data, dict):
        check.fail(None, "must be a mapping with id, seed, title …")
        return None, check.errors
    unknown = set(data) - _SOURCE_KEYS - {LINE}
    if unknown:
        check.fail(data, f"unknown field(s) {', '.join(sorted(unknown))}",
                   fix=f"allowed: {', '.join(sorted(_SOURCE_KEYS))}")
    ident, seed, title = check.text(data, "id"), check.text(data, "seed"), check.text(data, "title")
    if ident and ident != path.parent.name:
        check.fail(data, f"id {ident!r} differs from its folder {path.parent.name!r}",
                   fix="name the folder after the source id")
    if seed and not seeds.exists(seed):
        check.fail(data, f"seed file {seed!r} is not in {seeds.folder}", fix="copy the source text there")
    authors = data.get("authors") or []
    if not isinstance(authors, list):
        check.fail(data, "'authors' must be a list")
        authors = []
    year = check.integer(data, "year")
    if year is not None and not 1000 <= year <= 2100:
        check.fail(data, f"year {year} is not a year of publication", fix="give a year between 1000 and 2100")
    repairs = data.get("repairs") or []
    if not isinstance(repairs, list):
        check.fail(data, "'repairs' must be a list of what was repaired in the seed text")
        repairs = []
    if check.errors or not (ident and seed and title):
        return None, check.errors
    source = Source(
        id=ident, title=title, seed=seed, authors=tuple(str(a) for a in authors),
        subtitle=check.text(data, "subtitle", False), publisher=check.text(data, "publisher", False),
        year=year, series=check.text(data, "series", False),
        number=check.text(data, "number", False), isbn=check.text(data, "isbn", False),
        url=check.text(data, "url", False), language=check.text(data, "language", False),
        licence=check.text(data, "licence", False) or "not stated",
        interview_period=check.text(data, "interview_period", False),
        cite_as=check.text(data, "cite_as", False),
        group=check.choice(data, "group", GROUPS, required=False),
        accessed=check.text(data, "accessed", False),
        genre=check.choice(data, "genre", GENRES, required=False),
        repairs=tuple(str(r) for r in repairs),
    )
    return source, check.errors


def read_speakers(check: _Checker, source: str, items: Any, seen: set[str]) -> Iterator[Speaker]:
    if not isinstance(items, list):
        check.fail(None, "'speakers' must be a list")
        return
    for item in items:
        if not isinstance(item, dict):
            check.fail(None, f"a speaker must be a mapping, not {item!r}")
            continue
        ident = check.ident(item, seen, "speaker")
        role = check.choice(item, "role", ROLES, required=True)
        description = check.text(item, "description", required=False) or check.text(item, "pseudonym", False)
        if description is None:
            check.fail(item, "speaker needs a 'description' (the source's words) or a 'pseudonym'")
        gender = check.choice(item, "gender", GENDERS, required=False)
        if ident and role and description:
            yield Speaker(id=f"{source}/{ident}", source=source, role=role, description=description,
                          pseudonym=check.text(item, "pseudonym", False), origin=check.text(item, "origin", False),
                          gender=gender, age=check.text(item, "age", False),
                          years_in_norway=check.text(item, "years_in_norway", False))


def read_place(check: _Checker, record: dict[str, Any]) -> Place | None:
    value = record.get("place")
    if value is None:
        return None
    if not isinstance(value, dict):
        check.fail(record, "'place' must be a mapping (municipality, profile, description)")
        return None
    profile = value.get("profile") or {}
    if not isinstance(profile, dict):
        check.fail(record, "'place.profile' must be a mapping (landsdel, centrality, population_min/max)")
        profile = {}
    centrality = check.integer(profile, "centrality")
    if centrality is not None and not 1 <= centrality <= 6:
        check.fail(record, f"centrality class {centrality} is not SSB's 1–6")
        centrality = None
    place = Place(municipality=check.text(value, "municipality", False),
                  landsdel=check.text(profile, "landsdel", False), centrality=centrality,
                  population_min=check.integer(profile, "population_min"),
                  population_max=check.integer(profile, "population_max"),
                  description=check.text(value, "description", False))
    return None if place.is_empty and not place.description else place


def read_records_file(path: Path, root: Path, source: Source, seed_lines: int,
                      seen: dict[str, set[str]]) -> tuple[list[Speaker], list[Excerpt], list[Finding],
                                                          list[BolystError]]:
    """Read one ``excerpts-*.yaml`` or ``findings.yaml`` of ``source``."""
    check = _Checker(path, root)
    data = load_yaml(path)
    if not isinstance(data, dict):
        check.fail(None, "must be a mapping with 'source' and 'excerpts' or 'findings'")
        return [], [], [], check.errors
    if data.get("source") != source.id:
        check.fail(data, f"'source' is {data.get('source')!r} but the file is in {source.id!r}",
                   fix=f"set 'source: {source.id}'")
        return [], [], [], check.errors
    speakers = list(read_speakers(check, source.id, data.get("speakers") or [], seen["speakers"]))
    known = {s.id for s in speakers} | seen["speaker_ids"]
    seen["speaker_ids"].update(s.id for s in speakers)
    excerpts = [e for item in _items(check, data, "excerpts")
                if (e := _excerpt(check, item, source, seed_lines, known, seen["excerpts"]))]
    findings = [f for item in _items(check, data, "findings")
                if (f := _finding(check, item, source, seed_lines, seen["findings"]))]
    return speakers, excerpts, findings, check.errors


def _items(check: _Checker, data: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list):
        check.fail(data, f"'{key}' must be a list")
        return
    for item in items:
        if isinstance(item, dict):
            yield item
        else:
            check.fail(data, f"each of '{key}' must be a mapping, found {str(item)[:40]!r}")


def _excerpt(check: _Checker, item: dict[str, Any], source: Source, seed_lines: int, speakers: set[str],
             seen: set[str]) -> Excerpt | None:
    before = len(check.errors)
    ident = check.ident(item, seen, "excerpt")
    kind = check.choice(item, "kind", KINDS, required=True)
    text = check.text(item, "text")
    speaker = check.text(item, "speaker", required=False)
    if speaker and f"{source.id}/{speaker}" not in speakers:
        check.fail(item, f"unknown speaker {speaker!r}", fix="declare it under 'speakers:' in this source")
    first, last = check.lines(item, seed_lines)
    page = item.get("page")
    place, omits = read_place(check, item), check.omits(item)
    if len(check.errors) > before or not (ident and kind and text):
        return None
    lang = check.text(item, "lang", False) or source.language
    return Excerpt(id=f"{source.id}/{ident}", source=source.id, kind=kind,
                   lang=lang or detect(text), lang_detected=lang is None, text=text, file=check.rel,
                   section=check.text(item, "section", False), page=None if page is None else str(page),
                   line_start=first, line_end=last, speaker=f"{source.id}/{speaker}" if speaker else None,
                   place=place, interview_period=check.text(item, "interview_period", False)
                   or source.interview_period, omits=omits)


def _finding(check: _Checker, item: dict[str, Any], source: Source, seed_lines: int,
             seen: set[str]) -> Finding | None:
    before = len(check.errors)
    ident = check.ident(item, seen, "finding")
    statement = check.text(item, "statement")
    values = []
    for value in item.get("values") or []:
        number = value.get("value") if isinstance(value, dict) else None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            check.fail(item, f"a value must be {{value: number, unit: …}}, found {value!r}")
            continue
        values.append(FindingValue(value=float(number), unit=str(value.get("unit") or ""),
                                   label=value.get("label")))
    first, last = check.lines(item, seed_lines)
    omits = check.omits(item)
    if len(check.errors) > before or not (ident and statement):
        return None
    return Finding(id=f"{source.id}/{ident}", source=source.id, statement=statement, file=check.rel,
                   values=tuple(values), population=check.text(item, "population", False),
                   period=check.text(item, "period", False), section=check.text(item, "section", False),
                   table=check.text(item, "table", False), line_start=first, line_end=last, omits=omits)


def read_corpus(root: Path | None = None, seeds_dir: Path | None = None,
                only: Collection[str] | None = None, seeds: Seeds | None = None) -> Corpus:
    """Read every source folder under ``root/sources`` (or those named in ``only``); raise :class:`ErrorList`
    listing all problems. ``seeds`` may hold seed texts read already (an import's, before it writes them)."""
    from . import CORPUS_DIR

    root = root or CORPUS_DIR
    seeds = seeds if seeds is not None else Seeds(seeds_dir or root / "seeds")
    if (root / JOURNAL).is_file():
        recover(root)  # finish a write that was interrupted after it was committed (corpus/safewrite.py)
    corpus, errors = Corpus(), []
    folders = (p for p in (root / "sources").iterdir() if p.is_dir() and (only is None or p.name in only))
    for folder in sorted(folders):
        errors += read_folder(folder, root, seeds, corpus)
    if errors:
        raise ErrorList(errors)
    return corpus


def read_folder(folder: Path, root: Path, seeds: Seeds, corpus: Corpus) -> list[BolystError]:
    """Read one source folder into ``corpus``; returns its problems (an import checks just the source it wrote)."""
    errors: list[BolystError] = []
    source_file = folder / "source.yaml"
    if not source_file.is_file():
        return [CorpusFormatError("folder has no source.yaml", path=folder,
                                  fix="add source.yaml with the document's citation")]
    try:
        source, problems = read_source(source_file, root, seeds)
    except BolystError as exc:
        return [exc]
    errors += problems
    if source is None:
        return errors
    corpus.sources.append(source)
    seed_lines = seeds.line_count(source.seed)
    seen: dict[str, set[str]] = {"speakers": set(), "speaker_ids": set(), "excerpts": set(), "findings": set()}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "source.yaml":
            continue
        try:
            speakers, excerpts, findings, problems = read_records_file(path, root, source, seed_lines, seen)
        except BolystError as exc:
            errors.append(exc)
            continue
        errors += problems
        corpus.speakers += speakers
        corpus.excerpts += excerpts
        corpus.findings += findings
    return errors
