"""Municipality pages: the index, one page per municipality, and its comparison with its comparables."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .charts import Bar, Chart, Series, bar_chart, line_chart

from .finder import by_county, finder
from .i18n import N_
from .links import Links
from .queries import KEY_INDICATORS
from .quotes import labelled, review_counts
from .render import num, table_source, unit
from .store import Result, Store

#: Headings of the stats stage's models (models.id); an unknown model shows its id.
#: The national median's name in charts (a message: translated where the chart is drawn).
MEDIAN = N_("Landsmedian")

MODEL_LABELS = {
    "refugee_secondary_in": N_("Tiltrekker flyktninger bosatt andre steder"),
}
MIN_YEARS = 3  # an indicator gets a trend chart when the municipality has at least this many years


def municipality_keys(store: Store) -> list[str]:
    return [row["number"] for row in store.run("municipalities", cache=True)]


def municipalities_index(store: Store, key: None, link: Links) -> dict[str, Any]:
    return {"nav": "municipalities", "municipalities": store.run("municipalities", cache=True),
            "finder": finder(store, link), "counties": by_county(store)}


def indicator_map(store: Store) -> dict[str, dict]:
    return {row["id"]: row for row in store.run("indicators", cache=True)}


def medians(store: Store) -> dict[tuple[str, int], dict]:
    """National median per (indicator, year), computed once per store."""
    return store.memo("national_medians", lambda: {(r["indicator"], r["year"]): r
                                                   for r in store.run("national_medians")})


def series_by(rows, *keys: str) -> dict[tuple, list[tuple[int, float]]]:
    out: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        out[tuple(row[k] for k in keys)].append((row["year"], row["value"]))
    return out


def _base(store: Store, key: str) -> dict[str, Any] | None:
    muni = store.run("municipality", municipality=key).first
    if muni is None:
        return None
    return {"nav": "municipalities", "muni": muni, "indicators": indicator_map(store),
            "comparables": store.run("comparables", municipality=key)}


def municipality_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    context = _base(store, key)
    if context is None:
        return None
    latest = store.run("municipality_latest", municipality=key)
    numbers = _key_numbers(latest, context["indicators"], medians(store))
    shrunk = {(r["indicator"], r["year"]): r for r in store.run("municipality_rates", municipality=key)}
    for row in numbers:  # a count-based rate: its empirical-Bayes rate and funnel verdict of the same year
        row["eb"] = shrunk.get((row["indicator"], row["year"]))
    context.update(
        latest=latest, key_numbers=[r for r in numbers if r["key"]],
        other_numbers=[r for r in numbers if not r["key"]],
        trends=[trend_chart(spec, link, context["muni"]) for spec in _trend_specs(store, key, context)],
        residuals=store.run("residuals", municipality=key), model_labels=MODEL_LABELS,
        barometer=store.run("municipality_barometer", municipality=key),
        excerpts=labelled(store, store.run("municipality_excerpts", municipality=key)),
    )
    context["review_counts"] = review_counts(context["excerpts"])
    return context


def _key_numbers(latest: Result, indicators: dict, national: dict) -> list[dict]:
    """The latest value of every indicator; a rate (per 1,000) carries its count of the same year as ``count``."""
    rows = []
    values = {(r["indicator"], r["year"]): r["value"] for r in latest}
    for row in latest:
        info = indicators.get(row["indicator"], {})
        median = national.get((row["indicator"], row["year"]))
        key = row["indicator"] in KEY_INDICATORS
        count = values.get((info.get("numerator"), row["year"])) if info.get("aggregation") == "rate" else None
        rows.append({**row, "info": info, "median": median["median"] if median else None, "count": count,
                     "median_n": median["n"] if median else None, "key": key,
                     "order": KEY_INDICATORS.index(row["indicator"]) if key else 100 + (info.get("sort_order") or 0)})
    return sorted(rows, key=lambda r: (r["order"], r["indicator"]))


def _trend_specs(store: Store, key: str, context: dict) -> list[dict]:
    """Per indicator with enough years: series of this municipality, the national median and each peer."""
    names = {c["number"]: c["name"] for c in context["comparables"]}
    source = store.run("peer_series" if names else "own_series", municipality=key)
    by = series_by(source, "indicator", "municipality")
    national = medians(store)
    specs = []
    for ind_id in KEY_INDICATORS:
        info = context["indicators"].get(ind_id)
        own = by.get((ind_id, key), [])
        if info is None:
            continue
        if len(own) < MIN_YEARS:
            continue
        years = [y for y, _ in own]
        series = [Series(context["muni"]["name"], tuple(own), "subject"),
                  Series(MEDIAN,
                         tuple((y, national[(ind_id, y)]["median"]) for y in years if (ind_id, y) in national),
                         "median")]
        series += [Series(names[n], tuple(p for p in by.get((ind_id, n), []) if years[0] <= p[0] <= years[-1]),
                          "peer") for n in names]  # in rank order
        counts = dict(by.get((info["numerator"], key), [])) if info.get("aggregation") == "rate" else None
        specs.append({"indicator": info, "series": series, "counts": counts})
    return specs


def trend_chart(spec: dict, link: Links, muni: dict) -> Chart:
    info = spec["indicator"]
    label = info["label_en"] if link.lang == "en" else info["label_nb"]
    per = unit(info["unit"], link.lang)
    title = f"{label}{'' if per in label else f' ({per})'}, {muni['name']}"
    peers = ", ".join(s.name for s in spec["series"] if s.style == "peer")
    desc = (link.t("%(label)s i %(name)s (blå) år for år, mot landsmedianen (stiplet)", label=label, name=muni["name"])
            + (link.t(" og sammenlignbare kommuner (grå: %(peers)s)", peers=peers) if peers else "") + ".")
    source = f"{table_source(info['source'], info['table_id'], link.lang)} ({info['licence']}); municipality_stats"
    links = ((link.t("Tabellen"), link.table("municipality_stats", municipality=muni["number"], indicator=info["id"])),
             (link.t("Landsmedian-spørringen"), link.query("national_medians")))
    series = [s if s.name != MEDIAN else Series(link.t(MEDIAN), s.points, s.style) for s in spec["series"]]
    counts = spec.get("counts")
    extra = ()
    if counts is not None:  # a rate: its count (n) beside it, in the caption and the table
        own = [y for y, _ in spec["series"][0].points if y in counts]
        if own:
            desc += link.t(" Antall (n) i %(name)s %(year)s: %(n)s.", name=muni["name"], year=own[-1],
                           n=num(counts[own[-1]], lang=link.lang))
        extra = ((link.t("%(name)s, antall (n)", name=muni["name"]), counts),)
    return line_chart(title, desc, series, unit=per, source=source, links=links,
                      lang=link.lang, extra=extra)


def compare_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    context = _base(store, key)
    if context is None:
        return None
    latest = _key_numbers(store.run("municipality_latest", municipality=key), context["indicators"],
                          medians(store))
    names = {key: context["muni"]["name"]} | {c["number"]: c["name"] for c in context["comparables"]}
    by = series_by(store.run("peer_series", municipality=key), "indicator", "municipality") \
        if len(names) > 1 else {}
    columns = []
    for row in (r for r in latest if r["key"]):
        values = {n: dict(by.get((row["indicator"], n), [])).get(row["year"]) for n in names}
        columns.append({**row, "values": values})
    charts = [compare_chart(c["info"], c["year"], [(names[n], c["values"][n]) for n in names] +
                            [(link.t(MEDIAN), c["median"])], link, context["muni"])
              for c in columns if c["info"] and len(names) > 1]
    contributions = store.run("comparable_contributions", municipality=key)
    context.update(columns=columns, names=names, charts=charts, contributions=contributions,
                   why=_why_matrix(contributions, context["comparables"]))
    return context


def _why_matrix(contributions: Result, comparables: Result) -> dict[str, Any]:
    """Comparables (rank order) × comparison indicators: each indicator's share of the distance²."""
    labels: dict[str, str] = {}
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    own: dict[str, Any] = {}
    for row in contributions:
        labels.setdefault(row["indicator"], row["label"])
        cells[row["comparable"]][row["indicator"]] = row
        own[row["indicator"]] = row["value"]
    indicators = sorted(labels)
    return {"indicators": [(i, labels[i], own.get(i)) for i in indicators],
            "rows": [{**c, "cells": cells.get(c["number"], {})} for c in comparables]}


def compare_chart(info: dict, year: int, rows: list[tuple[str, float | None]], link: Links, muni: dict) -> Chart:
    label = info["label_en"] if link.lang == "en" else info["label_nb"]
    title = link.t("%(label)s %(year)s: %(name)s og sammenlignbare kommuner", label=label, year=year, name=muni["name"])
    desc = link.t("Stolpediagram: %(label)s i %(year)s for %(name)s og de sammenlignbare kommunene.", label=label,
                  year=year, name=muni["name"])
    bars = [Bar(name, value) for name, value in rows]
    source = f"{table_source(info['source'], info['table_id'], link.lang)} ({info['licence']}); municipality_stats, {year}"
    links = ((link.t("Tabellen"), link.table("municipality_stats", indicator=info["id"], year=year)),)
    return bar_chart(title, desc, bars, percent=False, source=source, links=links, lang=link.lang)
