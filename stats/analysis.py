"""The analyses of the stats stage, run after the statistics tables are written: read the database with
pandas, call the pure functions (links, compare, models, matrix, tabell1), write tidy tables back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import sqlite_utils

from . import compare, features, links, matrix, models, rates, tabell1
from .dbwrite import insert_frame
from .gazetteer import build_gazetteer
from .regions import population_band
from .barometer import run as barometer_run
from .barometer.validate import read_figures
from .schema_analysis import TABLES as _ANALYSIS
from .schema_barometer import TABLES as _BAROMETER
from .schema_models import TABLES as _MODELS
from .schema_rates import TABLES as _RATES
from .snapshots import DATA_DIR

TABLES = _ANALYSIS + _MODELS + _BAROMETER + _RATES
_PK = {t.name: t.pk for t in TABLES}


def read(db: sqlite_utils.Database, sql: str) -> pd.DataFrame:
    return pd.read_sql_query(sql, db.conn)


def write(db: sqlite_utils.Database, table: str, frame: pd.DataFrame) -> int:
    """Replace ``table``'s rows with ``frame`` (declared columns only, NaN → NULL), sorted by primary key."""
    columns = [c.name for t in TABLES if t.name == table for c in t.columns]
    frame = frame[columns].sort_values(list(_PK[table]))
    db.conn.execute(f"delete from [{table}]")
    return insert_frame(db, table, frame)


