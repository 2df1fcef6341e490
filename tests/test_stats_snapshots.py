"""Shipped snapshots: provenance for every indicator, reproducible derivation, clear errors."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bolyst.corpus.errors import StatsDataError
from bolyst.stats.snapshots import DATA_DIR, derive_all, read_snapshot, snapshots, write_csv_gz

SOURCE_DIR = Path("/work/shared/data/ssb")
REQUIRED = ("label_nb", "label_en", "unit", "description", "sort_order")


def test_every_snapshot_has_provenance_and_its_file():
    for snap in snapshots().values():
        assert (DATA_DIR / snap.file).exists(), snap.file
        for field in ("source", "table_id", "years", "structure", "licence", "upstream"):
            assert getattr(snap, field) not in ("", None, "not stated") or field == "licence", (snap.name, field)
        for ident, meta in snap.indicators.items():
            assert all(meta.get(k) not in (None, "") for k in REQUIRED), (snap.name, ident)


def test_snapshots_stay_small():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir())
    assert total < 3_000_000


def test_every_indicator_in_the_database_has_provenance(built_db):
    missing = built_db.execute(
        "select distinct s.indicator from municipality_stats s left join indicators i on i.id = s.indicator "
        "where i.id is null or i.source is null or i.table_id is null or i.licence is null "
        "or i.upstream is null or i.years is null or i.structure is null").fetchall()
    assert missing == []
    unsourced = built_db.execute("select count(*) from municipality_stats where source is null or table_id is null "
                                 "or unit is null").fetchone()[0]
    assert unsourced == 0
    used = {r[0] for r in built_db.execute("select distinct indicator from municipality_stats")}
    declared = {i for s in snapshots().values() for i in s.indicators}
    assert used == declared


def test_indicator_rows_name_source_table_and_licence(built_db):
    row = built_db.execute("select source, table_id, licence, structure, years, snapshot from indicators "
                           "where id = 'refugees_moved_in'").fetchone()
    assert row == ("IMDi", "IMDi flyktning_botid_flytting", "NLOD 2.0 (Integrerings- og mangfoldsdirektoratet)",
                   "then-valid", "2014–2022", "stats/data/refugees_secondary_2014_2022.csv.gz")
    assert built_db.execute("select source, table_id, licence from indicators where id = 'population'").fetchone() \
        == ("SSB", "07459", "CC BY 4.0 (Statistisk sentralbyrå)")


def test_municipalities_table(built_db):
    row = built_db.execute(
        "select number, name, county, county_name, landsdel, centrality_class, centrality_index, kostra_group, "
        "population, population_year, sami_area from municipalities where number = '5612'").fetchone()
    # Kautokeino: class 6 / index 495 (sentralitet_2024.csv), EKG06 (kostragrupper_2024.csv),
    # 2,886 residents on 1 Jan 2026 (SSB 06913/07459 in the shipped files).
    assert row == ("5612", "Kautokeino", "56", "Finnmark", "Nord-Norge", 6, 495, "EKG06", 2886, 2026, 1)
    assert built_db.execute("select count(*), count(lat), count(centrality_class) from municipalities").fetchone() \
        == (357, 357, 357)


@pytest.mark.skipif(not SOURCE_DIR.exists(), reason="the collected source files are not on this machine")
def test_derivation_reproduces_the_shipped_snapshots_byte_for_byte(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA_DIR / "SOURCES.yaml", data / "SOURCES.yaml")
    counts = derive_all(SOURCE_DIR, data, progress=lambda _: None)
    assert counts["population_07459"] == 14637
    for snap in snapshots().values():
        assert (data / snap.file).read_bytes() == (DATA_DIR / snap.file).read_bytes(), snap.file


def test_written_snapshot_reads_back(tmp_path):
    """Synthetic rows: written as gzip CSV without a timestamp, read back with the same values."""
    frame = pd.DataFrame({"number": ["0301", "1580"], "year": [2020, 2021], "indicator": ["x", "x"],
                          "value": [1.5, float("nan")], "symbol": ["", ":"], "flag": ["", ""]})
    write_csv_gz(frame, tmp_path / "a.csv.gz")
    write_csv_gz(frame, tmp_path / "b.csv.gz")
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()
    assert gzip.decompress((tmp_path / "a.csv.gz").read_bytes()).decode() == (
        "number,year,indicator,value,symbol,flag\n0301,2020,x,1.5,,\n1580,2021,x,,:,\n")


def test_missing_or_malformed_snapshot_is_a_clear_error(tmp_path):
    data = Path(shutil.copytree(DATA_DIR, tmp_path / "data"))
    (data / "debt_2021.csv.gz").write_bytes(gzip.compress(b"number,year\n0301,notayear\n"))
    with pytest.raises(StatsDataError, match="debt_2021.csv.gz: malformed snapshot"):
        read_snapshot("debt_2021", data)
    (data / "jobs_13470_2017.csv.gz").unlink()
    with pytest.raises(StatsDataError, match="jobs_13470_2017.csv.gz: snapshot file missing — run"):
        read_snapshot("jobs_13470_2017", data)
