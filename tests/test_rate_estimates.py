"""Rates for small municipalities (stats/rates.py): empirical-Bayes shrinkage and exact Poisson funnel limits.

The references are independent computations on a tiny SYNTHETIC example (four made-up municipalities, counts and
populations chosen by hand below): the Poisson–gamma posterior mean in Clayton & Kaldor's form (count + ν) / (n +
α) with ν = m²/A and α = m/A, the Poisson quantiles by summing the probability mass in plain Python, and the
posterior interval by a seeded numpy Monte Carlo. The shipped-data tests check the direction and size of the
shrinkage on Utsira (1151, 188 residents in 2022) and Oslo (0301, about 700 000). For refugees living, Utsira has no
count (IMDi suppressed it); the smallest with one, Røyrvik (441 residents, 14 refugees), keeps 79 % of its own rate:
the true rates of that stock differ far more between municipalities than chance at that size would make them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bolyst.stats import rates

# SYNTHETIC: four municipalities, made up for this test.
COUNTS = [0.0, 3.0, 30.0, 200.0]
POPULATIONS = [100.0, 1000.0, 2000.0, 50000.0]
M = sum(COUNTS) / sum(POPULATIONS)  # the national rate per person: 233 / 53 100


def synthetic() -> pd.DataFrame:
    return pd.DataFrame({"municipality": ["a", "b", "c", "d"], "count": COUNTS, "population": POPULATIONS})


def poisson_cdf(k: int, mean: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mean), summing the mass with p(i) = p(i − 1) × mean / i."""
    mass, total = math.exp(-mean), 0.0
    for i in range(k + 1):
        total += mass
        mass *= mean / (i + 1)
    return total


def hand_limit(expected: float, p: float) -> float:
    """Spiegelhalter (2005), appendix A.1.2, by hand: smallest r with F(r) ≥ p, then interpolate."""
    r = 0
    while poisson_cdf(r, expected) < p:
        r += 1
    below = poisson_cdf(r - 1, expected) if r > 0 else 0.0
    alpha = (poisson_cdf(r, expected) - p) / (poisson_cdf(r, expected) - below)
    return max(r - alpha, 0.0)


def test_eb_rate_equals_the_poisson_gamma_posterior_mean_by_hand() -> None:
    out = rates.shrink(synthetic())
    y, n = np.array(COUNTS), np.array(POPULATIONS)
    m = M
    s2 = sum(ni * (yi / ni - m) ** 2 for yi, ni in zip(y, n)) / sum(POPULATIONS)
    a = s2 - m / (sum(POPULATIONS) / 4)
    assert a > 0  # the example is overdispersed, so the shrinkage is partial
    nu, alpha = m * m / a, m / a
    assert out["national_rate"].tolist() == pytest.approx([1000 * m] * 4, rel=1e-12)
    assert out["between_var"].iloc[0] == pytest.approx(1e6 * a, rel=1e-12)
    assert out["eb_rate"].tolist() == pytest.approx(list(1000 * (y + nu) / (n + alpha)), rel=1e-10)
    assert out["shrinkage"].tolist() == pytest.approx(list(n / (n + alpha)), rel=1e-10)
    assert out["expected"].tolist() == pytest.approx(list(m * n), rel=1e-12)
    # the smallest is pulled hardest: its weight is the smallest and its estimate is closest to m
    assert out["shrinkage"].is_monotonic_increasing


def test_eb_interval_is_the_gamma_posterior_by_simulation() -> None:
    out = rates.shrink(synthetic())
    m, a = M, out["between_var"].iloc[0] / 1e6
    draws = np.random.default_rng(20240611).gamma(COUNTS[1] + m * m / a, 1 / (POPULATIONS[1] + m / a), 400_000)
    low, high = 1000 * np.quantile(draws, [0.025, 0.975])
    assert out["eb_low"].iloc[1] == pytest.approx(low, rel=0.01)
    assert out["eb_high"].iloc[1] == pytest.approx(high, rel=0.01)


