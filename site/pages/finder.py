"""Find a municipality by any name it has had: today's, Sámi and Kven names, and names before the reforms,
each pointing to today's municipality (from the stats stage's ``municipality_names``)."""

from __future__ import annotations

from typing import Any

from .i18n import N_
from .links import Links
from .store import Store

KIND_LABELS = {"sami": N_("samisk navn"), "kven": N_("kvensk navn"), "official": N_("offisielt navn")}


def finder(store: Store, link: Links) -> list[dict[str, Any]]:
    """One option per (name, today's municipality): the name typed, where it leads, and why."""
    options: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.run("municipality_finder", cache=True):
        key = (row["name"], row["number"])
        if key in options:
            continue
        if row["name"] == row["current"]:
            note = link.t("kommunenr. %(number)s", number=row["number"])
        elif row["kind"] == "historical" and row["valid_to"]:
            note = link.t("%(name)s til %(year)s", name=row["name"], year=row["valid_to"]) + f" → {row['current']}"
        else:
            note = link.t(KIND_LABELS.get(row["kind"], N_("tidligere navn"))) + f" → {row['current']}"
        options[key] = {"name": row["name"], "number": row["number"], "current": row["current"],
                        "note": note, "href": link.page("municipality", row["number"])}
    return list(options.values())


def by_county(store: Store) -> list[tuple[str, list[dict[str, Any]]]]:
    """Today's municipalities grouped by county, counties and municipalities in alphabetical order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in store.run("municipalities", cache=True):
        groups.setdefault(row["county_name"] or "–", []).append(row)
    return [(county, sorted(rows, key=lambda r: (r["name"], r["number"]))) for county, rows in sorted(groups.items())]
