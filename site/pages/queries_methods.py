"""Named queries of the methods pages and of the municipality page's barometer section.

Plain (sql, needs) pairs; ``queries.py`` wraps them into ``Query`` and merges them into ``QUERIES``. The
barometer's tables (``barometer_*``, one fit per period) and the other residual models' (``models``,
``model_terms``, ``model_residuals``, one fit each) answer in the same columns, so one methods template
shows either: a model's fit has the period its outcome describes, and a municipality is its own unit.
"""

from __future__ import annotations


def Query(sql: str, needs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:  # noqa: N802 (wrapped in queries.py)
    return sql, needs


_FITS = ("barometer_fits.model", "barometer_fits.r2", "barometer_fits.breusch_pagan_p", "barometer_fits.tau2")
_ROWS = ("barometer_residuals.eb_residual", "barometer_residuals.rank_best", "barometer_residuals.verdict")
_MODEL_ROWS = ("model_residuals.eb_residual", "model_residuals.rank_best", "model_residuals.verdict",
               "models.period")
#: A residual's estimate, interval and rank with its interval, as every residual table has them.
_RESIDUAL = ("residual, residual_se, pi_low, pi_high, eb_residual, eb_sd, rank, rank_best, rank_worst, residual_rank, "
             "verdict, funnel_limit")
#: One model's rows in the barometer's shape (unit, unit_name, municipality, population = the model's size).
_MODEL_UNITS = f"""
    select o.period, r.municipality as unit, m.name as unit_name, r.municipality, r.n as population, r.actual,
           r.predicted, {", ".join("r." + c.strip() for c in _RESIDUAL.split(","))}
    from model_residuals r join models o on o.id = r.model join municipalities m on m.number = r.municipality
    where r.model = :model"""


def _extremes(rows: str) -> str:
    """The ten highest and ten lowest ranks of ``rows`` (one model and period), with how many are ranked."""
    return f"""
        with r as ({rows}) select *, (select count(*) from r) as ranked from r
        where rank <= 10 or rank > (select count(*) - 10 from r) order by rank"""


METHODS = {
    "barometer_fits": Query("select * from barometer_fits where model = :model order by period", _FITS),
    "barometer_terms": Query("""
        select * from barometer_terms where model = :model order by period, term""", ("barometer_terms.coef",)),
    "barometer_validation": Query("select * from barometer_validation order by period, metric",
                                  ("barometer_validation.metric",)),
    "barometer_funnel": Query("""
        select unit, unit_name, municipality, population, residual, eb_residual, funnel_limit, verdict
        from barometer_residuals where model = :model and period = :period order by population""", _ROWS),
    "barometer_extremes": Query(_extremes(f"""
        select period, unit, unit_name, municipality, population, {_RESIDUAL}
        from barometer_residuals where model = :model and period = :period"""), _ROWS),
    "municipality_barometer": Query("""
        select r.*, (select count(*) from barometer_residuals r2 where r2.model = r.model
                     and r2.period = r.period) as ranked
        from barometer_residuals r where r.municipality = :municipality
        order by r.model, r.period, r.unit""", _ROWS),
    "model_fits": Query("select *, id as model from models where id = :model",
                        ("models.r2", "models.breusch_pagan_p", "models.tau2", "models.period")),
    "model_terms": Query("""
        select t.*, o.period from model_terms t join models o on o.id = t.model where t.model = :model
        order by t.term""", ("model_terms.coef", "models.period")),
    "model_funnel": Query(f"{_MODEL_UNITS} order by r.n", _MODEL_ROWS),
    "model_extremes": Query(_extremes(_MODEL_UNITS), _MODEL_ROWS),
}

#: Rates for small municipalities (rate_estimates, stats/rates.py): per rate and year, and one municipality's.
_RATE_NEEDS = ("rate_estimates.eb_rate", "rate_estimates.verdict", "rate_estimates.limit998_high")
METHODS.update({
    "rate_years": Query("""
        select r.indicator, i.label_nb, i.label_en, r.year, min(r.national_rate) as national_rate,
               min(r.n_municipalities) as n_municipalities, sqrt(min(r.between_var)) as between_sd,
               sum(r.verdict = 'above') as n_above, sum(r.verdict = 'below') as n_below,
               sum(r.verdict_998 = 'above') as n_above_998, sum(r.verdict_998 = 'below') as n_below_998,
               max(coalesce(r.flag, '') like '%partial_year%') as partial_year
        from rate_estimates r join indicators i on i.id = r.indicator
        group by r.indicator, r.year order by i.sort_order, r.indicator, r.year""", (*_RATE_NEEDS, "indicators")),
    "rate_funnel": Query("""
        select r.*, m.name from rate_estimates r join municipalities m on m.number = r.municipality
        where r.indicator = :indicator and r.year = :year order by r.population, r.municipality""", _RATE_NEEDS),
    "municipality_rates": Query("""
        select indicator, year, rate, eb_rate, eb_low, eb_high, shrinkage, national_rate, verdict, verdict_998
        from rate_estimates where municipality = :municipality order by indicator, year""", _RATE_NEEDS),
})
