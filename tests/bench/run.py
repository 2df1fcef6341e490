"""``make bench`` (``python -m tests.bench.run``): speed figures for the build, search and pages, written to BENCHMARKS.md.

Not part of ``make test``: timings belong here, measured side by side in one run, not in unit tests.
Figures are medians of several runs on whatever machine runs the benchmark; the file says which.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from .coder import bench_coder
from .load import bench_load
from .measure import Figure, measure
from .pages import bench_pages
from .scale import bench_size
from .scale_report import section, svg

SCALE_MARK = "<!-- scale: written by make bench (tests/bench/scale_report.py) -->"

SEARCH_TERMS = ("flytte", "ensom", "frivilligsentralen", "barna skole", "jobb", "Nord-Norge", "vi har flyttet nok")


def bench_build(workdir: Path, runs: int) -> Figure:
    db = workdir / "bench.db"
    command = [sys.executable, "-m", "bolyst.site.cli", "build", "--full", "--db", str(db)]

    def full() -> None:  # a full build each time: nothing of the run before is read
        subprocess.run(command, check=True, capture_output=True)

    return measure("bolyst build (whole shipped knowledge base, separate process)", full, runs, target_ms=20_000,
                   warmup=0)


def bench_search(db: Path, runs: int) -> list[Figure]:
    """The search_quotes canned query through Datasette's client, beside the same SQL on bare sqlite3."""
    from bolyst.site.serve.metadata import build_metadata
    from bolyst.site.serve.search import fts_query
    from bolyst.site.serve.server import make_datasette

    sql = build_metadata(db.stem)["databases"][db.stem]["queries"]["search_quotes"]["sql"]
    ds = make_datasette(db)
    loop = asyncio.new_event_loop()

    def via_datasette() -> None:
        for term in SEARCH_TERMS:
            response = loop.run_until_complete(
                ds.client.get(f"/{db.stem}/search_quotes.json", params={"q": term}))
            response.raise_for_status()

    conn = sqlite3.connect(db)
    conn.create_function("bolyst_fts", 1, fts_query, deterministic=True)

    def bare() -> None:
        for term in SEARCH_TERMS:
            conn.execute(sql, {"q": term}).fetchall()

    n = len(SEARCH_TERMS)
    a = measure("search through Datasette (JSON, per query)", via_datasette, runs, target_ms=20 * n)
    b = measure("same search, bare sqlite3 (per query)", bare, runs)
    per = [Figure(f.name, f.median_ms / n, f.low_ms / n, f.high_ms / n, f.runs,
                  None if f.target_ms is None else f.target_ms / n, f"{n} queries: {', '.join(SEARCH_TERMS)}")
           for f in (a, b)]
    loop.close()
    return per


def report(figures: list[Figure]) -> str:
    cpu = os.cpu_count()
    lines = [
        "# Benchmarks", "",
        f"Measured by `make bench` ({sys.executable.split('/')[-3] if '.venv' in sys.executable else 'python'}) on "
        f"{platform.system()} {platform.machine()}, {cpu} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}. Medians (min–max) of several runs; machines are noisy, compare ratios.", "",
        "| what | median | min–max | runs | target | |", "|---|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        target = f"≤ {f.target_ms:,.0f} ms" if f.target_ms is not None else ""
        lines.append(f"| {f.name} | {f.median_ms:,.1f} ms | {f.low_ms:,.1f}–{f.high_ms:,.1f} | {f.runs} | {target} "
                     f"| {f.verdict} |")
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="file to write (Markdown)")
    parser.add_argument("--runs", type=int, default=5, help="counted runs per figure")
    parser.add_argument("--sizes", default="1000,10000",
                        help="SYNTHETIC corpus sizes for the scale section, comma-separated (0: none)")
    parser.add_argument("--scale-only", action="store_true", help="only the scale section (keeps the seed section)")
    parser.add_argument("--import-timeout", type=float, default=900, help="seconds before an import is stopped")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if int(n)]
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    seed_section = old.split(SCALE_MARK)[0].rstrip() + "\n" if old else ""
    if not args.scale_only:
        seed_section = bench_seed(args)
    scale = ""
    if sizes:
        with tempfile.TemporaryDirectory(prefix="bolyst-bench-") as tmp:
            measured = []
            for n in sizes:
                print(f"timing the scale benchmark at {n:,} SYNTHETIC excerpts …", flush=True)
                measured.append(bench_size(n, Path(tmp), args.runs, args.import_timeout))
        plot = args.out.with_name("benchmarks-scale.svg")
        plot.write_text(svg(measured), encoding="utf-8")
        scale = "\n" + SCALE_MARK + "\n\n" + section(measured, plot)
    text = seed_section + scale
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def bench_seed(args) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("timing bolyst build …", flush=True)
        figures = [bench_build(workdir, max(3, args.runs // 2 + 1))]
        db = workdir / "bench.db"
        print("timing searches …", flush=True)
        figures += bench_search(db, args.runs * 4)
        for extra in (bench_coder, bench_pages, bench_load):
            print(f"timing {extra.__name__} …", flush=True)
            figures += extra(db, args.runs)
    return report(figures)


if __name__ == "__main__":
    raise SystemExit(main())
