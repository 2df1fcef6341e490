"""Link excerpts to municipalities: exactly, by a name in the text, or by the anonymised profile.

Three kinds of link (``excerpt_places.link_type``):

- ``exact``: the source places the excerpt in a named municipality (``places.municipality_name``);
- ``mention``: a municipality name occurs in the excerpt's text or the source's place description
  (see :mod:`bolyst.stats.gazetteer`; an ambiguous name such as «Herøy» links to each candidate with
  weight 1/n);
- ``profile``: the source gives only a profile (landsdel × centrality class × population band); the
  excerpt links to every municipality matching the profile at the interview date, each with weight 1/n.

Pure functions over DataFrames; :func:`bolyst.stats.stage_links.run` reads and writes the database.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from bolyst.corpus.errors import ErrorList, UnknownMunicipality

from .gazetteer import Gazetteer, make_nlp, mention_frame
from .regions import region_counties

LINK_COLUMNS = ["excerpt", "municipality", "link_type", "weight", "reason", "profile"]
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def reference_year(interview_period: str | None, source_year: int | None) -> int | None:
    """Year an excerpt's place is described at: the first year in its interview period, else the source's."""
    if isinstance(interview_period, str) and (match := _YEAR.search(interview_period)):
        return int(match.group(1))
    return int(source_year) if source_year is not None and not pd.isna(source_year) else None


def population_at(population: pd.DataFrame, year: int) -> pd.Series:
    """Population per municipality on 1 January of ``year`` (or the nearest year the data has)."""
    years = np.array(sorted(population["year"].unique()))
    use = years[years <= year].max() if (years <= year).any() else years.min()
    at = population[population["year"] == use]
    return at.set_index("municipality")["value"].rename(int(use))


def profile_id(place: str, year: int) -> str:
    return f"{place}@{year}"


def profile_members(place: pd.Series, municipalities: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Municipalities matching one profile place: landsdel/region, centrality class and population band.

    ``municipalities`` has columns number, county, centrality_class; ``population`` is indexed by number.
    The band is inclusive at both ends (population_min ≤ population ≤ population_max). Municipalities
    without a population that year (e.g. split municipalities before their split) never match a band.
    """
    frame = municipalities.set_index("number")
    mask = pd.Series(True, index=frame.index)
    if isinstance(place.get("landsdel"), str) and place["landsdel"]:
        mask &= frame["county"].isin(region_counties(place["landsdel"]))
    if not pd.isna(place.get("centrality")):
        mask &= frame["centrality_class"] == int(place["centrality"])
    pop = population.reindex(frame.index)
    if not pd.isna(place.get("population_min")):
        mask &= pop >= place["population_min"]
    if not pd.isna(place.get("population_max")):
        mask &= pop <= place["population_max"]
    members = frame.index[mask.fillna(False).astype(bool)]
    return pd.DataFrame({"municipality": sorted(members), "population": [pop[m] for m in sorted(members)]})


def _profile_reason(place: pd.Series, year: int, n: int) -> str:
    bits = [f"landsdel {place['landsdel']}" if isinstance(place.get("landsdel"), str) else None,
            f"centrality class {int(place['centrality'])}" if not pd.isna(place.get("centrality")) else None]
    low, high = place.get("population_min"), place.get("population_max")
    if not (pd.isna(low) and pd.isna(high)):
        band = (f"{int(low)}–{int(high)}" if not (pd.isna(low) or pd.isna(high))
                else f"≥ {int(low)}" if not pd.isna(low) else f"≤ {int(high)}")
        bits.append(f"population {band} on 1 Jan {year}")
    return f"profile ({', '.join(b for b in bits if b) or 'unspecified'}): one of {n} municipalities"