def test_funnel_limits_are_exact_poisson_by_hand() -> None:
    out = rates.shrink(synthetic())
    m = M
    for i, n in enumerate(POPULATIONS):
        for name, low, high in rates.LIMITS:
            assert out[f"limit{name}_low"].iloc[i] == pytest.approx(1000 * hand_limit(m * n, low) / n, abs=1e-9)
            assert out[f"limit{name}_high"].iloc[i] == pytest.approx(1000 * hand_limit(m * n, high) / n, abs=1e-9)
    # a: expected 0.44, 0 observed, lower limit 0 → within; its upper 95 % limit: F(1) < 0.975 ≤ F(2)
    assert out["limit95_low"].iloc[0] == 0.0 and 10 < out["limit95_high"].iloc[0] < 20
    assert out["verdict"].tolist() == [hand_verdict(out, i) for i in range(4)]


def hand_verdict(out: pd.DataFrame, i: int) -> str:
    rate = 1000 * COUNTS[i] / POPULATIONS[i]
    return "above" if rate > out["limit95_high"].iloc[i] else "below" if rate < out["limit95_low"].iloc[i] else "within"


def test_no_between_variance_means_everyone_gets_the_national_rate() -> None:
    # SYNTHETIC: rates exactly equal, so s² = 0 < m/n̄ and A is clipped to 0
    frame = pd.DataFrame({"municipality": ["a", "b"], "count": [1.0, 10.0], "population": [1000.0, 10000.0]})
    out = rates.shrink(frame)
    assert out["between_var"].tolist() == [0.0, 0.0] and out["shrinkage"].tolist() == [0.0, 0.0]
    assert out["eb_rate"].tolist() == [1.0, 1.0] == out["eb_low"].tolist() == out["eb_high"].tolist()


def test_rate_estimates_join_counts_and_leave_out_municipalities_without_a_count() -> None:
    # SYNTHETIC long rows in municipality_stats' shape
    stats = pd.DataFrame([
        ("a", "x_per_1000", 2020, 10.0, "partial_year"), ("a", "x", 2020, 1.0, ""), ("a", "pop", 2020, 100.0, ""),
        ("b", "x_per_1000", 2020, 5.0, ""), ("b", "x", 2020, 5.0, ""), ("b", "pop", 2020, 1000.0, ""),
        ("c", "x_per_1000", 2020, None, ""), ("c", "x", 2020, None, ""), ("c", "pop", 2020, 50.0, "")],
        columns=["municipality", "indicator", "year", "value", "flag"])
    indicators = pd.DataFrame({"id": ["x_per_1000"], "numerator": ["x"], "denominator": ["pop"]})
    out = rates.rate_estimates(stats, indicators, ("x_per_1000",))
    assert list(out.columns) == rates.COLUMNS
    assert out[["municipality", "count", "population", "rate", "flag"]].values.tolist() == [
        ["a", 1.0, 100.0, 10.0, "partial_year"], ["b", 5.0, 1000.0, 5.0, None]]
    assert out["national_rate"].tolist() == pytest.approx([6 / 1100 * 1000] * 2)
    assert out["n_municipalities"].tolist() == [2, 2]


def test_shipped_data_small_municipalities_shrink_and_oslo_barely_moves(built_db) -> None:
    rows = {(r[0], r[1]): r[2:] for r in built_db.execute(
        "select indicator, municipality, rate, eb_rate, national_rate, shrinkage, population from rate_estimates "
        "where year = 2022")}
    for rate in rates.RATES:
        population = {m: r[4] for (i, m), r in rows.items() if i == rate}
        smallest = min(population, key=population.get)
        weights = [r[3] for (i, _), r in rows.items() if i == rate]
        raw, eb, national, w, _ = rows[(rate, smallest)]
        # the weight of a municipality's own rate grows with its population: the smallest keeps the least
        assert w == min(weights) < 0.8 and abs(eb - national) < 0.8 * abs(raw - national)
        raw, eb, national, w, _ = rows[(rate, "0301")]
        assert w > 0.99 and abs(eb - raw) < 0.01 * abs(raw - national)
    # Utsira, 2022: 15 refugees settled, 188 residents on 1 January (IMDi; SSB 07459) → 79.79 per 1,000
    raw, eb, national, w, population = rows[("refugees_settled_per_1000", "1151")]
    assert (population, round(raw, 2)) == (188.0, 79.79)
    assert national < eb < raw / 2 and w < 0.4  # pulled more than halfway to the national 5.76


