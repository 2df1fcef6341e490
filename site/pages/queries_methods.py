"""Named queries of the methods pages and the municipality page's barometer section.

Plain (sql, needs) pairs; ``queries.py`` wraps them into ``Query`` and merges them into ``QUERIES``.
"""

from __future__ import annotations


def Query(sql: str, needs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:  # noqa: N802 (wrapped in queries.py)
    return sql, needs

_FITS = ("barometer_fits.model", "barometer_fits.r2", "barometer_fits.breusch_pagan_p", "barometer_fits.tau2")
_ROWS = ("barometer_residuals.eb_residual", "barometer_residuals.rank_best", "barometer_residuals.verdict")

METHODS = {
    "barometer_fits": Query("select * from barometer_fits where model = :model order by period", _FITS),
    "barometer_terms": Query("""
        select * from barometer_terms where model = :model order by period, term""", ("barometer_terms.coef",)),
    "barometer_validation": Query("select * from barometer_validation order by period, metric",
                                  ("barometer_validation.metric",)),
    "barometer_funnel": Query("""
        select unit, unit_name, municipality, population, residual, eb_residual, funnel_limit, verdict
        from barometer_residuals where model = :model and period = :period order by population""", _ROWS),
    "barometer_extremes": Query("""
        select period, unit, unit_name, municipality, population, residual, eb_residual, eb_sd, rank,
               rank_best, rank_worst, residual_rank, verdict,
               (select count(*) from barometer_residuals r2 where r2.model = r.model and r2.period = r.period) as ranked
        from barometer_residuals r where model = :model and period = :period and (rank <= 10 or rank > (
          select count(*) - 10 from barometer_residuals r3 where r3.model = r.model and r3.period = r.period))
        order by rank""", _ROWS),
    "municipality_barometer": Query("""
        select r.*, (select count(*) from barometer_residuals r2 where r2.model = r.model
                     and r2.period = r.period) as ranked
        from barometer_residuals r where r.municipality = :municipality
        order by r.model, r.period, r.unit""", _ROWS),
}