def profile_links(excerpts: pd.DataFrame, places: pd.DataFrame, municipalities: pd.DataFrame,
                  population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Profile links and profile sets.

    Returns ``(links, members)``: links as in ``LINK_COLUMNS``; members with columns profile, place, year,
    municipality, population (the population used to match the band).
    """
    profiles = places[places["kind"] == "profile"].set_index("id")
    links, members = [], []
    cache: dict[str, pd.DataFrame] = {}
    for row in excerpts.sort_values("id").itertuples():
        if row.place not in profiles.index:
            continue
        place = profiles.loc[row.place]
        pop = population_at(population, reference_year(row.interview_period, row.source_year) or 2024)
        key = profile_id(row.place, int(pop.name))
        if key not in cache:
            cache[key] = profile_members(place, municipalities, pop)
            members.append(cache[key].assign(profile=key, place=row.place, year=int(pop.name)))
        matched = cache[key]
        reason = _profile_reason(place, int(pop.name), len(matched))
        for municipality in matched["municipality"]:
            links.append((row.id, municipality, "profile", 1 / len(matched), reason, key))
    member_cols = ["profile", "place", "year", "municipality", "population"]
    members_frame = pd.concat(members)[member_cols] if members else pd.DataFrame(columns=member_cols)
    return pd.DataFrame(links, columns=LINK_COLUMNS), members_frame.reset_index(drop=True)


def exact_links(excerpts: pd.DataFrame, places: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """Links of excerpts whose source names the municipality; an unknown name is an error (all collected)."""
    named = places[places["kind"] == "municipality"].set_index("id")["municipality_name"]
    rows, problems = [], []
    for row in excerpts.sort_values("id").itertuples():
        if row.place not in named.index:
            continue
        name = named[row.place]
        candidates = gazetteer.municipalities(name)
        if not candidates:
            problems.append(UnknownMunicipality(
                f"place.municipality {name!r} is not a municipality name", path=row.file, where=row.id,
                fix="use a current or historical municipality name (see table municipality_names), or give "
                    "the place as a profile"))
            continue
        for municipality in candidates:
            reason = f"source names the municipality «{name}»"
            if len(candidates) > 1:
                reason += f" (ambiguous: {len(candidates)} municipalities carry the name)"
            rows.append((row.id, municipality, "exact", 1 / len(candidates), reason, None))
    if problems:
        raise ErrorList(problems)
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def mention_links(excerpts: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """Links from municipality names in an excerpt's text and its place description."""
    nlp = make_nlp(gazetteer)
    texts = [(r.id, field, getattr(r, field)) for r in excerpts.sort_values("id").itertuples()
             for field in ("text", "place_description")]
    found = mention_frame(nlp, gazetteer, texts)
    # per excerpt and municipality, the first mention: place description before text, then by position
    first = found.sort_values(["key", "municipality", "field", "start_char"], kind="mergesort").drop_duplicates(
        ["key", "municipality"])
    where = np.where(first["field"] == "text", "text", "place description")
    reasons = [f"«{name}» in the {w} ({context})" + (f"; ambiguous: {n} municipalities carry the name" if n > 1 else "")
               for name, w, context, n in zip(first["name"], where, first["context"], first["n_candidates"])]
    return pd.DataFrame({"excerpt": first["key"].tolist(), "municipality": first["municipality"].tolist(),
                         "link_type": "mention", "weight": (1 / first["n_candidates"]).tolist(), "reason": reasons,
                         "profile": [None] * len(first)}, columns=LINK_COLUMNS)


def link_excerpts(excerpts: pd.DataFrame, places: pd.DataFrame, municipalities: pd.DataFrame,
                  population: pd.DataFrame, gazetteer: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every link of every excerpt (exact, mention, profile) and the profile sets.

    ``excerpts``: id, text, place, place_description, interview_period, source_year, file.
    ``places``: the corpus ``places`` table. ``municipalities``: number, county, centrality_class.
    ``population``: long frame municipality, year, value (1 January). A mention of the municipality the
    source already names exactly is not repeated. Sorted by excerpt, link type, municipality.
    """
    exact = exact_links(excerpts, places, gazetteer)
    mentions = mention_links(excerpts, gazetteer)
    known = set(zip(exact["excerpt"], exact["municipality"]))
    mentions = mentions[np.array([(e, m) not in known for e, m in zip(mentions["excerpt"], mentions["municipality"])],
                                 dtype=bool)]
    profiles, members = profile_links(excerpts, places, municipalities, population)
    links = pd.concat([f for f in (exact, mentions, profiles) if len(f)] or [exact])
    links = links.sort_values(["excerpt", "link_type", "municipality"]).reset_index(drop=True)
    return links, members
