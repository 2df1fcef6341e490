"""Methods pages: one per model of net migration (the barometer and its substitute after 2016).

Each page says what the model measures, its data and provenance, formula, periods, fit and diagnostics per
period, coefficients, the funnel plot of one period, the ten highest and lowest with rank intervals, and its
caveats; the barometer's page also reports its agreement with Telemarksforsking's own residuals.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .charts import FunnelPoint, funnel_chart
from .i18n import N_
from .links import Links
from .store import Store

#: model id → (title, period shown in detail)
MODELS = {
    "barometer": (N_("Attraktivitetsbarometeret: Telemarksforskings metode"), "2008–2010"),
    "flyttestruktur": (N_("Etter 2016: flyttebalanse mot størrelse og sentralitet (ikke barometeret)"), "2023–2025"),
}
TABLES = ("barometer_fits", "barometer_terms", "barometer_residuals", "barometer_validation")


def method_keys(store: Store) -> list[str]:
    return list(MODELS) if store.has("barometer_fits") else []


def _validation(store: Store) -> tuple[list[dict], list[dict]]:
    """Per period: the agreement figures side by side; and the seed's named municipalities."""
    periods: dict[str, dict] = defaultdict(dict)
    named: dict[str, dict] = defaultdict(dict)
    for row in store.run("barometer_validation"):
        metric = row["metric"]
        if metric.startswith("seed_rank:") or metric.startswith("seed_eb_rank:"):
            kind, number = metric.split(":")
            named[number][kind] = row["value"]
            named[number]["detail"] = row["detail"].split(";")[0]
        else:
            periods[row["period"]][metric] = row["value"]
    return ([{"period": p, **v} for p, v in sorted(periods.items())],
            [{"number": n, **v} for n, v in named.items()])


def methods_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    if key not in MODELS:
        return None
    fits = store.run("barometer_fits", model=key)
    if fits.empty:
        return None
    title, period = MODELS[key]
    fit = next((f for f in fits if f["period"] == period), None)
    terms: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in store.run("barometer_terms", model=key):
        terms[row["term"]][row["period"]] = row
    funnel = store.run("barometer_funnel", model=key, period=period)
    chart = funnel_chart(
        link.t("Traktplott %(period)s: residual mot folketall", period=period),
        link.t("Hver prikk er en kommune: residualet (prosentpoeng nettoflytting over det forventede, %(period)s) mot "
               "folketallet (logaritmisk akse). Linjene er 95 %%- og 99,8 %%-grensene for tilfeldig variasjon i en "
               "kommune av den størrelsen (±1,96 og ±3,09 × √(k/folketall)); prikker utenfor er fylt.", period=period),
        [FunnelPoint(f"{r['unit_name']} ({r['unit']})", r["population"], r["residual"]) for r in funnel],
        fit["noise_k"] if fit else 0.0, unit=link.t("prosentpoeng"),
        source=link.t("barometer_residuals (SSB 06913; Bolysts modell)"),
        links=((link.t("Tabellen"), link.table("barometer_residuals", model=key, period=period)),), lang=link.lang)
    validation, named = _validation(store) if key == "barometer" else ([], [])
    return {"nav": "methods", "key": key, "title": link.t(title), "period": period,
            "fits": fits, "fit": fit, "terms": dict(terms), "periods": [f["period"] for f in fits],
            "chart": chart, "extremes": store.run("barometer_extremes", model=key, period=period),
            "validation": validation, "named": named, "tables": TABLES}
