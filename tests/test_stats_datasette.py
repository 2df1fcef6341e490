"""The stats tables through Datasette's own client: the «municipality profile» query and the wide view."""

from __future__ import annotations

from bolyst.site.serve.metadata import build_metadata
from bolyst.stats import schema


async def profile(datasette, municipality: str) -> list[dict]:
    response = await datasette.client.get("/bolyst/municipality_profile.json",
                                          params={"municipality": municipality, "_shape": "array"})
    assert response.status_code == 200, response.text
    return response.json()


async def test_profile_by_number_gives_key_numbers_with_source_and_year(datasette):
    rows = await profile(datasette, "1580")
    by_id = {r["indicator_id"]: r for r in rows}
    # 9,460: Haram on 1 Jan 2026 in befolkning_1jan_1986_2026_kommuner2024.csv (SSB 07459).
    assert {k: by_id["population"][k] for k in ("value", "year", "source", "table_id", "unit", "flag")} == {
        "value": 9460.0, "year": 2026, "source": "SSB", "table_id": "07459", "unit": "persons", "flag": None}
    assert by_id["centrality_index"]["value"] == 625.0  # carries pre-2020 Haram's value (SOURCES.md)
    assert [r["indicator_id"] for r in rows][:3] == ["centrality_class", "centrality_index", "kostra_group"]
    assert all(r["source"] and r["table_id"] and r["year"] for r in rows)


async def test_profile_by_current_sami_and_historical_name(datasette):
    kautokeino = await profile(datasette, "Guovdageaidnu")
    assert kautokeino == await profile(datasette, "Kautokeino")
    assert {r["indicator_id"]: r["value"] for r in kautokeino}["population"] == 2886.0
    sarpsborg = await profile(datasette, "Tune")  # merged into Sarpsborg in 1992
    assert sarpsborg == await profile(datasette, "3105")
    assert await profile(datasette, "Atlantis") == []


async def test_wide_view_and_metadata(datasette):
    response = await datasette.client.get("/bolyst/municipality_wide.json",
                                          params={"number": "0301", "_shape": "array"})
    assert response.status_code == 200
    (oslo,) = response.json()
    assert (oslo["name"], oslo["population"], oslo["population_year"], oslo["landsdel"]) == (
        "Oslo", 728714.0, 2026, "Østlandet")
    tables = build_metadata("bolyst")["databases"]["bolyst"]["tables"]
    for table in schema.TABLES[:6]:
        assert set(tables[table.name]["columns"]) == {c.name for c in table.columns}
    assert "municipality_profile" in build_metadata("bolyst")["databases"]["bolyst"]["queries"]


async def test_profile_of_an_ambiguous_name_is_empty_and_current_names_win(datasette):
    assert await profile(datasette, "Snillfjord") == []  # split between Heim, Hitra and Orkland in 2020
    haram = await profile(datasette, "Haram")  # current 1580, also historical 1534 → 1580
    assert {r["municipality"] for r in haram} == {"1580"}
    alesund = await profile(datasette, "Ålesund")  # current 1508; historical 1507 also covered today's Haram
    assert {(r["municipality"], r["name"]) for r in alesund} == {("1508", "Ålesund")}


async def test_every_model_table_is_described_and_exports_csv(datasette, built_db):
    """Point 7 of issue 12: model tables in Datasette with column descriptions, and CSV of every row."""
    import csv
    import io

    from bolyst.stats import schema_barometer, schema_models, schema_rates

    tables = build_metadata("bolyst")["databases"]["bolyst"]["tables"]
    for table in schema_models.TABLES + schema_barometer.TABLES + schema_rates.TABLES:
        described = tables[table.name]
        assert described["description"] and set(described["columns"]) == {c.name for c in table.columns}
        assert all(described["columns"].values())
        response = await datasette.client.get(f"/bolyst/{table.name}.csv", params={"_stream": "on"})
        assert response.status_code == 200, response.text
        rows = list(csv.reader(io.StringIO(response.text)))
        assert set(rows[0]) >= {c.name for c in table.columns}
        assert len(rows) - 1 == built_db[table.name].count > 0
