"""The scale section of BENCHMARKS.md: one row per target and size, ratios between sizes, and an SVG plot.

The plot (``benchmarks-scale.svg`` beside BENCHMARKS.md) is drawn here from the measured figures: time of
each build stage against the number of SYNTHETIC excerpts, log–log, so linear growth is a slope of one.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .scale import PAGES, Size

STAGES = ("corpus", "coding", "stats", "total")
COLOURS = {"corpus": "#1f77b4", "coding": "#d62728", "stats": "#2ca02c", "total": "#000000", "import": "#9467bd"}


def _fmt(x: float | None, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.1f}{unit}" if x < 100 else f"{x:,.0f}{unit}"


def rows(sizes: list[Size]) -> list[tuple[str, str, list[str]]]:
    """(what, target at 100k, figure per size)."""
    out = []
    for stage in STAGES:
        out.append((f"build: {stage} stage, wall s (CPU s)", "≤ 120 s total" if stage == "total" else "",
                    [f"{_fmt(s.stages.get(stage))} ({_fmt(s.cpu_s.get(stage))})" for s in sizes]))
    out.append(("incremental rebuild after one changed source file, s", "≤ 5 s, identical",
                [f"{_fmt(s.rebuild.get('total'))} (coding {_fmt(s.rebuild.get('coding'))}; "
                 f"{'identical' if s.rebuild_identical else 'DIFFERS' if s.rebuild_identical is False else '—'})"
                 if s.rebuild else "—" for s in sizes]))
    out.append(("build: peak RSS, MB", "≤ 2,048 MB", [_fmt(max(s.rss_mb.values(), default=0)) for s in sizes]))
    out.append(("database size, MB", "", [_fmt(s.db_mb) for s in sizes]))
    out.append(("import of one CSV of N excerpts, s", "≤ 60 s",
                [_fmt(s.import_s) if s.import_s is not None else s.import_note for s in sizes]))
    out.append(("import: ms per excerpt", "flat", [_fmt(1000 * s.import_s / s.excerpts) if s.import_s else "—"
                                                   for s in sizes]))
    out.append(("blank spaCy tokenizer, excerpts/s", "", [_fmt(s.tokenizer_per_s) for s in sizes]))
    out.append(("coder (rules), one process, excerpts/s", "", [_fmt(s.coder_per_s) for s in sizes]))
    out.append(("coder ÷ tokenizer, per core", "≥ 30 %",
                [f"{s.coder_per_s / s.tokenizer_per_s:.0%}" if s.tokenizer_per_s else "—" for s in sizes]))
    out.append(("coder (rules), 2 processes, excerpts/s", "", [_fmt(s.coder_jobs_per_s) for s in sizes]))
    for page in PAGES:
        out.append((f"page /-/bolyst/{page} through Datasette, ms", "≤ 200 ms",
                    [_fmt(s.pages_ms.get(page or "home")) for s in sizes]))
    out.append(("FTS search, 16 concurrent clients, p95 ms (errors)", "≤ 20 ms, 0 errors",
                [f"{_fmt(s.search_p95_ms)} ({s.search_errors})" for s in sizes]))
    return out


def ratios(sizes: list[Size]) -> list[str]:
    lines = []
    for a, b in zip(sizes, sizes[1:]):
        k = b.excerpts / a.excerpts
        parts = [f"{stage} ×{b.stages[stage] / a.stages[stage]:.1f}" for stage in STAGES
                 if a.stages.get(stage) and b.stages.get(stage)]
        if a.import_s and b.import_s:
            parts.append(f"import ×{b.import_s / a.import_s:.1f}")
        lines.append(f"- {a.excerpts:,} → {b.excerpts:,} excerpts (×{k:.0f}): " + ", ".join(parts))
    return lines


def svg(sizes: list[Size], width: int = 560, height: int = 360) -> str:
    """Log–log lines of seconds against excerpts, one per stage (and the import)."""
    series = {stage: [(s.excerpts, s.stages[stage]) for s in sizes if s.stages.get(stage)] for stage in STAGES}
    series["import"] = [(s.excerpts, s.import_s) for s in sizes if s.import_s]
    points = [p for pts in series.values() for p in pts]
    if not points:
        return ""
    left, right, top, bottom = 60, 120, 30, 50
    xs = [math.log10(x) for x, _ in points]
    ys = [math.log10(max(y, 0.01)) for _, y in points]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs)) if max(xs) > min(xs) else math.floor(min(xs)) + 1
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
    y1 = y1 if y1 > y0 else y0 + 1

    def px(x: float) -> float:
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (math.log10(max(y, 0.01)) - y0) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="18" font-size="13">Build time vs SYNTHETIC corpus size (log–log)</text>']
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#ddd"/>'
                   f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g} s</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">excerpts</text>')
    for i, (name, pts) in enumerate(series.items()):
        if not pts:
            continue
        colour = COLOURS[name]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in pts]
        ly = top + 14 * i
        out.append(f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 30}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"/><text x="{width - right + 35}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def section(sizes: list[Size], plot: Path) -> str:
    head = "| what | target at 100k | " + " | ".join(f"{s.excerpts:,} (+{s.texts - s.excerpts:,} shipped)"
                                                       if s.texts else f"{s.excerpts:,}" for s in sizes) + " |"
    lines = ["## At scale: SYNTHETIC corpora", "",
             "Generated by `tests/bench/synthetic.py` (seeded; every source, excerpt, speaker and seed file is named "
             "`synthetic-…`; words from a bigram chain over the shipped excerpts). Each project holds the "
             "synthetic excerpts plus the shipped corpus, as any user project does. One run each, side by side "
             "in one `make bench` run; wall seconds on a shared machine, CPU seconds of the build process in "
             "brackets.", "", head, "|---|---|" + "---:|" * len(sizes)]
    lines += [f"| {what} | {target} | " + " | ".join(figs) + " |" for what, target, figs in rows(sizes)]
    busy = any(max(s.load) > (os.cpu_count() or 1) for s in sizes)
    lines += ["", "Load average of the machine (1, 5, 15 min) when each size was done: " + "; ".join(
        f"{s.excerpts:,}: {s.load[0]:.1f}, {s.load[1]:.1f}, {s.load[2]:.1f}" for s in sizes) +
        (" — above the core count, wall seconds measure the queue as much as Bolyst; compare the CPU seconds."
         if busy else f" — within the {os.cpu_count()} cores: wall seconds are Bolyst's own.")]
    lines += ["", "Growth between sizes (time ratio; ×10 excerpts at ×10 time is linear):", ""] + ratios(sizes)
    lines += ["", f"![build time vs size]({plot.name})", ""]
    return "\n".join(lines)
