"""The barometer's period frame: one row per municipality (2017 structure) and three-year period.

Pure: snapshots in, DataFrames out. Definitions (Telemarksforsking, seed 003 ch. 1 and 5, SOURCES.md):

- ``net_migration_rate``: net migration incl. immigration (SSB 06913 «Nettoinnflytting») in each year of
  the period per 100 inhabitants on 1 January of that year, summed over the three years — the sum of
  the annual percentages Telemarksforsking's components are given in;
- ``natural_increase_rate``: births − deaths (SSB 06913 «Fødselsoverskudd»), the same way;
- ``job_growth``: growth of private-sector jobs by place of work over the period (4th quarter of the year
  before the period to the 4th quarter of its last year), % — the published annual growth compounded;
- ``neighbour_job_growth``: the same for the other municipalities whose mean point lies within
  :data:`NEIGHBOUR_KM` km (their jobs summed). Telemarksforsking uses «veksten i tilhørende region
  utenfor kommunen»; its region list is part of its model output and is not shipped, so distance stands in;
- ``log_population``: natural log of the population on 1 January of the first year («I analysene brukes
  logaritmen av folketallet»);
- ``centrality_index``: SSB's centrality index (2020-based, on 2024 numbers), standing in for
  «arbeidsmarkedsintegrasjon» (in- plus out-commuting), which no shipped table holds.

Then-valid SSB numbers are summed onto the 426 municipalities of 1 January 2017 (Telemarksforsking's
structure); every number valid 2002–2016 belongs to exactly one of them (checked, else an error).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from bolyst.corpus.errors import StatsDataError

PERIOD_YEARS = 3
FIRST_YEAR, LAST_YEAR = 2003, 2016  # private jobs 2003–2016 (growth 2003 published, so 2002 levels implied)
NEIGHBOUR_KM = 40.0
MIN_NEIGHBOURS = 3  # a municipality with nobody within NEIGHBOUR_KM takes its three nearest


def period_label(start: int) -> str:
    return f"{start}–{start + PERIOD_YEARS - 1}"


def units(jobs: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """The 2017 municipalities with the 2024 municipalities their area lies in (several for split ones)."""
    first = jobs.sort_values("year").drop_duplicates("number")[["number", "name", "number_2024"]]
    targets = links.groupby("number")["municipality"].agg(lambda s: sorted(set(s)))
    first["targets"] = [[n24] if n24 else targets.get(n, []) for n, n24 in zip(first["number"], first["number_2024"])]
    empty = first[first["targets"].map(len) == 0]
    if len(empty):
        raise StatsDataError(f"2017 numbers with no 2024 municipality: {list(empty['number'])}",
                             where="snapshot jobs_private_2003_2016", fix="extend the crosswalk")
    return first.set_index("number").sort_index()


def unit_of(numbers: set[str], unit_frame: pd.DataFrame, links: pd.DataFrame) -> dict[str, str]:
    """Each then-valid number → its 2017 municipality: itself, or the one 2017 number with the same 2024 target(s)."""
    target_set = links.groupby("number")["municipality"].agg(frozenset)
    by_targets: dict[frozenset, set[str]] = {}
    for number in unit_frame.index:
        by_targets.setdefault(target_set.get(number, frozenset(unit_frame.at[number, "targets"])), set()).add(number)
    out = {}
    for number in sorted(numbers):
        if number in unit_frame.index:
            out[number] = number
            continue
        candidates = by_targets.get(target_set.get(number, frozenset()), set())
        if len(candidates) != 1:
            raise StatsDataError(f"number {number} lies in {len(candidates)} municipalities of 2017: "
                                 f"{sorted(candidates)}", where="barometer, then-valid → 2017",
                                 fix="add the number's 2017 municipality to stats/barometer/data.py")
        out[number] = next(iter(candidates))
    return out


def annual(changes: pd.DataFrame, jobs: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Per 2017 municipality and year 2003–2016: population 1 Jan, net migration, natural increase, jobs."""
    frame = units(jobs, links)
    ssb = changes[changes["year"].between(FIRST_YEAR, LAST_YEAR)]
    mapping = unit_of(set(ssb["number"]), frame, links)
    ssb = ssb.assign(unit=ssb["number"].map(mapping))
    wide = ssb.pivot_table(index=["unit", "year"], columns="indicator", values="value", aggfunc="sum")
    wide = wide.rename(columns={"population_06913": "population"})[["population", "net_migration", "natural_increase"]]
    j = jobs.assign(year=jobs["year"].astype(int), jobs=jobs["jobs"].astype(float),
                    jobs_growth_pct=jobs["jobs_growth_pct"].astype(float)).set_index(["number", "year"])
    j.index.names = ["unit", "year"]
    out = wide.join(j[["jobs", "jobs_growth_pct"]], how="inner")
    out["jobs_before"] = out["jobs"] / (1 + out["jobs_growth_pct"] / 100)  # 4th quarter of the year before
    return out.reset_index()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def unit_attributes(unit_frame: pd.DataFrame, coords: pd.DataFrame, centrality: pd.Series) -> pd.DataFrame:
    """Mean point and centrality index of each 2017 municipality (the mean over its 2024 municipalities)."""
    rows = []
    for number, targets in unit_frame["targets"].items():
        there = [t for t in targets if t in coords.index]
        rows.append({"unit": number, "lat": coords.loc[there, "lat"].mean(), "lon": coords.loc[there, "lon"].mean(),
                     "centrality_index": centrality.reindex(targets).mean()})
    return pd.DataFrame(rows).set_index("unit")


