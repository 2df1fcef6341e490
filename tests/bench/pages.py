"""Page timings for ``make bench``: the static site build and single pages served by Datasette."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bolyst.site.pages.static import build_site

from .measure import Figure, measure

PAGES = ("municipality/0301/", "municipality/1860/", "municipality/3427/compare/", "code/push/",
         "code/retain.volunteers/")


def bench_pages(db: Path, runs: int) -> list[Figure]:
    """The whole static site (every page, default workers), and single pages served by Datasette."""
    from bolyst.site.serve.server import make_datasette

    with tempfile.TemporaryDirectory() as tmp:
        reports = []
        site = measure("bolyst site build (every page, static)",
                       lambda: reports.append(build_site(db, Path(tmp) / "site")),
                       max(2, runs // 2), target_ms=30_000, warmup=0)
    site = Figure(site.name, site.median_ms, site.low_ms, site.high_ms, site.runs, site.target_ms,
                  f"{reports[-1].pages} pages: " + ", ".join(f"{n} {k}" for k, n in reports[-1].by_kind.items()))
    ds = make_datasette(db)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def get(path: str):
        def fetch() -> None:
            response = loop.run_until_complete(ds.client.get("/-/bolyst/" + path))
            response.raise_for_status()
        return fetch

    figures = [site] + [measure(f"page /-/bolyst/{path} through Datasette", get(path), runs * 4,
                                target_ms=100) for path in PAGES]
    loop.close()
    return figures
