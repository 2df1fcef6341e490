"""Municipality numbers through the reforms: every number valid since 1980 → the 2024 municipalities.

Built from the shipped classification snapshots, in this order of precedence:

1. SSB's grouping file (``crosswalk_ssb_1994_2024``): every number valid 1994–2024 → its 2024 number.
2. KLASS transitions 2013→2020 (``crosswalk_2013_2020``) for the numbers SSB leaves in 'K.Rest' (the
   municipalities involved in the 2020 splits of Snillfjord and Tysfjord); a 2020-era number whose
   predecessors now lie in several 2024 municipalities is a split too (1507 Ålesund 2020–2023 → 1508
   Ålesund + 1580 Haram).
3. Numbers that ceased before 1994 (not in either file) are linked by population continuity in SSB 06913
   (``bolyst.stats.continuity``).

Split weights are estimated from 06913: each receiving municipality's population on 1 January after the
split minus what its whole predecessors brought (their population at the end of the year before).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bolyst.corpus.errors import StatsDataError

from . import continuity
from .snapshots import DATA_DIR, data_stamp, read_snapshot

#: Numbers that are not municipalities: unknown municipality, Svalbard, Jan Mayen, the continental shelf.
NOT_MUNICIPALITIES = re.compile(r"^(9999|2[123]\d\d)$")
CURRENT_TO = 2026  # last year in the shipped data; "valid_to" of numbers still in use


@dataclass(frozen=True)
class Link:
    """One row of municipality_crosswalk: (part of) an old number's area in a 2024 municipality."""

    number: str
    name: str
    valid_from: int
    valid_to: int
    municipality: str
    type: str
    weight: float
    method: str
    note: str


def _validity(label: str) -> tuple[int | None, int | None]:
    match = re.search(r"\((\d{4})?\s*-\s*(\d{4})?\)\s*$", label)
    if not match:
        return None, None
    return (int(match[1]) if match[1] else None), (int(match[2]) if match[2] else None)


def _direct_targets(ssb: pd.DataFrame, chain: pd.DataFrame) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Targets from SSB's grouping, K.Rest numbers through the 2013→2020 chain, 2020-era splits."""
    targets: dict[str, set[str]] = {}
    method: dict[str, str] = {}
    grouped = ssb[(ssb["number_2024"] != "") & ~ssb["number"].str.match(NOT_MUNICIPALITIES)]
    for number, target in zip(grouped["number"], grouped["number_2024"]):
        targets[number] = {target}
        method[number] = "ssb_grouping"
    to_2020 = chain.groupby("number")["number_2020"].agg(set).to_dict()
    for number in ssb.loc[ssb["number_2024"] == "", "number"]:
        if NOT_MUNICIPALITIES.match(number):
            continue
        if number not in to_2020:
            raise StatsDataError(f"number {number} is in SSB's K.Rest group but not in the 2013→2020 transitions",
                                 where=f"crosswalk_ssb_1994_2024, number {number}",
                                 fix="add its transition to crosswalk_2013_2020")
        targets[number] = set().union(*(targets[n] for n in to_2020[number]))
        method[number] = "klass_chain"
    predecessors = chain.groupby("number_2020")["number"].agg(set).to_dict()
    for number_2020, preds in predecessors.items():
        whole = [targets[p] for p in preds if p in targets and len(targets[p]) == 1 and p != number_2020]
        union = set().union(*whole) if whole else set()
        if len(union) > 1 and len(targets.get(number_2020, set())) == 1:
            targets[number_2020] = union
            method[number_2020] = "klass_chain"
    return targets, method


def _labels(labels: pd.DataFrame, ssb: pd.DataFrame) -> dict[str, tuple[str, int, int]]:
    """number -> (label, first year, last year) from SSB's labels and the years with data."""
    spans = labels.groupby("number").agg(first=("first_year", "min"), last=("last_year", "max"))
    label_of = dict(zip(ssb["number"], ssb["label"]))
    for number, label in zip(labels.sort_values("origin")["number"], labels.sort_values("origin")["label"]):
        label_of.setdefault(number, label)
    out = {}
    for number, label in label_of.items():
        start, end = _validity(label)
        first = int(spans.loc[number, "first"]) if number in spans.index else None
        last = int(spans.loc[number, "last"]) if number in spans.index else None
        valid_from = start or first or 1994
        valid_to = end or (last if last is not None and last < CURRENT_TO - 1 else CURRENT_TO)
        out[number] = (label, valid_from, valid_to)
    return out


