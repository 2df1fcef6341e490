"""The stats stage of a build: municipalities, indicators, statistics, crosswalk and names.

Reads only the snapshots shipped in ``<stats_dir>/data`` (see stats/data/SOURCES.yaml). Rows are written
sorted by primary key and carry no timestamps, so two builds give identical tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import sqlite_utils

from . import analysis, mapping, reuse
from .crosswalk import build_links, links_frame
from .dbwrite import insert_frame
from .fetch import fetched
from .municipalities import municipality_records, name_rows, strip_validity
from .snapshots import Snapshot, read_snapshot, snapshots

BATCH = 5000


def stats_frame(data_dir: Path) -> pd.DataFrame:
    """Every long snapshot on the 2024 structure: the rows of municipality_stats, sorted."""
    snaps = snapshots(data_dir)
    links = links_frame(build_links(data_dir))
    records = municipality_records(data_dir)
    numbers = {m.number for m in records}
    names = {m.number: m.name for m in records}
    # The receiver of a split that continues the split municipality's name (1507 Ålesund → 1508 Ålesund).
    links["continues"] = (links["type"] == "split") & (
        links["name"].map(strip_validity) == links["municipality"].map(names))
    mapped = {}
    for snap in snaps.values():
        if not snap.is_long:
            continue
        df = read_snapshot(snap.name, data_dir)
        path = Path(data_dir) / snap.file
        mapped[snap.name] = mapping.published(df, snap, numbers, path) if snap.structure == "2024" else \
            mapping.mapped(df, snap, links, path)
    every = pd.concat([f for f in mapped.values() if len(f)], ignore_index=True)
    frames = [frame.assign(snapshot=name) for name, own in mapped.items()
              for frame in (own, mapping.derived(own, every, snaps[name]))]
    stats = pd.concat([f for f in frames if len(f)], ignore_index=True)
    stats["unit"] = stats["indicator"].map({i: m["unit"] for s in snaps.values() for i, m in s.indicators.items()})
    stats["source"] = stats["indicator"].map({i: s.source for s in snaps.values() for i in s.indicators})
    stats["table_id"] = stats["indicator"].map({i: s.table_id for s in snaps.values() for i in s.indicators})
    stats["year"] = stats["year"].astype(int)
    return stats.sort_values(["municipality", "indicator", "year"]).reset_index(drop=True)


def indicator_rows(snaps: dict[str, Snapshot], refreshed: dict[str, dict[str, Any]] | None = None
                   ) -> list[dict[str, Any]]:
    """One row per indicator; a snapshot refreshed by ``bolyst stats fetch`` names the API call as upstream."""
    rows = []
    for snap in snaps.values():
        upstream = snap.upstream
        if snap.name in (refreshed or {}):
            record = refreshed[snap.name]
            upstream = f"SSB PxWebApi v2, fetched {record['fetched']}: {record['url']}"
        for ident, meta in snap.indicators.items():
            rows.append({
                "id": ident, "label_nb": meta["label_nb"], "label_en": meta["label_en"], "unit": meta["unit"],
                "source": snap.source, "table_id": snap.table_id, "licence": snap.licence,
                "structure": snap.structure, "aggregation": meta.get("aggregation", "sum"),
                "numerator": meta.get("numerator"), "denominator": meta.get("denominator"),
                "per": mapping.PER.get(meta.get("aggregation", "sum")), "years": snap.years,
                "snapshot": f"stats/data/{snap.file}", "upstream": upstream,
                "description": " ".join(str(meta["description"]).split()), "caveats": snap.caveats,
                "sort_order": int(meta["sort_order"])})
    return sorted(rows, key=lambda r: r["id"])


def municipality_rows(data_dir: Path, stats: pd.DataFrame) -> list[dict[str, Any]]:
    latest = (stats.dropna(subset=["value"]).sort_values("year")
              .groupby(["municipality", "indicator"]).last()[["value", "year"]])
    kartverket = read_snapshot("kartverket_2020", data_dir)
    sami = dict(zip(kartverket["number"], kartverket["sami_area"] == "True"))
    sami_2024: dict[str, bool] = {}
    for link in build_links(data_dir):
        if link.number in sami and link.type != "split":
            sami_2024[link.municipality] = sami_2024.get(link.municipality, False) or sami[link.number]

    def get(number: str, indicator: str, field: str = "value") -> Any:
        key = (number, indicator)
        return latest.at[key, field] if key in latest.index else None

    rows = []
    for m in municipality_records(data_dir):
        kostra = get(m.number, "kostra_group")
        population, year = get(m.number, "population"), get(m.number, "population", "year")
        rows.append({
            "number": m.number, "name": m.name, "official_name": m.official_name, "name_sami": m.name_sami or None,
            "name_kven": m.name_kven or None, "county": m.county, "county_name": m.county_name,
            "landsdel": m.landsdel, "centrality_class": _int(get(m.number, "centrality_class")),
            "centrality_index": _int(get(m.number, "centrality_index")),
            "kostra_group": f"EKG{int(kostra):02d}" if kostra is not None else None,
            "population": _int(population), "population_year": _int(year),
            "lat": get(m.number, "lat"), "lon": get(m.number, "lon"), "sami_area": int(sami_2024.get(m.number, False))})
    return rows


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def kostra_rows(data_dir: Path) -> list[dict[str, Any]]:
    df = read_snapshot("kostra_groups_2024", data_dir)
    return sorted(({"id": f"EKG{int(r.label.split()[-1]):02d}", "label": r.label,
                    "population_band": r.population_band, "bound_costs": r.bound_costs,
                    "free_income": r.free_income, "municipality_count": int(r.municipality_count),
                    "source": "SSB KOSTRA-grupper, as described by Samarbeidsdesken (stats/data/SOURCES.yaml)"}
                   for r in df.itertuples(index=False)), key=lambda r: r["id"])


STATS_COLUMNS = ["municipality", "indicator", "year", "value", "unit", "source", "table_id", "method", "flag", "note"]


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` (a later row replaces an earlier one with the same key); the rows the table now holds."""
    db[table].insert_all(rows, batch_size=BATCH, replace=True)
    return db[table].count


