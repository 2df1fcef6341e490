"""Source pages: the list of source documents, and one page per document."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any

from .links import Links
from .quotes import labelled, review_counts
from .store import Store


def grouped(rows, key: str) -> list[tuple[Any, list[dict]]]:
    """Consecutive rows with the same ``key`` value, in their order (sections in document order)."""
    return [(k, list(items)) for k, items in groupby(rows, key=lambda r: r[key])]


def values_by_finding(rows) -> dict[str, list[dict]]:
    values: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        values[row["finding"]].append(row)
    return dict(values)


def sources_index(store: Store, key: None, link: Links) -> dict[str, Any]:
    return {"sources": store.run("sources", cache=True), "nav": "sources"}


def source_keys(store: Store) -> list[str]:
    return [row["id"] for row in store.run("sources", cache=True)]


def source_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    source = store.run("source", source=key).first
    if source is None:
        return None
    excerpts = labelled(store, store.run("source_excerpts", source=key))
    findings = store.run("source_findings", source=key)
    counts = next((s for s in store.run("sources", cache=True) if s["id"] == key), {})
    return {
        "nav": "sources", "source": source, "excerpts": excerpts, "findings": findings,
        "review_counts": review_counts(excerpts),
        "quotes": counts.get("quotes", 0), "speakers": counts.get("speakers", 0),
        "excerpt_sections": grouped(excerpts, "section"), "finding_sections": grouped(findings, "section"),
        "values": values_by_finding(store.run("source_finding_values", source=key)),
    }
