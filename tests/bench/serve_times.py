"""Served pages and search on one built database, as :func:`tests.bench.scale.run_pages` measures them.

``python -m tests.bench.serve_times DB [--runs N] [--rounds R]`` prints, for every generated page of
``scale.PAGES`` and a few of Datasette's own pages (tables, the canned search, the search page), the median
time of N requests through Datasette's in-process client; then the single-search median and the p95 of R
rounds of 16 concurrent clients × 4 searches (the figure scale.py reports; its p95 is of one round).
For before/after comparisons of the same database on a shared machine: run it several times.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from .scale import PAGES, SEARCHES, search_round

#: The municipality with most quotes in the 10k synthetic project (2,388 through its profile): the largest page.
LARGEST = "municipality/1860/"
DATASETTE_PAGES = ("", "excerpts", "codings", "excerpt_codes", "search_quotes?q=flytte")
SEARCH_PAGE = "/-/bolyst/search/?q=flytte"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from bolyst.site.serve.server import make_datasette

    db: Path = args.db
    ds = make_datasette(db)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def timed(path: str, **params) -> tuple[float, int, float]:
        """Wall ms, status, and CPU ms of this process (every thread: Datasette runs SQL in a pool), which the
        other users of a shared machine disturb less than the wall time."""
        started, cpu = time.perf_counter(), time.process_time()
        response = loop.run_until_complete(ds.client.get(path, params=params or None))
        return (time.perf_counter() - started) * 1000, response.status_code, (time.process_time() - cpu) * 1000

    paths = ["/-/bolyst/" + p for p in (*PAGES, LARGEST)] + [f"/{db.stem}/{p}".rstrip("/") for p in DATASETTE_PAGES]
    for path in paths + [SEARCH_PAGE]:
        timed(path)
        times, status, cpu = zip(*(timed(path) for _ in range(args.runs)))
        print(f"{statistics.median(times):8.1f} ms {statistics.median(cpu):8.1f} ms CPU  {path}  {set(status)}")

    single = [timed(f"/{db.stem}/search_quotes.json", q=term) for term in SEARCHES * 3]
    print(f"{statistics.median(s[0] for s in single):8.1f} ms {statistics.median(s[2] for s in single):8.1f} ms CPU"
          f"  one search_quotes.json at a time (median of {len(single)})")

    loop.run_until_complete(search_round(ds, db))  # warm
    p95s, cpu = [], time.process_time()
    for _ in range(args.rounds):
        times, errors = loop.run_until_complete(search_round(ds, db))
        times.sort()
        p95s.append(times[int(0.95 * (len(times) - 1))])
        if errors:
            print(f"  errors: {errors}")
    cpu_each = (time.process_time() - cpu) * 1000 / (args.rounds * 64)
    print(f"{statistics.median(p95s):8.1f} ms {cpu_each:8.1f} ms CPU per search  16-client search p95 "
          f"(median of {args.rounds} rounds: "
          + ", ".join(f"{p:.0f}" for p in p95s) + f"); load {os.getloadavg()[0]:.2f}")
    loop.close()


if __name__ == "__main__":
    main()
