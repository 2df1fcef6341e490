"""The barometer (stats/barometer/): hand-computed period example, the regression against numpy, the
variance model and shrinkage against direct formulas, and agreement with Telemarksforsking's residuals.

Synthetic numbers below are invented for the tests (labelled SYNTHETIC); the golden agreement figures come
from Telemarksforsking's model output in /work/shared/data/ssb (SOURCES.md), read only when present.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bolyst.stats import regression
from bolyst.stats.barometer import data, model, validate
from bolyst.stats.snapshots import DATA_DIR

SHARED = Path("/work/shared/data/ssb")


def synthetic_years() -> pd.DataFrame:
    """SYNTHETIC: three municipalities A, B, C over 2003–2005 (numbers invented)."""
    rows = []
    for unit, pop, net, nat, jobs, growth in (
            ("A", 1000, (10, 20, -5), (1, 0, 2), (500, 550, 605), (0.0, 10.0, 10.0)),
            ("B", 2000, (0, 0, 40), (-2, -2, -2), (1000, 1000, 900), (25.0, 0.0, -10.0)),
            ("C", 4000, (-40, 0, 0), (0, 4, 0), (2000, 2100, 2100), (0.0, 5.0, 0.0))):
        for i, year in enumerate(range(2003, 2006)):
            rows.append({"unit": unit, "year": year, "population": pop + 100 * i, "net_migration": net[i],
                         "natural_increase": nat[i], "jobs": jobs[i], "jobs_growth_pct": growth[i]})
    years = pd.DataFrame(rows)
    years["jobs_before"] = years["jobs"] / (1 + years["jobs_growth_pct"] / 100)
    return years


def test_period_frame_by_hand():
    attrs = pd.DataFrame({"centrality_index": [900.0, 700.0, 500.0]}, index=pd.Index(["A", "B", "C"], name="unit"))
    near = {"A": ["B", "C"], "B": ["A"], "C": ["A"]}
    frame = data.periods(synthetic_years(), attrs, near, starts=range(2003, 2004)).set_index("unit")
    a = frame.loc["A"]
    # A: 10/1000 + 20/1100 − 5/1200, × 100 = 1 + 1.818182 − 0.416667 = 2.401515
    assert a["net_migration_rate"] == pytest.approx(100 * (10 / 1000 + 20 / 1100 - 5 / 1200))
    assert a["natural_increase_rate"] == pytest.approx(100 * (1 / 1000 + 0 + 2 / 1200))
    assert (a["net_migration"], a["natural_increase"], a["population_start"]) == (25, 3, 1000)
    # Jobs: 4th quarter 2002 = 500 / 1.00 = 500; 2005 = 605 → +21 %.
    assert a["job_growth"] == pytest.approx(21.0)
    # Neighbours of A are B and C: start 1000/1.25 + 2000 = 2800, end 900 + 2100 = 3000 → +7.142857 %.
    assert a["neighbour_job_growth"] == pytest.approx(100 * (3000 / 2800 - 1))
    assert frame.loc["B", "job_growth"] == pytest.approx(100 * (900 / 800 - 1))
    assert a["log_population"] == pytest.approx(np.log(1000))
    assert a["period"] == "2003–2005"


def synthetic_period(n: int = 40, seed: int = 7) -> pd.DataFrame:
    """SYNTHETIC: n municipalities with noise that shrinks with population (generated, seeded)."""
    rng = np.random.default_rng(seed)
    pop = np.exp(rng.uniform(6, 11, n))
    frame = pd.DataFrame({
        "unit": [f"U{i:02d}" for i in range(n)], "period": "2003–2005", "population_start": pop,
        "job_growth": rng.normal(2, 5, n), "neighbour_job_growth": rng.normal(2, 3, n),
        "log_population": np.log(pop), "centrality_index": rng.uniform(400, 1000, n)})
    frame["net_migration_rate"] = (0.3 * frame["job_growth"] + 0.1 * frame["neighbour_job_growth"]
                                   + rng.normal(0, 1, n) + rng.normal(0, 1, n) * np.sqrt(3000 / pop))
    return frame


def test_regression_residuals_equal_numpy_least_squares():
    frame = synthetic_period()
    stats, terms, rows = model.fit_period(frame, "test", "2003–2005")
    X = np.column_stack([np.ones(len(frame)), frame[["job_growth", "neighbour_job_growth", "log_population",
                                                      "centrality_index"]].to_numpy()])
    beta = np.linalg.lstsq(X, frame["net_migration_rate"].to_numpy(), rcond=None)[0]
    assert terms["coef"].to_numpy() == pytest.approx(beta)
    expected = frame["net_migration_rate"].to_numpy() - X @ beta
    assert rows.set_index("unit").loc[frame["unit"], "residual"].to_numpy() == pytest.approx(expected)
    r2 = 1 - np.sum(expected ** 2) / np.sum((frame["net_migration_rate"] - frame["net_migration_rate"].mean()) ** 2)
    assert stats["r2"] == pytest.approx(r2) and stats["n_obs"] == 40 and stats["cov_type"] == "HC3"


def test_variance_model_shrinkage_and_rank_intervals_by_formula():
    frame = synthetic_period()
    _, _, rows = model.fit_period(frame, "test", "2003–2005")
    e, pop = rows["residual"].to_numpy(), rows["population"].to_numpy()
    tau2, k = np.linalg.lstsq(np.column_stack([np.ones_like(pop), 1 / pop]), e ** 2, rcond=None)[0]
    assert tau2 > 0 and k > 0
    noise = k / pop
    assert rows["eb_residual"].to_numpy() == pytest.approx(e * tau2 / (tau2 + noise))
    assert rows["eb_sd"].to_numpy() == pytest.approx(np.sqrt(tau2 * noise / (tau2 + noise)))
    assert rows["funnel_limit"].to_numpy() == pytest.approx(1.959964 * np.sqrt(noise))
    assert (rows["rank_best"] <= rows["rank"]).all() and (rows["rank"] <= rows["rank_worst"]).all()
    # Hand example: values 3, 2, 1 with intervals ±0.5 (no overlap) and a wide middle one.
    rank, best, worst = regression.rank_interval(np.array([3.0, 2.0, 1.0]), np.array([2.5, 0.0, 0.5]),
                                            np.array([3.5, 4.0, 1.5]))
    assert rank.tolist() == [1, 2, 3] and best.tolist() == [1, 1, 3] and worst.tolist() == [1, 3, 3]


def test_telemarksforsking_output_is_not_shipped():
    shipped = [p.name for p in DATA_DIR.iterdir()]
    assert not any("attraktivitetsmodell" in name or "telemarksforsking" in name for name in shipped)
    figures = validate.read_figures()
    assert set(figures.columns) == {"period", "metric", "value", "detail"}
    assert len(figures) < 120  # figures only, never a municipality table


@pytest.fixture(scope="module")
def agreement() -> pd.DataFrame:
    if not (SHARED / validate.REFERENCE_FILE).exists():
        pytest.skip("Telemarksforsking's output is not on this machine (/work/shared/data/ssb): it is a validation "
                    "reference and is not shipped")
    from bolyst.stats.barometer.run import barometer
    residuals = barometer()["residuals"]
    return pd.DataFrame(validate.agreement(residuals, validate.reference(SHARED / validate.REFERENCE_FILE)))


def test_agreement_with_telemarksforsking(agreement):
    by = agreement.set_index(["period", "metric"])["value"]
    pearson = by.xs("pearson", level="metric")
    assert len(pearson) == 12 and pearson.min() >= 0.8  # 0.828–0.916 when written
    assert by[("2008–2010", "top20_overlap")] >= 12 and by[("2008–2010", "bottom20_overlap")] >= 8
    # The seed's 2008–2010 top five: Ullensaker, Ulstein, Ås first to third by the empirical-Bayes residual.
    assert [by[("2008–2010", f"seed_eb_rank:{n}")] for n in ("0235", "1516", "0214")] == [1, 2, 3]


def test_shipped_figures_are_the_ones_recomputed(agreement):
    shipped = validate.read_figures().set_index(["period", "metric"])["value"]
    recomputed = agreement.set_index(["period", "metric"])["value"]
    assert shipped.to_dict() == pytest.approx(recomputed.to_dict())


def test_barometer_tables_in_the_build(built_db):
    periods = [r[0] for r in built_db.execute("select period from barometer_fits where model = 'barometer' "
                                              "order by period")]
    assert periods[0] == "2003–2005" and periods[-1] == "2014–2016" and len(periods) == 12
    after = [r[0] for r in built_db.execute("select period from barometer_fits where model = 'flyttestruktur'")]
    assert after == ["2017–2019", "2020–2022", "2023–2025"]
    assert built_db.execute("select count(*) from barometer_residuals where model = 'flyttestruktur' "
                            "and job_growth is not null").fetchone() == (0,)
    # 1580 Haram has no net migration 2020–2023 (it lay in Ålesund), so it is not in those substitute periods.
    assert built_db.execute("select count(*) from barometer_residuals where unit = '1580' and "
                            "period in ('2020–2022', '2023–2025')").fetchone() == (0,)
