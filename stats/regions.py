"""Landsdeler (parts of the country) and population bands, mapped once so every stage agrees.

The corpus's sources name regions in their own words (Fafo's «Nord-Norge», «Vestlandet», «Østlandet»,
a county such as «Innlandet»). Here each name maps to the set of 2024 county numbers (fylkesnummer,
SSB KLASS 104) it covers, so a profile «Nord-Norge» means exactly the municipalities of Nordland, Troms
and Finnmark. The five landsdeler are those of Fafo-rapport 2025:14 Tabell 1; with this mapping the
population of 1 January 2023 per landsdel equals that table exactly (see ``bolyst.stats.tabell1``).
"""

from __future__ import annotations

import re

from bolyst.corpus.errors import StatsDataError

#: Fafo-rapport 2025:14's five landsdeler → 2024 county numbers (Møre og Romsdal counts as Vestlandet).
LANDSDELER: dict[str, tuple[str, ...]] = {
    "Østlandet": ("03", "31", "32", "33", "34", "39", "40"),
    "Sørlandet": ("42",),
    "Vestlandet": ("11", "15", "46"),
    "Trøndelag": ("50",),
    "Nord-Norge": ("18", "55", "56"),
}

#: 2024 counties, usable as regions in a profile.
COUNTIES: dict[str, tuple[str, ...]] = {
    "Oslo": ("03",), "Østfold": ("31",), "Akershus": ("32",), "Buskerud": ("33",), "Innlandet": ("34",),
    "Vestfold": ("39",), "Telemark": ("40",), "Agder": ("42",), "Rogaland": ("11",),
    "Møre og Romsdal": ("15",), "Vestland": ("46",), "Nordland": ("18",), "Troms": ("55",),
    "Finnmark": ("56",),
}

#: Other names sources use for a region.
ALIASES: dict[str, tuple[str, ...]] = {
    "Midt-Norge": ("15", "50"),
    "Nord": LANDSDELER["Nord-Norge"],
    "Nord-Noreg": LANDSDELER["Nord-Norge"],
    "Northern Norway": LANDSDELER["Nord-Norge"],
    "Vestlandet og Møre": LANDSDELER["Vestlandet"],
}

#: Fafo-rapport 2025:14 Tabell 1's population bands: (label, lower bound inclusive, upper bound exclusive).
POPULATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 2000 innbyggere", 0, 2000),
    ("2000–4 999 innbyggere", 2000, 5000),
    ("5000–9 999 innbyggere", 5000, 10000),
    ("10 000–19 999 innbyggere", 10000, 20000),
    ("20 000–49 999 innbyggere", 20000, 50000),
    ("50 000 eller flere innbyggere", 50000, None),
)


def _key(name: str) -> str:
    return re.sub(r"[\s\-–]+", "-", name.strip().casefold()).removesuffix("-landsdel")


_INDEX: dict[str, tuple[str, ...]] = {_key(k): v for d in (LANDSDELER, COUNTIES, ALIASES) for k, v in d.items()}


def region_counties(name: str) -> tuple[str, ...]:
    """County numbers covered by a region name (landsdel, county or alias; case and dashes ignored).

    >>> region_counties("nord norge")
    ('18', '55', '56')
    """
    counties = _INDEX.get(_key(name))
    if counties is None:
        known = ", ".join(sorted({*LANDSDELER, *COUNTIES, *ALIASES}))
        raise StatsDataError(f"unknown landsdel or region {name!r}", where="place.profile.landsdel",
                             fix=f"use one of: {known}")
    return counties


def landsdel_of(municipality: str) -> str:
    """Fafo's landsdel of a 2024 municipality number (its first two digits are the county)."""
    county = municipality[:2]
    for landsdel, counties in LANDSDELER.items():
        if county in counties:
            return landsdel
    raise StatsDataError(f"municipality {municipality!r} belongs to no landsdel (county {county})",
                         fix="use a 2024 municipality number (Svalbard/Jan Mayen have none)")


def population_band(population: float) -> str:
    """Tabell 1's population band of a municipality with ``population`` inhabitants."""
    for label, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return label
    raise StatsDataError(f"population {population!r} is negative", fix="check the population figures")