def neighbours(attrs: pd.DataFrame, km: float = NEIGHBOUR_KM) -> dict[str, list[str]]:
    """Other municipalities whose mean point lies within ``km``, else the :data:`MIN_NEIGHBOURS` nearest.

    Municipalities of 2017 that merged by 2024 share their 2024 mean point (distance 0): they are neighbours.
    """
    points = list(attrs[["lat", "lon"]].itertuples())
    out = {}
    for a in points:
        dist = sorted((_km(a.lat, a.lon, b.lat, b.lon), b.Index) for b in points if b.Index != a.Index)
        near = [n for d, n in dist if d <= km]
        out[a.Index] = near or [n for _, n in dist[:MIN_NEIGHBOURS]]
    return out


def periods(years: pd.DataFrame, attrs: pd.DataFrame, near: dict[str, list[str]],
            starts: range | None = None) -> pd.DataFrame:
    """One row per municipality and rolling three-year period (start years 2003 … 2014)."""
    starts = starts or range(FIRST_YEAR, LAST_YEAR - PERIOD_YEARS + 2)
    rows = []
    indexed = years.set_index(["unit", "year"]).sort_index()
    for start in starts:
        span = list(range(start, start + PERIOD_YEARS))
        part = indexed[indexed.index.get_level_values("year").isin(span)].reset_index()
        part["net_rate"] = 100 * part["net_migration"] / part["population"]
        part["natural_rate"] = 100 * part["natural_increase"] / part["population"]
        g = part.groupby("unit")
        full = g["year"].count() == PERIOD_YEARS
        jobs_start = part[part["year"] == start].set_index("unit")["jobs_before"]
        jobs_end = part[part["year"] == span[-1]].set_index("unit")["jobs"]
        frame = pd.DataFrame({
            "unit": g.size().index, "period": period_label(start), "start_year": start,
            "population_start": part[part["year"] == start].set_index("unit")["population"].reindex(g.size().index),
            "net_migration": g["net_migration"].sum(), "natural_increase": g["natural_increase"].sum(),
            "net_migration_rate": g["net_rate"].sum(), "natural_increase_rate": g["natural_rate"].sum(),
            "job_growth": 100 * (jobs_end / jobs_start - 1)}).loc[full[full].index]
        frame["neighbour_job_growth"] = [
            100 * (jobs_end.reindex(near[u]).sum() / jobs_start.reindex(near[u]).sum() - 1) if near.get(u) else np.nan
            for u in frame["unit"]]
        rows.append(frame.reset_index(drop=True))
    out = pd.concat(rows, ignore_index=True).join(attrs[["centrality_index"]], on="unit")
    out["log_population"] = np.log(out["population_start"])
    return out
