"""Assemble the barometer tables from the shipped snapshots (2003–2016) and the substitute after 2016.

``barometer(data_dir)`` fits :data:`bolyst.stats.barometer.model.FORMULA` per rolling three-year period on
the 2017 structure. After 2016 no job series is shipped, so job growth is missing: ``substitute(stats)``
fits net migration on size and centrality only, on the 2024 structure, for 2017–2019, 2020–2022 and
2023–2025, under its own name (model ``flyttestruktur``) — it is not the barometer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..crosswalk import build_links, links_frame
from ..snapshots import DATA_DIR, read_snapshot
from . import data, model

BAROMETER = "barometer"
SUBSTITUTE = "flyttestruktur"
SUBSTITUTE_FORMULA = "net_migration_rate ~ log_population + centrality_index"
SUBSTITUTE_STARTS = (2017, 2020, 2023)
PERIOD_COLUMNS = ["population_start", "net_migration", "natural_increase", "net_migration_rate",
                  "natural_increase_rate", "job_growth", "neighbour_job_growth", "log_population", "centrality_index"]
MODELS = {
    BAROMETER: ("Attraktivitetsbarometeret (Telemarksforskings metode)", "Attractiveness barometer (Telemarksforsking's method)",
                "2003–2016, rolling three-year periods, municipalities of 2017"),
    SUBSTITUTE: ("Flyttebalanse mot størrelse og sentralitet (ikke barometeret)",
                 "Net migration against size and centrality (not the barometer)",
                 "2017–2025, three-year periods, municipalities of 2024; no job growth after 2016"),
}


def _long_wide(df: pd.DataFrame, indicator: str) -> pd.Series:
    part = df[df["indicator"] == indicator]
    return part.set_index("number")["value"]


def barometer(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """fits, terms and residuals (with the period frame's decomposition) of the barometer, 2003–2016."""
    links = links_frame(build_links(data_dir))
    jobs = read_snapshot("jobs_private_2003_2016", data_dir)
    years = data.annual(read_snapshot("population_changes_06913", data_dir), jobs, links)
    coords = read_snapshot("coordinates_2024", data_dir)
    coords = pd.DataFrame({"lat": _long_wide(coords, "lat"), "lon": _long_wide(coords, "lon")})
    centrality = _long_wide(read_snapshot("centrality_2024", data_dir), "centrality_index")
    frame_units = data.units(jobs, links)
    attrs = data.unit_attributes(frame_units, coords, centrality)
    periods = data.periods(years, attrs, data.neighbours(attrs))
    periods["municipality"] = periods["unit"].map(frame_units["targets"].str[0])
    periods["unit_name"] = periods["unit"].map(frame_units["name"])
    fits, terms, rows = model.fit_all(periods, BAROMETER)
    rows = rows.merge(periods[["unit", "period", "unit_name", *PERIOD_COLUMNS]], on=["unit", "period"])
    return {"fits": fits, "terms": terms, "residuals": rows}


def substitute(stats: pd.DataFrame, municipalities: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The after-2016 substitute on the 2024 structure from ``municipality_stats`` rows (NULL stays missing)."""
    wide = stats[stats["indicator"].isin(["population_06913", "net_migration", "natural_increase"])].pivot_table(
        index=["municipality", "year"], columns="indicator", values="value", aggfunc="first")
    m = municipalities.set_index("number")
    frames = []
    for start in SUBSTITUTE_STARTS:
        span = list(range(start, start + data.PERIOD_YEARS))
        part = wide[wide.index.get_level_values("year").isin(span)].reset_index()
        part["net_rate"] = 100 * part["net_migration"] / part["population_06913"]
        part["natural_rate"] = 100 * part["natural_increase"] / part["population_06913"]
        g = part.groupby("municipality")
        complete = g[["net_rate", "natural_rate"]].count().min(axis=1) == data.PERIOD_YEARS
        frame = pd.DataFrame({
            "population_start": part[part["year"] == start].set_index("municipality")["population_06913"],
            "net_migration": g["net_migration"].sum(min_count=3), "natural_increase": g["natural_increase"].sum(min_count=3),
            "net_migration_rate": g["net_rate"].sum(min_count=3), "natural_increase_rate": g["natural_rate"].sum(min_count=3),
        }).loc[complete[complete].index]
        frame["period"] = data.period_label(start)
        frames.append(frame)
    periods = pd.concat(frames).reset_index(names="unit")
    periods["municipality"] = periods["unit"]
    periods["unit_name"] = periods["unit"].map(m["name"])
    periods["centrality_index"] = periods["unit"].map(m["centrality_index"]).astype(float)
    periods["log_population"] = np.log(periods["population_start"])
    periods["job_growth"] = np.nan
    periods["neighbour_job_growth"] = np.nan
    fits, terms, rows = model.fit_all(periods, SUBSTITUTE, SUBSTITUTE_FORMULA)
    rows = rows.merge(periods[["unit", "period", "unit_name", *PERIOD_COLUMNS]], on=["unit", "period"])
    return {"fits": fits, "terms": terms, "residuals": rows}
