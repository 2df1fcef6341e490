"""The period regressions: residual = attractiveness, with intervals, shrinkage and ranks with uncertainty.

Model (one fit per period, unit = municipality): ``FORMULA`` by ordinary least squares (statsmodels
formula), as Telemarksforsking's «lineær regresjonsanalyse», with HC3 standard errors; a municipality
missing the outcome or any predictor in a period is left out of that period's fit (listwise; ``n_obs``
says how many remain). The residual's interval, the empirical-Bayes estimate, the rank interval and the
funnel limits come from :func:`bolyst.stats.regression.fit` with population (1 January of the period's
first year) as the size: the noise of a migration rate shrinks with the number of inhabitants.
"""

from __future__ import annotations

import pandas as pd

from .. import regression

FORMULA = "net_migration_rate ~ job_growth + neighbour_job_growth + log_population + centrality_index"
TERM_COLUMNS = ["model", "period", *regression.TERM_COLUMNS]


def fit_period(frame: pd.DataFrame, model: str, period: str, formula: str = FORMULA,
               population: str = "population_start") -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Fit one period; returns (fit statistics, terms, one row per municipality with its ``population``)."""
    stats, terms, rows = regression.fit(frame, formula, population)
    keep = ["unit", *[c for c in ("municipality",) if c in rows], *regression.ROW_COLUMNS]
    rows = rows[keep].rename(columns={"n": "population"}).assign(model=model, period=period)
    return {"model": model, "period": period, **stats}, terms.assign(model=model, period=period)[TERM_COLUMNS], rows


def fit_all(frame: pd.DataFrame, model: str, formula: str = FORMULA) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every period of ``frame`` (column ``period``): (fits, terms, residuals)."""
    fits, terms, rows = [], [], []
    for period, part in frame.groupby("period", sort=True):
        f, t, r = fit_period(part, model, str(period), formula)
        fits.append(f)
        terms.append(t)
        rows.append(r)
    return pd.DataFrame(fits), pd.concat(terms, ignore_index=True), pd.concat(rows, ignore_index=True)
