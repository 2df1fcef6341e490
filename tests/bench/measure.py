"""One timed figure of ``make bench``: median, range and target of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    low_ms: float
    high_ms: float
    runs: int
    target_ms: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "meets target" if self.median_ms <= self.target_ms else "MISSES target"


def measure(name: str, fn: Callable[[], object], runs: int, target_ms: float | None = None, note: str = "",
            warmup: int = 1) -> Figure:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return Figure(name, statistics.median(times), min(times), max(times), runs, target_ms, note)
