"""The analysis tables in the shipped knowledge base: links, comparables, models, matrix, through SQLite
and Datasette's own client."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from bolyst.stats.features import NUMERIC
from bolyst.stats.gazetteer import STOPLIST
from bolyst.stats.regions import landsdel_of


def test_landsdel_mapping_agrees_with_municipalities_table(built_db):
    rows = list(built_db.query("select number, landsdel from municipalities"))
    assert len(rows) == 357
    assert [r for r in rows if landsdel_of(r["number"]) != r["landsdel"]] == []


def test_exact_links_from_named_places(built_db):
    links = {(r["excerpt"], r["municipality"]) for r in built_db.query(
        "select excerpt, municipality from excerpt_places where link_type = 'exact'")}
    assert ("nibr-derfor-blir-vi-her/beata-jeg-vil-jobbe", "3427") in links  # Tynset
    named = built_db.execute("select count(*) from excerpts e join places p on p.id = e.place "
                             "where p.kind = 'municipality'").fetchone()[0]
    assert len(links) == named


def test_no_stoplisted_name_linked_without_place_context(built_db):
    for r in built_db.query("select reason from excerpt_places where link_type = 'mention'"):
        name = r["reason"].split("»")[0].lstrip("«")
        if name.casefold() in STOPLIST:
            assert "after '" in r["reason"] or "before '" in r["reason"], r


def test_profile_weights_sum_to_one_per_excerpt(built_db):
    sums = built_db.execute("select excerpt, sum(weight), count(*) from excerpt_places where link_type = 'profile' "
                            "group by excerpt").fetchall()
    assert sums and all(math.isclose(total, 1.0) for _, total, _ in sums)
    members = built_db.execute("select p.id, p.n_municipalities, count(pm.municipality) from profiles p "
                               "join profile_municipalities pm on pm.profile = p.id group by p.id").fetchall()
    assert all(n == counted for _, n, counted in members)


def test_comparables_are_symmetric_and_explained(built_db):
    pairs = {(r["municipality"], r["comparable"]): r["distance"] for r in built_db.query("select * from comparables")}
    # 356 × 10: 1580 Haram (re-established 2024) lacks four of seven indicators, so it is compared with no one.
    assert len(pairs) == 3560
    assert {r[0] for r in built_db.execute("select number from municipalities where number not in "
                                           "(select municipality from comparables)")} == {"1580"}
    mutual = [(a, b) for a, b in pairs if (b, a) in pairs]
    assert len(mutual) > 1000
    assert all(math.isclose(pairs[a, b], pairs[b, a], rel_tol=1e-12) for a, b in mutual)
    sums = {(r[0], r[1]): r[2] for r in built_db.execute(
        "select municipality, comparable, sum(contribution) from comparable_contributions group by 1, 2")}
    assert all(math.isclose(sums[key], d * d, rel_tol=1e-9) for key, d in pairs.items())
    indicators = {r[0] for r in built_db.execute("select id from comparison_indicators")}
    assert indicators == set(NUMERIC) | {"landsdel"}


def test_model_residuals_are_actual_minus_predicted_with_intervals_and_ranked(built_db):
    for model in ("refugee_secondary_in",):
        rows = list(built_db.query("select * from model_residuals where model = ? order by rank", [model]))
        fit = next(built_db.query("select * from models where id = ?", [model]))
        assert len(rows) == fit["n_obs"] > 100 and 0 < fit["r2"] < 1 and fit["cov_type"] == "HC3"
        assert min(r["n"] for r in rows) >= fit["min_n"] == 20
        residuals = np.array([r["residual"] for r in rows])
        assert np.allclose(residuals, [r["actual"] - r["predicted"] for r in rows])
        assert abs(residuals.mean()) < 1e-8  # OLS with an intercept: residuals sum to 0
        assert (np.diff([r["eb_residual"] for r in rows]) <= 0).all()
        assert all(r["pi_low"] < r["residual"] < r["pi_high"] and r["rank_best"] <= r["rank"] <= r["rank_worst"]
                   for r in rows)
        # Smaller counts, wider intervals: the residual's standard error falls as n grows.
        by_n = sorted(rows, key=lambda r: r["n"])
        assert by_n[0]["residual_se"] > by_n[-1]["residual_se"]
        verdicts = {v: sum(r["verdict"] == v for r in rows) for v in ("above", "below")}
        assert (verdicts["above"], verdicts["below"]) == (fit["n_above"], fit["n_below"])


def test_theme_matrix_counts_match_the_cell_quotes(built_db):
    cells = list(built_db.query("select * from theme_matrix where level = 'theme' and dimension = 'landsdel'"))
    assert {c["code"] for c in cells} >= {"push", "pull", "stay", "retain"}
    for cell in cells:
        n = built_db.execute(
            "select count(*) from matrix_codings m join excerpt_characteristics ch on ch.excerpt = m.excerpt "
            "where m.code = ? and ch.dimension = ? and ch.category = ?",
            [cell["code"], cell["dimension"], cell["category"]]).fetchone()[0]
        assert n == cell["n_coded"]
    # Nested excerpts are collapsed into the excerpt containing them: the matrix counts the outer ones.
    total = built_db.execute("select count(*) from excerpt_characteristics where dimension = 'landsdel'").fetchone()[0]
    assert total < built_db.execute("select count(*) from excerpts").fetchone()[0]
    per_code = built_db.execute("select sum(n_excerpts) from theme_matrix where code = 'push' "
                                "and dimension = 'landsdel'").fetchone()[0]
    assert per_code == total


@pytest.mark.parametrize("query", ["Tynset", "3427"])
async def test_comparable_quotes_query(datasette, query):
    response = await datasette.client.get(f"/bolyst/comparable_quotes.json?municipality={query}&_shape=objects")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows[0]["rank"] == 0 and rows[0]["name"] == "Tynset"
    assert {r["rank"] for r in rows} == set(range(11))
    assert any(r["link_type"] == "exact" and r["quote"] for r in rows)


async def test_matrix_cell_links_to_its_quotes(datasette, built_db):
    cell = next(built_db.query("select * from theme_matrix where dimension = 'landsdel' and category = 'Nord-Norge' "
                               "and code = 'push'"))
    response = await datasette.client.get(cell["quotes_path"].replace("theme_quotes?", "theme_quotes.json?")
                                          + "&_shape=objects")
    assert response.status_code == 200
    assert len(response.json()["rows"]) == cell["n_coded"] > 0
    matrix = await datasette.client.get("/bolyst/theme_by_characteristic.json?dimension=landsdel&_shape=objects")
    assert any(r["quotes_path"] == cell["quotes_path"] for r in matrix.json()["rows"])


def test_no_retention_rate_because_the_stock_is_not_a_cohort(built_db):
    """Issue 12 point 4 is blocked: the figure quoted in SOURCES.yaml (refugees_secondary_2014_2022) shows the
    shipped stock is not a settlement cohort, and no table publishes a «retention» measure."""
    from bolyst.stats.features import series, total

    stats = pd.read_sql_query("select municipality, indicator, year, value from municipality_stats where "
                              "indicator in ('refugees_first_settlement_0_4y', 'refugees_settled')", built_db.conn)
    stock = series(stats, "refugees_first_settlement_0_4y", 2022)
    settled = total(stats, "refugees_settled", range(2017, 2022))
    both = pd.concat([stock, settled], axis=1).dropna()
    both = both[both["refugees_settled"] >= 20]
    assert (int((both["refugees_first_settlement_0_4y"] > both["refugees_settled"]).sum()), len(both)) == (48, 176)
    assert not [t for t in built_db.table_names() if "retention" in t]
    assert not [c.name for t in built_db.table_names() for c in built_db[t].columns if "retention" in c.name]
