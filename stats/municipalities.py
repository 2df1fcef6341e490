"""The 357 municipalities of the 2024 structure and every name they are or were known by (pure readers).

Official SSB names join the language forms with ' - ' ('Guovdageaidnu - Kautokeino'). The Norwegian form
is the one Kartverket gives as Norwegian for the municipality (or its 2020 predecessor); in the five
three-language names (Lyngen, Storfjord, Kåfjord, Nordreisa, Porsanger) the last form is Kven; every
other form is Sámi. Letters lost in a source ('Evená??i') are restored from the spelling another shipped
file gives for the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .crosswalk import CURRENT_TO, Link, build_links
from .snapshots import DATA_DIR, data_stamp, read_manifest, read_snapshot


@dataclass(frozen=True)
class Municipality:
    """A 2024 municipality; ``matched_name``/``matched_kind`` say how a look-up found it."""

    number: str
    name: str
    official_name: str
    name_sami: str
    name_kven: str
    county: str
    county_name: str
    landsdel: str
    matched_name: str = ""
    matched_kind: str = ""


@dataclass(frozen=True)
class Name:
    """One row of municipality_names."""

    name: str
    municipality: str
    kind: str
    number: str
    valid_from: int
    valid_to: int


def strip_validity(label: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()


def _repair(part: str, spellings: list[str]) -> str:
    """A name part with '?' for lost letters, restored from another spelling of the same number."""
    if "?" not in part:
        return part
    pattern = re.compile("^" + re.escape(part).replace(r"\?", ".") + "$")
    return next((s for s in spellings if pattern.match(s)), part)


def _registry(data_dir: Path) -> tuple[tuple[Municipality, ...], tuple[Name, ...]]:
    return _registry_cached(data_stamp(data_dir))


@lru_cache(maxsize=4)
def _registry_cached(stamp: tuple[str, float]) -> tuple[tuple[Municipality, ...], tuple[Name, ...]]:
    data_dir = Path(stamp[0])
    links = build_links(data_dir)
    klass = read_snapshot("klass131_2024", data_dir)
    kartverket = read_snapshot("kartverket_2020", data_dir)
    labels = read_snapshot("municipality_labels", data_dir)
    landsdel = read_manifest(data_dir)["landsdel_by_county"]
    successor = {ln.number: ln.municipality for ln in links if ln.type != "split"}
    norwegian = {successor.get(n, n): v for n, v in zip(kartverket["number"], kartverket["name_norwegian"])}
    spellings: dict[str, list[str]] = {}
    for number, label in zip(list(kartverket["number"]) + list(labels["number"]),
                             list(kartverket["name"]) + list(labels["label"])):
        spellings.setdefault(successor.get(number, number), []).extend(strip_validity(label).split(" - "))
    records, names = [], []
    for row in klass.itertuples(index=False):
        parts = [_repair(p.strip(), spellings.get(row.number, [])) for p in row.name.split(" - ")]
        own = norwegian.get(row.number)
        name = own if own in parts else parts[0] if len(parts) == 1 else _norwegian_guess(parts)
        others = [p for p in parts if p != name]
        kven = others[-1] if len(parts) == 3 else ""
        sami = [p for p in others if p != kven]
        records.append(Municipality(row.number, name, " - ".join(parts), "; ".join(sami), kven, row.county,
                                    row.county_name, landsdel.get(row.county, "")))
        names += [Name(name, row.number, "current", row.number, 2024, CURRENT_TO)]
        names += [Name(" - ".join(parts), row.number, "official", row.number, 2024, CURRENT_TO)] if len(parts) > 1 else []
        names += [Name(s, row.number, "sami", row.number, 2024, CURRENT_TO) for s in sami]
        names += [Name(kven, row.number, "kven", row.number, 2024, CURRENT_TO)] if kven else []
    names += _historical_names(links, kartverket, labels, read_snapshot("klass131_2013_2020", data_dir))
    # a total order (every field), so the table never depends on the set's hash order
    order = sorted(set(names), key=lambda n: (n.name, n.kind, n.number, n.municipality, n.valid_from, n.valid_to))
    return tuple(records), tuple(order)


def _norwegian_guess(parts: list[str]) -> str:
    """Without Kartverket's Norwegian form: the part without Sámi letters, else the first."""
    plain = [p for p in parts if not re.search(r"[áčđŋšŧžÁČĐŊŠŦŽïÏ]", p)]
    return plain[0] if plain else parts[0]


def _historical_names(links: list[Link], kartverket: pd.DataFrame, labels: pd.DataFrame,
                      lists: pd.DataFrame) -> list[Name]:
    by_number: dict[str, list[Link]] = {}
    for link in links:
        by_number.setdefault(link.number, []).append(link)
    out = []

    def add(name: str, number: str, kind: str) -> None:
        for link in by_number.get(number, []):
            for part in {name, *name.split(" - ")} if name else ():
                if part and "?" not in part:
                    out.append(Name(part.strip(), link.municipality, kind, number, link.valid_from, link.valid_to))

    for link in links:
        add(strip_validity(link.name), link.number, "historical")
    for number, label in zip(labels["number"], labels["label"]):
        add(strip_validity(label), number, "historical")
    for number, label in zip(lists["number"], lists["name"]):
        add(label, number, "historical")
    for number, name, norwegian in zip(kartverket["number"], kartverket["name"], kartverket["name_norwegian"]):
        add(name, number, "sami" if name != norwegian else "historical")
    return out


def municipality_records(data_dir: Path = DATA_DIR) -> tuple[Municipality, ...]:
    """The 357 municipalities, sorted by number."""
    return _registry(Path(data_dir))[0]


def name_rows(data_dir: Path = DATA_DIR) -> tuple[Name, ...]:
    """Every name of every municipality (current, official, Sámi, Kven, historical), sorted."""
    rows = _registry(Path(data_dir))[1]
    # A historical name that the same number also carries as a current, Sámi or Kven form adds nothing.
    other = {(n.name, n.municipality, n.number) for n in rows if n.kind != "historical"}
    kept = [n for n in rows if not (n.kind == "historical" and (n.name, n.municipality, n.number) in other)]
    # One name of one kind in both registers (a Sámi name valid since 2018 in the 2020 list and in the 2024 one):
    # one row, valid from the earliest to the latest year either says.
    merged: dict[tuple[str, str, str, str], Name] = {}
    for n in kept:
        key = (n.name, n.municipality, n.kind, n.number)
        seen = merged.get(key)
        merged[key] = n if seen is None else replace(seen, valid_from=min(seen.valid_from, n.valid_from),
                                                       valid_to=max(seen.valid_to, n.valid_to))
    return tuple(merged.values())
