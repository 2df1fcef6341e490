"""Write corpus records to SQLite. The only module of bolyst.corpus that touches a database."""

from __future__ import annotations

from dataclasses import asdict

import sqlite_utils

from .lemmas import lemmatize
from .records import Corpus, Excerpt, Place, Source, Speaker
from .text import content_hash


def line_range(start: int, end: int | None) -> str:
    """'l. 11' for one line, 'l. 11–14' for several (never 'l. 11–11')."""
    return f"l. {start}" if end in (None, start) else f"l. {start}–{end}"


def excerpt_citation(excerpt: Excerpt, source: Source, speaker: Speaker | None) -> str:
    """'Fafo-rapport 2025:14, 4.2 Grunner til å bli boende, l. 2267–2268. Amina (refugee).'"""
    bits = [source.short]
    if excerpt.section:
        bits.append(excerpt.section)
    if excerpt.page:
        bits.append(f"p. {excerpt.page}")
    if excerpt.line_start:
        bits.append(line_range(excerpt.line_start, excerpt.line_end))
    text = ", ".join(bits) + "."
    if speaker:
        text += f" {speaker.label} ({speaker.role.replace('_', ' ')})."
    return text


def place_row(place: Place) -> dict:
    return {"id": place.id, "kind": place.kind, "label": place.label,
            "municipality_name": place.municipality, "landsdel": place.landsdel,
            "centrality": place.centrality, "population_min": place.population_min,
            "population_max": place.population_max}


def save_corpus(db: sqlite_utils.Database, corpus: Corpus) -> dict[str, int]:
    """Upsert every record; returns counts per table."""
    sources = {s.id: s for s in corpus.sources}
    speakers = {s.id: s for s in corpus.speakers}
    db["sources"].upsert_all(
        ({**{k: v for k, v in asdict(s).items() if k not in ("seed", "authors", "cite_as", "repairs")},
          "authors": "; ".join(s.authors), "repairs": "; ".join(s.repairs) or None, "seed_file": s.seed, "citation": s.citation, "short": s.short}
         for s in corpus.sources), pk="id")
    db["speakers"].upsert_all(
        ({**asdict(s), "label": s.label} for s in corpus.speakers), pk="id")
    places = {e.place.id: place_row(e.place) for e in corpus.excerpts if e.place and not e.place.is_empty}
    db["places"].upsert_all((places[k] for k in sorted(places)), pk="id")
    rows = []
    for e in corpus.excerpts:
        speaker = speakers.get(e.speaker) if e.speaker else None
        has_place = e.place is not None and not e.place.is_empty
        rows.append({
            "id": e.id, "text": e.text, "kind": e.kind, "lang": e.lang, "lang_detected": int(e.lang_detected),
            "source": e.source, "source_group": sources[e.source].group,
            "section": e.section, "page": e.page, "line_start": e.line_start, "line_end": e.line_end,
            "speaker": e.speaker, "speaker_role": speaker.role if speaker else None,
            "place": e.place.id if has_place else None,
            "place_description": e.place.description if e.place else None,
            "landsdel": e.place.landsdel if e.place else None,
            "interview_period": e.interview_period,
            "citation": excerpt_citation(e, sources[e.source], speaker),
            "lemmas": " ".join(lemmatize(e.text, e.lang)),
            "file": e.file, "content_hash": content_hash(e.text),
        })
    db["excerpts"].upsert_all(rows, pk="id")
    db["findings"].upsert_all(
        ({"id": f.id, "statement": f.statement, "source": f.source, "section": f.section, "table_ref": f.table,
          "population": f.population, "period": f.period, "line_start": f.line_start, "line_end": f.line_end,
          "citation": ", ".join(b for b in (sources[f.source].short, f.section, f.table,
                                            line_range(f.line_start, f.line_end) if f.line_start else None) if b) + ".",
          "file": f.file} for f in corpus.findings), pk="id")
    db["finding_values"].upsert_all(
        ({"finding": f.id, "position": i, "value": v.value, "unit": v.unit, "label": v.label}
         for f in corpus.findings for i, v in enumerate(f.values)), pk=("finding", "position"))
    return {"sources": len(corpus.sources), "speakers": len(corpus.speakers), "places": len(places),
            "excerpts": len(rows), "findings": len(corpus.findings)}
