"""Fafo-rapport 2025:14 Tabell 1 («Hele befolkningen per 1.1.2023») reproduced from the shipped SSB data.

Golden numbers: the published column is read from corpus/sources/fafo-2025-14/findings.yaml (verbatim
from seed 002, lines 617–670); the reproduced numbers come from stats/data (SSB 07459, 1 January 2023).
"""

from __future__ import annotations

import pandas as pd
from bolyst.stats.tabell1 import TABLE, boundary_flows


def rows(built_db) -> dict[tuple[str, str], dict]:
    return {(r["row"], r["measure"]): r for r in built_db.query(
        "select * from reproductions where table_ref = ?", [TABLE])}


def test_every_published_population_figure_has_a_row(built_db):
    got = rows(built_db)
    assert len(got) == 36  # N, note N, 6 classes, 5 landsdeler, 6 bands; persons + percent (N rows: persons)
    assert all(r["finding"].startswith("fafo-2025-14/tab1-") for r in got.values())


def test_total_landsdel_and_bands_match_exactly(built_db):
    got = rows(built_db)
    for row in ("N", "Nord-Norge", "Sørlandet", "Trøndelag", "Vestlandet", "Østlandet", "Under 2000 innbyggere",
                "2000–4 999 innbyggere", "5000–9 999 innbyggere", "10 000–19 999 innbyggere",
                "20 000–49 999 innbyggere", "50 000 eller flere innbyggere"):
        r = got[row, "persons"]
        assert r["difference"] == 0, (row, r)
        assert r["explanation"].startswith("matches.")
    assert got["N", "persons"]["reproduced"] == 5_488_984
    assert got["Østlandet", "persons"]["reproduced"] == 2_804_007


def test_centrality_differences_are_explained(built_db):
    got = rows(built_db)
    one = got["Sentralitet: 1", "persons"]
    assert (one["published"], one["reproduced"], one["difference"]) == (1_059_086, 996_841, -62_245)
    assert "exactly the population of Nordre Follo (3207, index 923, class 2" in one["explanation"]
    assert "Sola (1124" in got["Sentralitet: 3", "persons"]["explanation"]
    assert sum(got[f"Sentralitet: {c}", "persons"]["difference"] for c in range(1, 7)) == 0


def test_table_note_typo_is_named(built_db):
    note = rows(built_db)["N (table note)", "persons"]
    assert note["published"] == 5_588_984 and note["difference"] == -100_000
    assert "typing error" in note["explanation"]


def test_boundary_flows_hand_example():
    # SYNTHETIC: three municipalities; the published table moves B (class 2 → 1).
    municipalities = pd.DataFrame({"number": ["A", "B", "C"], "name": ["A", "B", "C"], "landsdel": ["x"] * 3,
                                   "centrality_class": [1, 2, 3], "centrality_index": [950, 923, 800]})
    population = pd.Series({"A": 100.0, "B": 50.0, "C": 10.0})
    flows = boundary_flows(municipalities, population, {1: 150, 2: 0, 3: 10})
    assert flows == {1: -50.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0}