def test_rate_estimates_cover_every_count_based_rate_and_are_sorted(built_db) -> None:
    keys = [tuple(r) for r in built_db.execute("select indicator, year, municipality from rate_estimates order by rowid")]
    assert keys == sorted(keys) and {k[0] for k in keys} == set(rates.RATES)
    n = built_db.execute("select count(*) from municipality_stats where value is not null and indicator in "
                         "('refugees_settled_per_1000', 'refugees_living_per_1000')").fetchone()[0]
    assert len(keys) == n
    national = dict(built_db.execute(
        "select year, sum(count) * 1000.0 / sum(population) from rate_estimates "
        "where indicator = 'refugees_living_per_1000' group by year"))
    stored = dict(built_db.execute("select distinct year, national_rate from rate_estimates "
                                   "where indicator = 'refugees_living_per_1000'"))
    assert stored == pytest.approx(national)


def _page(built_db_path, path: str, lang: str = "nb"):
    import sqlite3

    from bs4 import BeautifulSoup

    from bolyst.site.pages.site import render_target, resolve
    from bolyst.site.pages.store import Store

    conn = sqlite3.connect(built_db_path)
    conn.row_factory = sqlite3.Row
    return BeautifulSoup(render_target(Store(conn), resolve(path), lang=lang), "html.parser")


def test_rates_methods_page_shows_a_funnel_of_the_latest_complete_year(built_db_path, built_db) -> None:
    html = _page(built_db_path, "methods/rates/")
    assert html.h1.get_text() == "Rater for små kommuner"
    settled = html.find(id="rate-refugees_settled_per_1000").find_parent("section")
    # 2023 is a partial year (IMDi file of September 2023): the funnel shows 2022 and says why
    assert "Traktplottet viser 2022, det siste hele året. 2023 er et delvis år" in settled.select_one("p.note").get_text()
    n = built_db.execute("select count(*) from rate_estimates where indicator = 'refugees_settled_per_1000' "
                         "and year = 2022").fetchone()[0]
    assert len(settled.find_all("circle")) == n
    assert settled.figure.figcaption.strong.get_text().startswith("Traktplott 2022: Bosatte flyktninger per 1000")
    years = [tr.th.get_text(" ", strip=True) for tr in settled.table.tbody.find_all("tr")]
    assert years[0] == "2012" and years[-1] == "2023 partial_year"
    english = _page(built_db_path, "methods/rates/", "en")
    assert english.h1.get_text() == "Rates for small municipalities" and english.find(id="shrinkage")


def test_municipality_page_shows_the_shrunken_rate_and_verdict_beside_the_rate(built_db_path) -> None:
    html = _page(built_db_path, "municipality/1151/")
    row = next(tr for tr in html.select("table.keys tbody tr")
               if tr.th.get_text(strip=True) == "Bosatte flyktninger per 1000 innbyggere")
    cell = row.find("td", class_="eb")
    assert cell.a["href"].endswith("methods/rates/index.html")
    assert " ".join(cell.get_text(" ", strip=True).split()) == "14,96 (7,40–25,13) over trakten"  # 2023, partial year
    population = next(tr for tr in html.select("table.keys tbody tr") if tr.th.get_text(strip=True).startswith("Folk"))
    assert population.find("td", class_="eb").get_text(strip=True) == ""