def write_statistics(db: sqlite_utils.Database, data_dir: Path) -> dict[str, int]:
    """The tables read straight from the snapshots: municipalities, indicators, statistics, crosswalk, names."""
    stats = stats_frame(data_dir)
    clean = stats[STATS_COLUMNS].copy()
    clean[["flag", "note"]] = clean[["flag", "note"]].replace("", None)
    return {
        "kostra_groups": _insert(db, "kostra_groups", kostra_rows(data_dir)),
        "indicators": _insert(db, "indicators", indicator_rows(snapshots(data_dir), fetched(data_dir))),
        "municipalities": _insert(db, "municipalities", municipality_rows(data_dir, stats)),
        "municipality_crosswalk": _insert(db, "municipality_crosswalk", [
            {**link.__dict__, "note": link.note or None} for link in build_links(data_dir)]),
        "municipality_names": _insert(db, "municipality_names", [n.__dict__ for n in name_rows(data_dir)]),
        "municipality_stats": insert_frame(db, "municipality_stats", clean, replace=True),
    }


def run(db: sqlite_utils.Database, stats_dir: Path, previous: Path | None = None, jobs: int = 1) -> dict[str, int]:
    """Write this stage's tables into ``db``; returns counts per table (``jobs``: processes for the matrix tests).

    With ``previous`` (the database of the last build, read-only), the tables that do not depend on the corpus
    are copied from it when their inputs' fingerprint is unchanged (stats/reuse.py), not computed again, and so are
    the theme matrix's tests of unchanged tables.
    """
    data_dir = Path(stats_dir) / "data"
    fingerprint = reuse.fingerprint(data_dir)
    counts = reuse.copy(db, previous, fingerprint) if previous is not None else None
    computed = counts is None
    if computed:
        counts = write_statistics(db, data_dir)
    known = reuse.known_tests(previous, fingerprint) if previous is not None else None
    # links, profiles, reproductions, matrix (and, when computed: comparables, models, barometer)
    counts.update(analysis.run(db, data_dir=data_dir, statistics=computed, known=known, jobs=jobs))
    counts["build_fingerprints"] = reuse.record(db, fingerprint)
    return counts
