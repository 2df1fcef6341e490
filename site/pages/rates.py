"""The methods page «Rater for små kommuner» (methods/rates/): empirical-Bayes rates and funnel plots.

Per count-based rate (the ``rate_estimates`` table, stats/rates.py): the national rate, spread and number
outside the limits year by year, and the funnel of the latest complete year (a year flagged ``partial_year``
is skipped: its counts cover part of the year). The words are in ``templates/rates.html``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .funnel import FunnelPoint, Limits, draw
from .i18n import N_
from .links import Links
from .render import num
from .store import Store

KEY = "rates"
TITLE = N_("Rater for små kommuner")


def rate_keys(store: Store) -> list[str]:
    return [KEY] if not store.run("rate_years").empty else []


def latest_complete(years: list[dict]) -> dict | None:
    """The latest year without a partial-year flag (else the latest year)."""
    complete = [y for y in years if not y["partial_year"]]
    return (complete or years)[-1] if years else None


def rate_funnel(store: Store, year: dict, link: Links, highlight: str | None = None):
    rows = store.run("rate_funnel", indicator=year["indicator"], year=year["year"])
    label = year["label_en"] if link.lang == "en" else year["label_nb"]
    points = [FunnelPoint(f"{r['name']} ({r['municipality']})", r["population"], r["rate"],
                          r["municipality"] == highlight, r["verdict"] != "within") for r in rows]
    limits = [Limits(r["population"], r["limit95_low"], r["limit95_high"], r["limit998_low"], r["limit998_high"])
              for r in rows]
    return draw(
        link.t("Traktplott %(year)s: %(label)s mot folketall", year=year["year"], label=label),
        link.t("Hver prikk er en kommune: raten per 1000 innbyggere i %(year)s mot folketallet 1. januar "
               "(logaritmisk akse). Den vannrette linjen er landsraten (%(national)s); de stiplede er 95 %%- og "
               "de grå 99,8 %%-grensene for tilfeldig variasjon (eksakt Poisson) i en kommune av den størrelsen; "
               "prikker utenfor 95 %%-grensene er fylt.", year=year["year"],
               national=num(year["national_rate"], 2, link.lang)),
        points, limits, year["national_rate"], unit=link.t("per 1000 innbyggere"), floor=0.0,
        source=link.t("rate_estimates (IMDi, SSB 07459; Bolysts beregning)"),
        links=((link.t("Tabellen"), link.table("rate_estimates", indicator=year["indicator"], year=year["year"])),),
        lang=link.lang)


def rates_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    if key != KEY:
        return None
    by: dict[str, list[dict]] = defaultdict(list)
    for row in store.run("rate_years"):
        by[row["indicator"]].append(row)
    if not by:
        return None
    rates = []
    for indicator, years in by.items():
        year = latest_complete(years)
        rates.append({"indicator": indicator, "years": years, "year": year, "chart": rate_funnel(store, year, link),
                      "skipped": [y["year"] for y in years if y["partial_year"] and y["year"] > year["year"]]})
    return {"nav": "methods", "key": KEY, "title": link.t(TITLE), "rates": rates,
            "table": (link.table("rate_estimates"), link.csv("rate_estimates"))}
