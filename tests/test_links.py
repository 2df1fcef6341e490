"""Linking excerpts to municipalities: exact, mention (with the stoplist), profile sets.

Fixture: six real municipalities (numbers, names, counties and centrality classes as in SSB's 2024
classification); their populations are SYNTHETIC round numbers chosen so the profile bands are easy to
count by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bolyst.corpus.errors import ErrorList, StatsDataError, UnknownMunicipality
from bolyst.stats.gazetteer import build_gazetteer, find_mentions, make_nlp
from bolyst.stats.links import link_excerpts, profile_members, reference_year
from bolyst.stats.regions import landsdel_of, population_band, region_counties

MUNICIPALITIES = pd.DataFrame({
    "number": ["3427", "3310", "3228", "1820", "1860", "1515"],
    "name": ["Tynset", "Hole", "Nes", "Alstahaug", "Vestvågøy", "Herøy"],
    "county": ["34", "33", "32", "18", "18", "15"],
    "centrality_class": [5, 3, 3, 5, 5, 5],
})
# SYNTHETIC populations (1 January 2024 and 2025).
POPULATION = pd.DataFrame({
    "municipality": MUNICIPALITIES["number"].tolist() * 2,
    "year": [2024] * 6 + [2025] * 6,
    "value": [5600, 7000, 24000, 7400, 11500, 8800, 5650, 7100, 24300, 7450, 11600, 8850],
})
NAMES = pd.DataFrame({
    "municipality": ["3427", "3310", "3228", "1820", "1860", "1515", "1818", "1580"],
    "name": ["Tynset", "Hole", "Nes", "Alstahaug", "Vestvågøy", "Herøy", "Herøy", "Haram"],
})
PLACES = pd.DataFrame([
    {"id": "municipality:Tynset", "kind": "municipality", "municipality_name": "Tynset"},
    {"id": "profile:Nord-Norge|sentralitet 5|5 000–10 000 innbyggere", "kind": "profile",
     "landsdel": "Nord-Norge", "centrality": 5, "population_min": 5000, "population_max": 10000},
])


def excerpt(id: str, text: str, place: str | None = None, description: str | None = None) -> dict:
    return {"id": id, "text": text, "place": place, "place_description": description,
            "interview_period": "høsten 2024–våren 2025", "source_year": 2025, "file": "sources/x/excerpts.yaml"}


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(NAMES)


@pytest.fixture(scope="module")
def nlp(gazetteer):
    return make_nlp(gazetteer)


@pytest.mark.parametrize("text, expected", [
    ("Vi flyttet fra Tynset til Oslo.", [("Tynset", "proper noun")]),
    ("Tynsets skole var god.", [("Tynset", "proper noun")]),
    ("Hole kommune tok imot oss.", [("Hole", "before 'kommune'")]),
    ("De bodde i Nes i fem år.", [("Nes", "after 'i'")]),
    ("Hole i veggen var stort.", []),          # common word at sentence start: stoplist
    ("Nes er et ord for odde.", []),
    ("Det var et nes ved sjøen.", []),          # lower case: never a proper noun
    ("We moved from Hole to Nes.", [("Hole", "after 'from'"), ("Nes", "after 'to'")]),
])
def test_mentions_respect_case_and_stoplist(nlp, gazetteer, text, expected):
    assert [(m.name, m.context) for m in find_mentions(nlp, gazetteer, text)] == expected


def test_ambiguous_name_lists_every_candidate(nlp, gazetteer):
    [mention] = find_mentions(nlp, gazetteer, "Hun kom fra Herøy.")
    assert mention.municipalities == ("1515", "1818")


def test_sami_and_official_forms_split(gazetteer):
    split = build_gazetteer(pd.DataFrame({"municipality": ["0301"], "name": ["Oslo - Oslove"]}))
    assert split.names == {"Oslo": ("0301",), "Oslove": ("0301",)}


def test_link_excerpts_exact_mention_and_profile(gazetteer):
    excerpts = pd.DataFrame([
        excerpt("s/a", "Her på Tynset er det fint.", "municipality:Tynset"),
        excerpt("s/b", "Vi flyttet til Hole kommune.", None, "en kommune på Østlandet"),
        excerpt("s/c", "Det var kaldt.", PLACES["id"][1], "et lite sted i Nord-Norge"),
    ])
    found, members = link_excerpts(excerpts, PLACES, MUNICIPALITIES, POPULATION, gazetteer)
    rows = found.to_dict("records")
    assert rows[0] == {"excerpt": "s/a", "municipality": "3427", "link_type": "exact", "weight": 1.0,
                       "reason": "source names the municipality «Tynset»", "profile": None}
    assert rows[1]["excerpt"] == "s/b" and rows[1]["link_type"] == "mention" and rows[1]["municipality"] == "3310"
    assert rows[1]["reason"] == "«Hole» in the text (before 'kommune')"
    # Nord-Norge (counties 18, 55, 56), class 5, 5000–10000 on 1 Jan 2024: Alstahaug (7400) only;
    # Vestvågøy has 11500 inhabitants, Herøy 1515 is in Møre og Romsdal (Vestlandet).
    profile = [r for r in rows if r["link_type"] == "profile"]
    assert [(r["excerpt"], r["municipality"], r["weight"]) for r in profile] == [("s/c", "1820", 1.0)]
    assert profile[0]["profile"] == PLACES["id"][1] + "@2024"
    assert members["municipality"].tolist() == ["1820"]
    assert len(rows) == 3  # the exact municipality is not repeated as a mention


def test_profile_weight_is_one_over_n():
    place = pd.Series({"landsdel": "Nord-Norge", "centrality": 5, "population_min": None, "population_max": None})
    pop = POPULATION[POPULATION["year"] == 2024].set_index("municipality")["value"]
    members = profile_members(place, MUNICIPALITIES, pop)
    assert members["municipality"].tolist() == ["1820", "1860"]


def test_unknown_exact_name_is_a_clear_error(gazetteer):
    places = pd.DataFrame([{"id": "municipality:Tynsett", "kind": "municipality", "municipality_name": "Tynsett"}])
    excerpts = pd.DataFrame([excerpt("s/x", "Tekst.", "municipality:Tynsett")])
    with pytest.raises(ErrorList) as info:
        link_excerpts(excerpts, places, MUNICIPALITIES, POPULATION, gazetteer)
    [error] = info.value.errors
    assert isinstance(error, UnknownMunicipality)
    assert str(error).startswith("sources/x/excerpts.yaml, s/x: place.municipality 'Tynsett' is not a municipality")


def test_reference_year_from_interview_period_else_source():
    assert reference_year("høsten 2024–våren 2025", 2025) == 2024
    assert reference_year(None, 2011) == 2011
    assert reference_year("ukjent", None) is None


def test_regions_and_bands():
    assert region_counties("nord norge") == ("18", "55", "56")
    assert region_counties("Innlandet") == ("34",)
    assert landsdel_of("1515") == "Vestlandet" and landsdel_of("4204") == "Sørlandet"
    assert [population_band(p) for p in (1999, 2000, 49999, 50000)] == [
        "Under 2000 innbyggere", "2000–4 999 innbyggere", "20 000–49 999 innbyggere", "50 000 eller flere innbyggere"]
    with pytest.raises(StatsDataError, match="unknown landsdel or region 'Atlantis'"):
        region_counties("Atlantis")
