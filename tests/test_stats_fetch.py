"""`bolyst stats fetch` against a recorded (synthetic, hand-written JSON-stat2) response — never the network."""

from __future__ import annotations

import json
import shutil
import urllib.error
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bolyst.corpus.errors import StatsDataError
from bolyst.site.cli.main import cli
from bolyst.stats import fetch as fetch_module
from bolyst.stats.build import indicator_rows
from bolyst.stats.fetch import fetch, fetched, parse_jsonstat2, pxweb_url
from bolyst.stats.snapshots import DATA_DIR, read_snapshot, snapshots

FIXTURE = Path(__file__).parent / "fixtures" / "stats" / "pxweb_07459_synthetic.json"


@pytest.fixture
def recorded() -> dict:
    """SYNTHETIC: a hand-written response in the shape of SSB's 07459 answer (numbers are not SSB's)."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped stats/data/."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def test_url_asks_ssb_for_the_2024_aggregate_as_json_stat2():
    url = pxweb_url(snapshots()["population_07459"].fetch)
    assert url == ("https://data.ssb.no/api/pxwebapi/v2/tables/07459/data?lang=no&outputFormat=json-stat2"
                   "&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=*&valueCodes[Region]=*"
                   "&codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated")


def test_parse_dense_json_stat2(recorded):
    frame = parse_jsonstat2(recorded)
    assert list(frame.columns) == ["Region", "ContentsCode", "Tid", "value", "status"]
    assert frame.to_dict("records")[2:4] == [
        {"Region": "K-0301", "ContentsCode": "Personer1", "Tid": "2023", "value": pytest.approx(float("nan"),
                                                                                            nan_ok=True), "status": ":"},
        {"Region": "K-0301", "ContentsCode": "Personer1", "Tid": "2024", "value": 1010, "status": ""}]


def test_parse_sparse_values_and_list_index():
    payload = {"id": ["Region", "Tid"], "size": [2, 2],
               "dimension": {"Region": {"category": {"index": ["0101", "0104"]}},
                             "Tid": {"category": {"index": {"2001": 1, "2000": 0}}}},
               "value": {"1": 5, "2": 7}, "status": {"0": "."}}
    frame = parse_jsonstat2(payload)
    assert frame[["Region", "Tid", "status"]].values.tolist() == [
        ["0101", "2000", "."], ["0101", "2001", ""], ["0104", "2000", ""], ["0104", "2001", ""]]
    assert frame["value"].fillna(-1).tolist() == [-1, 5, 7, -1]


def test_malformed_answer_is_a_clear_error():
    with pytest.raises(StatsDataError, match="not a JSON-stat2 dataset.*size"):
        parse_jsonstat2({"id": ["Region"], "size": [3], "dimension": {"Region": {"category": {"index": ["a"]}}},
                         "value": [1]}, where="https://example/x")


def test_fetch_writes_the_snapshot_and_records_the_call(recorded, data_dir):
    calls = []

    def get(url):
        calls.append(url)
        return recorded

    counts = fetch(["population_07459"], data_dir=data_dir, get=get, progress=lambda _: None,
                   today=__import__("datetime").date(2026, 1, 2))
    assert counts == {"population_07459": 6}
    rows = read_snapshot("population_07459", data_dir)
    assert rows.fillna({"value": -1}).to_dict("records") == [
        {"number": "0301", "year": 2023, "indicator": "population", "value": -1, "symbol": ":", "flag": ""},
        {"number": "0301", "year": 2024, "indicator": "population", "value": 1010, "symbol": "", "flag": ""},
        {"number": "1508", "year": 2023, "indicator": "population", "value": 900, "symbol": "",
         "flag": "split_unallocated"},
        {"number": "1508", "year": 2024, "indicator": "population", "value": 800, "symbol": "", "flag": ""},
        {"number": "1580", "year": 2023, "indicator": "population", "value": 0, "symbol": "no_series",
         "flag": "no_series"},
        {"number": "1580", "year": 2024, "indicator": "population", "value": 100, "symbol": "", "flag": ""},
    ]
    record = fetched(data_dir)["population_07459"]
    assert record == {"url": calls[0], "fetched": "2026-01-02", "rows": 6}
    upstream = {r["id"]: r["upstream"] for r in indicator_rows(snapshots(data_dir), fetched(data_dir))}
    assert upstream["population"] == f"SSB PxWebApi v2, fetched 2026-01-02: {calls[0]}"
    assert upstream["population_06913"].startswith("oystess/valg_analyser")


def test_zero_from_the_2024_aggregate_becomes_no_series(recorded, data_dir):
    recorded["value"][7] = 0  # 1580 Haram 2024 = 0, as SSB gives for a split municipality without series
    fetch(["population_07459"], data_dir=data_dir, get=lambda url: recorded, progress=lambda _: None)
    rows = read_snapshot("population_07459", data_dir)
    haram = rows[rows["number"] == "1580"].to_dict("records")
    assert haram == [{"number": "1580", "year": 2023, "indicator": "population", "value": 0.0,
                      "symbol": "no_series", "flag": "no_series"},
                     {"number": "1580", "year": 2024, "indicator": "population", "value": 0.0,
                      "symbol": "no_series", "flag": "no_series"}]


def test_no_network_leaves_the_snapshots_untouched(monkeypatch, data_dir):
    before = (data_dir / "population_07459.csv.gz").read_bytes()

    def offline(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", offline)
    with pytest.raises(StatsDataError, match="cannot reach SSB.*shipped snapshots are unchanged"):
        fetch(data_dir=data_dir, progress=lambda _: None)
    assert (data_dir / "population_07459.csv.gz").read_bytes() == before
    assert not (data_dir / "FETCHED.yaml").exists()


def test_unknown_snapshot_name_lists_the_fetchable_ones(data_dir):
    with pytest.raises(StatsDataError, match=r"choose from \['population_07459', 'population_changes_06913'\]"):
        fetch(["immigrants_1986_2015"], data_dir=data_dir, get=lambda url: {}, progress=lambda _: None)


def test_cli_fetch_uses_the_recorded_response(monkeypatch, recorded, data_dir):
    monkeypatch.setattr(fetch_module, "http_get_json", lambda url, timeout=120: recorded)
    result = CliRunner().invoke(cli, ["stats", "fetch", "population_07459", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "population_07459: 6 rows written" in result.output
    assert yaml.safe_load((data_dir / "FETCHED.yaml").read_text(encoding="utf-8"))["population_07459"]["rows"] == 6