def inputs(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """Everything the analyses read, as DataFrames."""
    return {
        "municipalities": read(db, "select * from municipalities order by number"),
        "stats": read(db, "select municipality, indicator, year, value from municipality_stats"),
        "indicators": read(db, "select id, aggregation from indicators"),
        "names": read(db, "select municipality, name from municipality_names order by name, municipality"),
        "excerpts": read(db, "select e.id, e.text, e.place, e.place_description, e.interview_period, e.file, "
                             "e.speaker_role, e.speaker, e.source, s.year as source_year from excerpts e "
                             "join sources s on s.id = e.source order by e.id"),
        "places": read(db, "select * from places order by id"),
        "codings": read(db, "select excerpt, code, theme, origin, status from codings order by id")
        if db["codings"].exists() else pd.DataFrame(columns=["excerpt", "code", "theme", "origin", "status"]),
        "finding_values": read(db, "select v.finding, v.label, v.value, v.unit, f.source, f.table_ref "
                                   "from finding_values v join findings f on f.id = v.finding "
                                   "order by v.finding, v.position"),
    }


def run_links(db: sqlite_utils.Database, data: dict[str, pd.DataFrame]) -> tuple[dict[str, int], pd.DataFrame]:
    population = data["stats"][data["stats"]["indicator"] == "population"].dropna(subset=["value"])
    found, members = links.link_excerpts(data["excerpts"], data["places"], data["municipalities"], population,
                                         build_gazetteer(data["names"]))
    profiles = members.groupby(["profile", "place", "year"], as_index=False).agg(
        n_municipalities=("municipality", "size"), population=("population", "sum")).rename(columns={"profile": "id"})
    counts = {"excerpt_places": write(db, "excerpt_places", found),
              "profiles": write(db, "profiles", profiles),
              "profile_municipalities": write(db, "profile_municipalities", members),
              "profile_stats": write(db, "profile_stats", profile_stats(members, data["stats"], data["indicators"]))}
    return counts, found


def profile_stats(members: pd.DataFrame, stats: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Aggregates per profile and indicator, in the latest year where some member has a value."""
    sums = set(indicators.loc[indicators["aggregation"] == "sum", "id"])
    values = stats.dropna(subset=["value"]).merge(members[["profile", "municipality"]], on="municipality")
    latest = values.groupby(["profile", "indicator"])["year"].transform("max")
    values = values[values["year"] == latest]
    out = values.groupby(["profile", "indicator", "year"])["value"].agg(
        n="size", total="sum", mean="mean", median="median", min="min", max="max").reset_index()
    out.loc[~out["indicator"].isin(sums), "total"] = np.nan
    return out


def run_comparables(db: sqlite_utils.Database, data: dict[str, pd.DataFrame]) -> dict[str, int]:
    feats = features.comparable_features(data["municipalities"], data["stats"])
    pairs, parts = compare.comparables(feats, features.NUMERIC, features.CATEGORICAL, k=10,
                                       transforms=features.TRANSFORMS, weights=features.WEIGHTS)
    land = feats["landsdel"]
    pairs["same_landsdel"] = [int(land[a] == land[b]) for a, b in zip(pairs["municipality"], pairs["comparable"])]
    z = compare.standardise(feats, features.NUMERIC, features.TRANSFORMS)
    described = pd.DataFrame([{"id": f.id, "label": f.label, "definition": f.definition,
                               "n": int(feats[f.id].notna().sum()),
                               "mean": feats[f.id].mean() if f.id in features.NUMERIC else None,
                               "sd": feats[f.id].std(ddof=0) if f.id in features.NUMERIC else None}
                              for f in features.FEATURES])
    long = feats[features.NUMERIC + features.CATEGORICAL].reset_index(names="municipality").melt(
        id_vars="municipality", var_name="indicator", value_name="value")
    zl = z.reset_index(names="municipality").melt(id_vars="municipality", var_name="indicator", value_name="z")
    long = long.merge(zl, on=["municipality", "indicator"], how="left").dropna(subset=["value"])
    return {"comparison_indicators": write(db, "comparison_indicators", described),
            "comparison_values": write(db, "comparison_values", long),
            "comparables": write(db, "comparables", pairs),
            "comparable_contributions": write(db, "comparable_contributions", parts)}


def run_models(db: sqlite_utils.Database, data: dict[str, pd.DataFrame]) -> dict[str, int]:
    frame = features.model_frame(data["municipalities"], data["stats"])
    fits, terms, residuals = zip(*(models.fit_model(frame, spec) for spec in models.MODELS))
    return {"models": write(db, "models", pd.DataFrame(list(fits))),
            "model_terms": write(db, "model_terms", pd.concat(terms)),
            "model_residuals": write(db, "model_residuals", pd.concat(residuals))}


def run_rates(db: sqlite_utils.Database, data: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Empirical-Bayes rates and funnel limits of the count-based rates (stats/rates.py)."""
    wanted = ", ".join(f"'{i}'" for i in rates.RATES)
    parts = " union ".join(f"select {c} from indicators where id in ({wanted})" for c in ("id", "numerator",
                                                                                             "denominator"))
    stats = read(db, f"select municipality, indicator, year, value, flag from municipality_stats "
                     f"where indicator in ({parts})")
    indicators = read(db, f"select id, numerator, denominator from indicators where id in ({wanted})")
    return {"rate_estimates": write(db, "rate_estimates", rates.rate_estimates(stats, indicators))}


def run_barometer(db: sqlite_utils.Database, data: dict[str, pd.DataFrame], data_dir: Path = DATA_DIR
                  ) -> dict[str, int]:
    """The barometer 2003–2016 from the snapshots, its substitute after 2016, the validation figures."""
    tables = barometer_run.barometer(data_dir)
    after = barometer_run.substitute(data["stats"], data["municipalities"])
    return {"barometer_fits": write(db, "barometer_fits", pd.concat([tables["fits"], after["fits"]])),
            "barometer_terms": write(db, "barometer_terms", pd.concat([tables["terms"], after["terms"]])),
            "barometer_residuals": write(db, "barometer_residuals",
                                         pd.concat([tables["residuals"], after["residuals"]])),
            "barometer_validation": write(db, "barometer_validation", read_figures(data_dir))}


def placed_attributes(found: pd.DataFrame, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Attributes at the interview date of the municipalities each excerpt is placed in (exact, profile)."""
    placed = found[found["link_type"].isin(["exact", "profile"])].merge(
        data["excerpts"][["id", "interview_period", "source_year"]], left_on="excerpt", right_on="id")
    population = data["stats"][data["stats"]["indicator"] == "population"].dropna(subset=["value"])
    years = [links.reference_year(p, y) or 2024 for p, y in zip(placed["interview_period"], placed["source_year"])]
    by_year = {y: links.population_at(population, y) for y in sorted(set(years))}
    placed["population"] = [by_year[y].get(m) for y, m in zip(years, placed["municipality"])]
    placed["population_band"] = [population_band(p) if p is not None and not pd.isna(p) else "unknown"
                                 for p in placed["population"]]
    attrs = data["municipalities"].set_index("number")[["centrality_class", "landsdel"]]
    return placed.join(attrs, on="municipality")[["excerpt", "centrality_class", "landsdel", "population_band"]]


def matrix_inputs(data: dict[str, pd.DataFrame], found: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(characteristics of the tested excerpts with source and unit, codes in force on them) for the matrix."""
    chars = matrix.characteristics(data["excerpts"], placed_attributes(found, data))
    members = matrix.cell_members(matrix.codings_in_force(data["codings"]))
    # Nested excerpts collapse into their outer excerpt; speakers (or the excerpt itself) are the units.
    root = matrix.collapse_nested(data["excerpts"])
    excerpts = data["excerpts"].set_index("id")
    tested = chars[chars["excerpt"].map(root) == chars["excerpt"]].assign(
        source=lambda c: c["excerpt"].map(excerpts["source"]),
        unit=lambda c: [sp if isinstance(sp, str) and sp else f"excerpt:{e}"
                        for e, sp in zip(c["excerpt"], c["excerpt"].map(excerpts["speaker"]))])
    collapsed = members.assign(excerpt=members["excerpt"].map(root).fillna(members["excerpt"])).drop_duplicates()
    return tested, collapsed


def run_matrix(db: sqlite_utils.Database, data: dict[str, pd.DataFrame], found: pd.DataFrame,
               known: dict[tuple, matrix.Tested] | None = None, jobs: int = 1) -> dict[str, int]:
    """The matrix tables; ``known``: test results of tables tested before (see :func:`matrix.theme_matrix`)."""
    tested, collapsed = matrix_inputs(data, found)
    return {"excerpt_characteristics": write(db, "excerpt_characteristics", tested),
            "matrix_codings": write(db, "matrix_codings", collapsed),
            "theme_matrix": write(db, "theme_matrix", matrix.theme_matrix(collapsed, tested, known=known, jobs=jobs)),
            "theme_matrix_sources": write(db, "theme_matrix_sources", matrix.by_source(collapsed, tested))}


def run_reproductions(db: sqlite_utils.Database, data: dict[str, pd.DataFrame]) -> dict[str, int]:
    population = features.series(data["stats"], "population", tabell1.YEAR)
    rows = tabell1.compare(data["municipalities"], population, data["finding_values"])
    return {"reproductions": write(db, "reproductions", rows.rename(columns={"table": "table_ref"}))}


def run(db: sqlite_utils.Database, progress: Callable[[str], None] | None = None,
        data_dir: Path = DATA_DIR, statistics: bool = True, known: dict[tuple, matrix.Tested] | None = None,
        jobs: int = 1) -> dict[str, int]:
    """Write every analysis table; returns row counts per table. Without ``statistics``, only those that read the
    corpus (links, profiles, reproductions, matrix): the others (comparables, models, rates, barometer) were reused.
    ``known``: the matrix tests of the previous build by table (stats/reuse.py ``known_tests``)."""
    data = inputs(db)
    counts, found = run_links(db, data)
    for step in (run_comparables, run_models, run_rates, run_reproductions) if statistics else (run_reproductions,):
        counts.update(step(db, data))
    if statistics:
        counts.update(run_barometer(db, data, data_dir))
    counts.update(run_matrix(db, data, found, known, jobs))
    return counts
