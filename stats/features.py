"""Derived municipality indicators for comparables and models, computed from ``municipality_stats``.

Every derived number is a ratio of numbers in ``municipality_stats`` (long form, 2024 structure), with
the years fixed here so a rebuild gives the same values. A ratio is missing when its numerator or
denominator is missing (no imputation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SETTLED_YEARS = range(2021, 2023)  # IMDi settled refugees; 2023 is partial, 2014–2020 often suppressed (< 5)
SECONDARY_YEAR = 2022  # IMDi flyktning_botid_flytting (refugees by first settlement municipality), last year


@dataclass(frozen=True)
class Feature:
    id: str
    label: str
    definition: str
    transform: str = "none"  # before standardising: none, log, or rank (normal scores, for skewed rates)


FEATURES: tuple[Feature, ...] = (
    Feature("log_population", "Population (log)", "natural log of population 1 January, latest year (SSB 07459)"),
    Feature("centrality_index", "Centrality index", "SSB centrality index 0–1000 (2020 index on 2024 numbers)"),
    Feature("immigrant_share", "Immigrant share 2021, %", "all immigrants (immigrants_reason_all, every "
            "country of birth) per 100 inhabitants on 1 Jan 2021 (IMDi/SSB; population SSB 06913). The "
            "municipality page's key number immigrants_share is the same definition for 2015, the last year "
            "of that series; distance on rank normal scores, the share is skewed", "rank"),
    Feature("refugee_intensity", "Refugees settled per 1000", "refugees settled 2021–2022 (IMDi) per 1000 "
            "inhabitants on 1 January 2022 (SSB 06913); earlier years are suppressed (< 5) for too many "
            "municipalities to sum; distance on rank normal scores (a few small municipalities have extreme rates)",
            "rank"),
    Feature("moved_in_share", "Refugees who moved here, %", "refugees who moved here after settlement elsewhere "
            "as a percentage of refugees living in the municipality, 1 Jan 2022 (IMDi refugees_moved_in_share); "
            "distance on rank normal scores", "rank"),
    Feature("income", "Median household income", "median household income after tax, NOK, 2024 (SSB 06944); "
            "distance on its logarithm", "log"),
    Feature("landsdel", "Landsdel", "part of the country (county → landsdel); a different landsdel adds 2 to d²"),
)
NUMERIC = [f.id for f in FEATURES if f.id != "landsdel"]
TRANSFORMS = {f.id: f.transform for f in FEATURES if f.id != "landsdel"}
WEIGHTS = {"log_population": 2.0}  # size counts double in the distance (stats/compare.py); the rest 1
CATEGORICAL = ["landsdel"]


def series(stats: pd.DataFrame, indicator: str, year: int | None = None) -> pd.Series:
    """One indicator by municipality: the given year, or each municipality's latest year with a value."""
    rows = stats[(stats["indicator"] == indicator) & stats["value"].notna()]
    if year is not None:
        rows = rows[rows["year"] == year]
    rows = rows.sort_values("year").drop_duplicates("municipality", keep="last")
    return rows.set_index("municipality")["value"].astype(float).rename(indicator)


def total(stats: pd.DataFrame, indicator: str, years) -> pd.Series:
    """Sum over ``years``; missing when any of those years is missing for the municipality."""
    rows = stats[(stats["indicator"] == indicator) & stats["year"].isin(list(years))]
    wide = rows.pivot_table(index="municipality", columns="year", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(years))
    return wide.sum(axis=1, min_count=len(years)).where(wide.notna().all(axis=1)).rename(indicator)


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float) -> pd.Series:
    denominator = denominator.where(denominator > 0)
    return scale * numerator / denominator


def comparable_features(municipalities: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """The indicators of :data:`FEATURES` (+ kostra_group), one row per municipality (index: number)."""
    m = municipalities.set_index("number").sort_index()
    pop21 = series(stats, "population_06913", 2021)
    pop22 = series(stats, "population_06913", 2022)
    frame = pd.DataFrame(index=m.index)
    frame["log_population"] = np.log(series(stats, "population").reindex(m.index))
    frame["centrality_index"] = m["centrality_index"].astype(float)
    frame["immigrant_share"] = _ratio(series(stats, "immigrants_reason_all", 2021), pop21, 100)
    frame["refugee_intensity"] = _ratio(total(stats, "refugees_settled", SETTLED_YEARS), pop22, 1000)
    frame["moved_in_share"] = series(stats, "refugees_moved_in_share", SECONDARY_YEAR)
    frame["income"] = series(stats, "median_household_income", 2024)
    frame["landsdel"] = m["landsdel"]
    frame["kostra_group"] = m["kostra_group"]
    return frame


def model_frame(municipalities: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """Variables of the models in :data:`bolyst.stats.models.MODELS`, one row per municipality (index: number).

    - moved_in_share: refugees who moved here, % of refugees living here, 2022 (IMDi);
    - refugees_living: the refugees living here, 2022 (the share's denominator, its size);
    - log_population: ln of the population on 1 January 2022 (SSB 07459 on 2024 borders: 1508 Ålesund
      includes Haram then, as the IMDi numbers do; a missing or zero population stays missing);
    - centrality_index: SSB's index (2020-based, on 2024 numbers); landsdel.
    """
    m = municipalities.set_index("number").sort_index()
    frame = pd.DataFrame(index=m.index)
    frame["moved_in_share"] = series(stats, "refugees_moved_in_share", SECONDARY_YEAR)
    frame["refugees_living"] = series(stats, "refugees_living", SECONDARY_YEAR)
    population = series(stats, "population", SECONDARY_YEAR)
    frame["log_population"] = np.log(population.where(population > 0))
    frame["centrality_index"] = m["centrality_index"].astype(float)
    frame["landsdel"] = m["landsdel"]
    return frame.reindex(m.index)
