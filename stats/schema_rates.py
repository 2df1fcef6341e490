"""The table of rates for small municipalities (stats/rates.py): empirical-Bayes shrinkage and funnel limits.

Appended to :data:`bolyst.stats.schema.TABLES` (end of that file); written by ``analysis.run_rates``.
"""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table

_LIMIT = ("{side} {level} control limit of the funnel for this population, per 1,000: exact Poisson (Spiegelhalter "
          "2005, interpolated between counts) around expected = national_rate × population, ÷ population.")

RATE_ESTIMATES = Table(
    "rate_estimates", "Count-based rates per 1,000 residents (refugees settled, refugees living) per municipality "
                      "and year, with the national rate, an empirical-Bayes (Poisson–gamma, Marshall 1991 method of "
                      "moments) shrunken rate and the funnel plot's control limits for the municipality's population "
                      "(stats/rates.py; methods page /methods/rates). Net migration per 1,000 is not here: it can be "
                      "negative, which no Poisson count is.",
    (
        C("indicator", str, "The rate (indicators.id, aggregation 'rate').", fk="indicators"),
        C("year", int, "Year of the count; the population is residents on 1 January of that year."),
        C("municipality", str, "The municipality (2024 number).", fk="municipalities.number"),
        C("count", float, "The rate's numerator (indicators.numerator) in municipality_stats, persons."),
        C("population", float, "The rate's denominator (indicators.denominator) in municipality_stats, residents."),
        C("rate", float, "Observed rate per 1,000: 1000 × count / population (municipality_stats holds it rounded to 4 decimals)."),
        C("expected", float, "Expected count at the national rate: national_rate / 1000 × population."),
        C("national_rate", float, "Σ count / Σ population × 1000 over the municipalities with a count that year "
                                  "(n_municipalities; those without one are left out)."),
        C("n_municipalities", int, "Municipalities with a count and a population in this indicator and year."),
        C("between_var", float, "A: variance of the municipalities' true rates (per 1,000, squared), Marshall's "
                                "moment estimate s² − m/n̄ (0 when negative)."),
        C("shrinkage", float, "w = A / (A + m / population): the weight of the municipality's own rate in eb_rate "
                              "(0 = the national rate only, 1 = its own rate only); small populations get small w."),
        C("eb_rate", float, "Empirical-Bayes rate per 1,000: national_rate + w × (rate − national_rate), the "
                            "posterior mean of the Poisson–gamma model."),
        C("eb_low", float, "2.5 % point of the gamma posterior, per 1,000."),
        C("eb_high", float, "97.5 % point of the gamma posterior, per 1,000."),
        C("limit95_low", float, _LIMIT.format(side="Lower", level="95 %")),
        C("limit95_high", float, _LIMIT.format(side="Upper", level="95 %")),
        C("limit998_low", float, _LIMIT.format(side="Lower", level="99.8 %")),
        C("limit998_high", float, _LIMIT.format(side="Upper", level="99.8 %")),
        C("verdict", str, "above / below / within: the observed rate against the 95 % limits."),
        C("verdict_998", str, "above / below / within: the observed rate against the 99.8 % limits."),
        C("flag", str, "The rate's flag in municipality_stats (partial_year: the year's counts, hence its national "
                       "rate, cover part of the year; incomplete: the count is a lower bound)."),
    ),
    pk=("indicator", "year", "municipality"), facets=("indicator", "year", "verdict"), sort="municipality",
    indexes=(("municipality", "indicator", "year"),),
)

TABLES = (RATE_ESTIMATES,)
