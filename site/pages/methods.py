"""Methods pages: one per residual model (the barometer, its substitute after 2016, the refugee model).

Each page says what the model measures, its data and provenance, formula, periods, fit and diagnostics per
period, coefficients, the funnel plot of one period, the ten highest and lowest with rank intervals, and its
caveats; the barometer's page also reports its agreement with Telemarksforsking's own residuals. What a
page says in words is in its partial ``_method_<id>.html``; the numbers come from the named queries of its
family (``barometer_*`` or ``model_*``, site/pages/queries_methods.py), which answer in the same columns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .funnel import FunnelPoint, funnel_chart
from .i18n import N_
from .links import Links
from .store import Store


@dataclass(frozen=True)
class Method:
    title: str  # message
    period: str  # the period the funnel and the highest/lowest show
    family: str  # prefix of its queries: barometer or model
    size: str  # message: what the funnel's horizontal axis counts
    funnel_title: str  # message, with %(period)s
    funnel: str  # message: the funnel's description, with %(period)s
    source: str  # message: where the funnel's numbers come from
    tables: tuple[tuple[str, str | None], ...]  # (table, its column holding the model id, or None)


_BAROMETER_TABLES = (("barometer_fits", "model"), ("barometer_terms", "model"), ("barometer_residuals", "model"),
                     ("barometer_validation", None))
_MIGRATION_TITLE = N_("Traktplott %(period)s: residual mot folketall")
_MIGRATION_FUNNEL = N_(
    "Hver prikk er en kommune: residualet (prosentpoeng nettoflytting over det forventede, %(period)s) mot "
    "folketallet (logaritmisk akse). Linjene er 95 %%- og 99,8 %%-grensene for tilfeldig variasjon i en "
    "kommune av den størrelsen (±1,96 og ±3,09 × √(k/folketall)); prikker utenfor er fylt.")
METHODS = {
    "barometer": Method(N_("Attraktivitetsbarometeret: Telemarksforskings metode"), "2008–2010", "barometer",
                        N_("Innbyggere"), _MIGRATION_TITLE, _MIGRATION_FUNNEL, N_("barometer_residuals (SSB 06913; Bolysts modell)"),
                        _BAROMETER_TABLES),
    "flyttestruktur": Method(N_("Etter 2016: flyttebalanse mot størrelse og sentralitet (ikke barometeret)"),
                             "2023–2025", "barometer", N_("Innbyggere"), _MIGRATION_TITLE, _MIGRATION_FUNNEL,
                             N_("barometer_residuals (SSB 06913; Bolysts modell)"), _BAROMETER_TABLES),
    "refugee_secondary_in": Method(
        N_("Tiltrekker flyktninger bosatt andre steder: andelen som har flyttet hit, mot sentralitet og størrelse"),
        "2022", "model", N_("Flyktninger bosatt"), N_("Traktplott %(period)s: residual mot antall flyktninger bosatt"),
        N_("Hver prikk er en kommune: residualet (prosentpoeng av flyktningene som bor der, %(period)s) mot "
           "antallet flyktninger som bor der (logaritmisk akse). Linjene er 95 %%- og 99,8 %%-grensene for "
           "tilfeldig variasjon i en andel av så mange (±1,96 og ±3,09 × √(k/antall)); prikker utenfor er fylt."),
        N_("model_residuals (IMDi flyktning_botid_flytting, SSB 07459; Bolysts modell)"),
        (("models", "id"), ("model_terms", "model"), ("model_residuals", "model"))),
}


def method_keys(store: Store) -> list[str]:
    """The models the database has a fit of (a query whose table is missing answers empty)."""
    return [key for key, method in METHODS.items() if not store.run(f"{method.family}_fits", model=key).empty]


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
    method = METHODS.get(key)
    if method is None:
        return None
    family, period = method.family, method.period
    fits = store.run(f"{family}_fits", model=key)
    if fits.empty:
        return None
    fit = next((f for f in fits if f["period"] == period), None)
    terms: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in store.run(f"{family}_terms", model=key):
        terms[row["term"]][row["period"]] = row
    funnel = store.run(f"{family}_funnel", model=key, period=period)
    residuals = link.table(f"{family}_residuals", model=key, period=period if family == "barometer" else None)
    chart = funnel_chart(
        link.t(method.funnel_title, period=period),
        link.t(method.funnel, period=period),
        [FunnelPoint(f"{r['unit_name']} ({r['unit']})", r["population"], r["residual"]) for r in funnel],
        fit["noise_k"] if fit else 0.0, unit=link.t("prosentpoeng"), source=link.t(method.source),
        size_label=link.t(method.size),
        links=((link.t("Tabellen"), residuals),),
        lang=link.lang)
    validation, named = _validation(store) if key == "barometer" else ([], [])
    tables = [(t, link.table(t, **({column: key} if column else {})), link.csv(t, **({column: key} if column else {})))
              for t, column in method.tables]
    return {"nav": "methods", "key": key, "title": link.t(method.title), "period": period, "size": link.t(method.size),
            "fits": fits, "fit": fit, "terms": dict(terms), "periods": [f["period"] for f in fits],
            "chart": chart, "extremes": store.run(f"{family}_extremes", model=key, period=period),
            "validation": validation, "named": named, "tables": tables}
