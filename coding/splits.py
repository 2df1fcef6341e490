"""Which excerpts rules and models may learn from, and which only measure them (coding/FORMAT.md).

Two kinds of material, two splits, both decided by a seeded hash so that anyone gets the same answer:

* **Development set** (sources with ``group: devset``): split **by source** into ``dev`` (rules are written
  and models trained from it) and ``test`` (only measured). Sources with the same title (one story posted on
  several sites) count as one, so a story never sits on both sides.
* **Seed documents** (every other source): ``training`` and ``heldout``, split by **passage**: excerpts
  whose seed lines overlap (a quote inside a narrative that retells it) form one group and go to the same side,
  so no held-out excerpt is nested in a training one.

An excerpt is on the measuring side when ``sha256("<seed>:<group key>")`` read as a fraction is below the share.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

TRAINING, HELDOUT, DEV, TEST = "training", "heldout", "dev", "test"
SPLITS = (TRAINING, HELDOUT, DEV, TEST)
LEARN_FROM = (TRAINING, DEV)  # rules are written and models trained from these splits only
DEVSET = "devset"


@dataclass(frozen=True)
class SplitRow:
    """What the split needs to know of an excerpt."""

    id: str
    source: str
    group: str | None = None  # the source's group ("devset" or None)
    title: str | None = None  # the source's title
    line_start: int | None = None
    line_end: int | None = None
    lang: str | None = None


def fraction(seed: int, key: str) -> float:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()
    return int(digest, 16) / 16 ** len(digest)


def _title_key(row: SplitRow) -> str:
    return "title:" + (re.sub(r"\W+", " ", (row.title or row.source).lower()).strip() or row.source)


def passage_groups(rows: Iterable[SplitRow]) -> dict[str, str]:
    """excerpt id → group key: excerpts of one source whose line ranges overlap share a key."""
    by_source: dict[str, list[SplitRow]] = {}
    keys: dict[str, str] = {}
    for row in rows:
        if row.line_start is None:
            keys[row.id] = row.id
        else:
            by_source.setdefault(row.source, []).append(row)
    for source, items in by_source.items():
        items.sort(key=lambda r: (r.line_start, r.line_end or r.line_start, r.id))
        group_start, group_end = None, -1
        for row in items:
            end = row.line_end or row.line_start
            if group_start is None or row.line_start > group_end:
                group_start, group_end = row.line_start, end
            group_end = max(group_end, end)
            keys[row.id] = f"{source}:{group_start}"
    return keys


def assign_splits(rows: Iterable[SplitRow], holdout_seed: int, holdout_share: float,
                  devset_seed: int, devset_test_share: float) -> dict[str, str]:
    """excerpt id → ``training`` | ``heldout`` (seed documents) or ``dev`` | ``test`` (development set)."""
    rows = list(rows)
    seeds = [r for r in rows if r.group != DEVSET]
    groups = passage_groups(seeds)
    result = {r.id: HELDOUT if fraction(holdout_seed, groups[r.id]) < holdout_share else TRAINING for r in seeds}
    for row in rows:
        if row.group == DEVSET:
            result[row.id] = TEST if fraction(devset_seed, _title_key(row)) < devset_test_share else DEV
    return result
