"""Population continuity in SSB 06913: where a municipality's residents went when its number ended.

SSB 06913 gives, per then-valid number, the population on 1 January and the natural increase and net
migration during the year. A municipality's expected population at the end of year y is
``pop(y) + natural_increase(y) + net_migration(y)``; when numbers end at y, their expected populations
reappear on 1 January y+1 in the municipalities that received their area. Two uses:

* ``infer_receivers``: numbers that ended before 1994 (not in any classification file shipped) are linked
  to the new or continuing municipality of the same county whose population jump they explain;
* ``split_weights``: the share of a split municipality's residents each receiving municipality got.

Both are estimates from real numbers, recorded with the evidence in the crosswalk's note.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

MIN_JUMP = 50  # persons: a continuing municipality's residual must exceed this to count as a receiver
MAX_ERROR_SHARE = 0.02  # accepted mismatch between what left and what arrived, as a share


@dataclass(frozen=True)
class PopulationBooks:
    pop: dict[tuple[str, int], float]
    change: dict[tuple[str, int], float]  # natural increase + net migration during the year
    first: dict[str, int]
    last: dict[str, int]

    @classmethod
    def from_long(cls, df: pd.DataFrame) -> PopulationBooks:
        pop = df[df["indicator"] == "population_06913"].dropna(subset=["value"])
        flows = df[df["indicator"].isin(["natural_increase", "net_migration"])].dropna(subset=["value"])
        change = flows.groupby(["number", "year"])["value"].sum()
        years = pop.groupby("number")["year"].agg(["min", "max"])
        return cls(pop=dict(zip(zip(pop["number"], pop["year"]), pop["value"])),
                   change={k: float(v) for k, v in change.items()},
                   first=years["min"].astype(int).to_dict(), last=years["max"].astype(int).to_dict())

    def end_of_year(self, number: str, year: int) -> float:
        """Expected population on 31 December of ``year``."""
        return self.pop.get((number, year), 0.0) + self.change.get((number, year), 0.0)

    def numbers_in(self, county: str) -> list[str]:
        return sorted(n for n in self.first if n[:2] == county)


def infer_receivers(numbers: list[str], books: PopulationBooks,
                    immigrants: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    """(number, receiving number, note) for each number that can be linked; others are left out."""
    with_books = [n for n in numbers if n in books.last]
    by_event: dict[tuple[str, int], list[str]] = defaultdict(list)
    for number in with_books:
        by_event[(number[:2], books.last[number])].append(number)
    for (county, year), ended in sorted(by_event.items()):
        yield from _assign(county, year, ended, books)
    yield from _identities([n for n in numbers if n not in books.last], books, immigrants)


def _assign(county: str, year: int, ended: list[str], books: PopulationBooks) -> Iterator[tuple[str, str, str]]:
    inflow = {}
    for n in books.numbers_in(county):
        if books.first[n] == year + 1:
            inflow[n] = books.pop[(n, year + 1)]
        elif books.first[n] <= year < books.last[n]:
            residual = books.pop[(n, year + 1)] - books.end_of_year(n, year)
            if residual > MIN_JUMP:
                inflow[n] = residual
    receivers = sorted(inflow)
    if not receivers or len(receivers) ** len(ended) > 200_000:
        return
    leaving = {n: books.end_of_year(n, year) for n in ended}
    best, best_error = None, float("inf")
    for choice in itertools.product(receivers, repeat=len(ended)):
        got = defaultdict(float)
        for number, receiver in zip(ended, choice):
            got[receiver] += leaving[number]
        error = sum(abs(inflow[r] - got[r]) for r in receivers)
        if error < best_error:
            best, best_error = choice, error
    if best is None or best_error > max(MIN_JUMP, MAX_ERROR_SHARE * sum(leaving.values())):
        return
    for number, receiver in zip(ended, best):
        arrived = inflow[receiver]
        yield number, receiver, (
            f"number ended {year}; its {leaving[number]:.0f} residents (31 Dec {year}, SSB 06913) are matched to "
            f"{receiver}'s gain of {arrived:.0f} on 1 Jan {year + 1} (unexplained rest {best_error:.0f} in county {county})")


def _identities(numbers: list[str], books: PopulationBooks,
                immigrants: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    """Numbers with no 06913 series: the 06913 number with exactly the same population series."""
    totals = immigrants[immigrants["indicator"] == "population_total_imm"]
    for number in numbers:
        series = totals[totals["number"] == number]
        if series.empty:
            continue
        pairs = list(zip(series["year"], series["value"]))
        matches = [n for n in books.numbers_in(number[:2])
                   if all(books.pop.get((n, int(y))) == v for y, v in pairs)]
        if len(matches) == 1:
            years = f"{min(y for y, _ in pairs)}–{max(y for y, _ in pairs)}"
            yield number, matches[0], (f"no 06913 series of its own; its population {years} equals SSB 06913's "
                                       f"{matches[0]} exactly (SSB publishes the same municipality under {matches[0]})")


def split_weights(splits: dict[str, set[str]], targets: dict[str, set[str]], books: PopulationBooks,
                  last_year: dict[str, int]) -> dict[str, tuple[dict[str, float], str]]:
    """Share of each split number's residents per receiving 2024 municipality, with an explanatory note."""
    out: dict[str, tuple[dict[str, float], str]] = {}
    for number, receivers in sorted(splits.items()):
        estimate = _estimate(number, receivers, targets, books, books.last.get(number, last_year.get(number)))
        if estimate:
            out[number] = estimate
    for number, receivers in sorted(splits.items()):
        if number in out:
            continue
        twin = next((n for n in sorted(out) if splits[n] == receivers), None)
        if twin:
            out[number] = (out[twin][0], f"same area as {twin}; weights of {twin}: {out[twin][1]}")
        else:
            share = 1 / len(receivers)
            out[number] = ({r: share for r in receivers}, "no population data for the split: equal shares (unknown)")
    return out


def _estimate(number: str, receivers: set[str], targets: dict[str, set[str]], books: PopulationBooks,
              year: int | None) -> tuple[dict[str, float], str] | None:
    if year is None or not all((r, year + 1) in books.pop for r in receivers):
        return None
    parts = {}
    for r in sorted(receivers):
        whole = [n for n, t in targets.items()
                 if t == {r} and n != number and books.last.get(n) == year and n in books.first]
        brought = sum(books.end_of_year(n, year) for n in whole)
        own = books.end_of_year(r, year) if (r, year) in books.pop else 0.0
        parts[r] = max(books.pop[(r, year + 1)] - brought - own, 0.0)
    total = sum(parts.values())
    if total <= 0:
        return None
    left = books.end_of_year(number, year)
    detail = ", ".join(f"{r}: {parts[r]:.0f}" for r in sorted(parts))
    return ({r: v / total for r, v in parts.items()},
            f"split {year + 1}; of {left:.0f} residents (31 Dec {year}, SSB 06913) the receivers' unexplained "
            f"gains on 1 Jan {year + 1} were {detail}; weights are these gains' shares (an estimate)")