def build_links(data_dir: Path = DATA_DIR) -> tuple[Link, ...]:
    """The whole crosswalk, sorted by number and municipality (computed once per data folder)."""
    return _build_links(data_stamp(data_dir))


@lru_cache(maxsize=4)
def _build_links(stamp: tuple[str, float]) -> tuple[Link, ...]:
    data_dir = Path(stamp[0])
    ssb = read_snapshot("crosswalk_ssb_1994_2024", data_dir)
    chain = read_snapshot("crosswalk_2013_2020", data_dir)
    labels = read_snapshot("municipality_labels", data_dir)
    changes = read_snapshot("population_changes_06913", data_dir)
    immigrants = read_snapshot("immigrants_1986_2015", data_dir)
    targets, method = _direct_targets(ssb, chain)
    notes: dict[str, str] = {}
    for number in sorted(set(labels["number"]) - set(targets)):
        if number.endswith("u") and number[:4] in targets:
            targets[number] = set(targets[number[:4]])
            method[number] = "ssb_grouping"
            notes[number] = f"number reused (SSB suffix u); same 2024 municipality as {number[:4]}"
    books = continuity.PopulationBooks.from_long(changes)
    unresolved = sorted(n for n in set(labels["number"]) - set(targets) if not NOT_MUNICIPALITIES.match(n))
    for number, receiver, note in continuity.infer_receivers(unresolved, books, immigrants):
        targets[number] = set(targets[receiver]) if receiver in targets else {receiver}
        method[number] = "population_continuity"
        notes[number] = note
    still = sorted(n for n in set(labels["number"]) - set(targets) if not NOT_MUNICIPALITIES.match(n))
    if still:
        raise StatsDataError(f"municipality numbers with no 2024 municipality: {still}",
                             path=Path(data_dir) / "municipality_labels.csv.gz",
                             fix="extend the crosswalk snapshots or stats/continuity.py")
    spans = _labels(labels, ssb)
    weights = continuity.split_weights(
        {n: t for n, t in targets.items() if len(t) > 1}, targets, books, {n: s[2] for n, s in spans.items()})
    return tuple(_links(targets, method, notes, weights, spans))


def _links(targets: dict[str, set[str]], method: dict[str, str], notes: dict[str, str],
           weights: dict[str, tuple[dict[str, float], str]], spans: dict[str, tuple[str, int, int]]) -> list[Link]:
    by_target: dict[str, list[str]] = defaultdict(list)
    for number, tset in targets.items():
        for t in tset:
            by_target[t].append(number)
    links = []
    for number in sorted(targets):
        label, start, end = spans.get(number, (number, 1994, CURRENT_TO))
        for target in sorted(targets[number]):
            if len(targets[number]) > 1:
                shares, note = weights[number]
                kind, weight = "split", shares[target]
            else:
                kind, weight, note = _kind(number, target, by_target[target], spans), 1.0, notes.get(number, "")
            links.append(Link(number, label, start, end, target, kind, round(weight, 6), method[number], note))
    return links


def _kind(number: str, target: str, siblings: list[str], spans: dict[str, tuple[str, int, int]]) -> str:
    if number == target:
        return "same"
    _, start, end = spans.get(number, ("", 1994, CURRENT_TO))
    for other in siblings:
        if other == number:
            continue
        _, o_start, o_end = spans.get(other, ("", 1994, CURRENT_TO))
        if o_start <= end and start <= o_end:
            return "merge"
    return "renumber"


def links_frame(links: tuple[Link, ...]) -> pd.DataFrame:
    return pd.DataFrame([link.__dict__ for link in links])
