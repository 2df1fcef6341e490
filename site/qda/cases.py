"""Speakers as REFI-QDA cases: unique names, case variables, and links to their text that importers read.

- **Names** are the speaker's label and source (``Amina [fafo-2025-14]``); where two speakers of a source
  share a label, each gets its Bolyst id too (``Flyktning [nibr-derfor-blir-vi-her] (flyktning-rad-…)``),
  so QualCoder, which keeps case names unique, imports every one.
- **Variables**: role (speaker type), origin, gender, and the municipality and centrality of the places the
  speaker's excerpts are about (where they agree on one).
- **Links**: the standard ``SourceRef`` (the speaker's document) and ``SelectionRef`` (each excerpt's
  selection), and what QualCoder reads instead: a codable ``Code`` with the case's GUID, coded on the
  speaker's excerpts. QualCoder turns those codings into case links and drops the code; other tools show it
  under «Talere (cases)». :func:`case_guids` lets an import tell these codes from the codebook's.
"""

from __future__ import annotations

from collections import Counter

from bolyst.corpus.records import Corpus, Excerpt, Speaker

from . import refi

CASE_VARIABLES = (("role", "Text", "Speaker type: the speaker's role as the source describes it."),
                  ("origin", "Text", "Country of origin, where the source states it."),
                  ("gender", "Text", "female or male, where the source states it."),
                  ("municipality", "Text", "Municipality the speaker's excerpts are about, where one is named."),
                  ("centrality", "Integer", "SSB centrality (1 most central – 6) of that place, where known."))
#: The (not codable) parent of the case codes.
CASES_CODE = refi.guid("cases", "speakers")
CASES_NAME = "Talere (cases)"


def case_guid(speaker: str) -> str:
    return refi.guid("speaker", speaker)


def case_names(speakers: list[Speaker]) -> dict[str, str]:
    """Speaker id → case name, unique across the project."""
    base = {s.id: f"{s.label} [{s.source}]" for s in speakers}
    count = Counter(base.values())
    return {sid: name if count[name] == 1 else f"{name} ({sid.split('/', 1)[-1]})" for sid, name in base.items()}


def _one(values: list) -> str | int | None:
    distinct = {v for v in values if v not in (None, "")}
    return distinct.pop() if len(distinct) == 1 else None


def _values(speaker: Speaker, excerpts: list[Excerpt]) -> tuple[tuple[str, str | int], ...]:
    places = [e.place for e in excerpts if e.place is not None]
    found = {"role": speaker.role, "origin": speaker.origin, "gender": speaker.gender,
             "municipality": _one([p.municipality for p in places]), "centrality": _one([p.centrality for p in places])}
    return tuple((refi.guid("variable", name), found[name]) for name, _, _ in CASE_VARIABLES
                 if found[name] not in (None, ""))


def cases(corpus: Corpus, meta) -> tuple[refi.Case, ...]:
    """One case per speaker; ``meta`` makes the Description (Bolyst's speaker fields as YAML)."""
    spoken: dict[str, list[Excerpt]] = {}
    for e in corpus.excerpts:
        if e.speaker:
            spoken.setdefault(e.speaker, []).append(e)
    speakers = sorted(corpus.speakers, key=lambda s: s.id)
    names = case_names(speakers)
    return tuple(refi.Case(
        guid=case_guid(s.id), name=names[s.id],
        description=meta({"speaker": s.id, "pseudonym": s.pseudonym, "description": s.description, "role": s.role,
                          "origin": s.origin, "gender": s.gender, "age": s.age, "years_in_norway": s.years_in_norway}),
        selections=tuple(sorted(refi.guid("excerpt", e.id) for e in spoken.get(s.id, []))),
        values=_values(s, spoken.get(s.id, [])), sources=(refi.guid("source", s.source),))
        for s in speakers)


def case_codes(case_list: tuple[refi.Case, ...]) -> tuple[refi.Code, ...]:
    """The codes QualCoder links cases to text through (one per case with text), under one parent."""
    children = tuple(refi.Code(guid=c.guid, name=c.name, description="Case link (QualCoder): codings of this code "
                               "are the case's text.") for c in case_list if c.selections)
    if not children:
        return ()
    return (refi.Code(guid=CASES_CODE, name=CASES_NAME, codable=False, children=children,
                      description="Speakers as cases: QualCoder turns these codes into case links."),)


def case_coding(speaker: str, excerpt: str, user: str | None, created: str | None) -> refi.Coding:
    return refi.Coding(guid=refi.guid("case-coding", f"{excerpt}|{speaker}"), code=case_guid(speaker), user=user,
                       created=created)


def case_guids(project: refi.Project) -> set[str]:
    """GUIDs of the project's case-link codes (its cases' GUIDs and their parent)."""
    return {c.guid for c in project.cases} | {CASES_CODE}
