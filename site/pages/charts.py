"""Inline SVG charts drawn in Python: no JavaScript, no CDN, readable by screen readers.

Every chart is a ``Chart``: the SVG (with ``<title>`` and ``<desc>``) plus the same numbers as a table,
which ``templates/_chart.html`` renders as the fallback below the picture. Values of ``None`` are gaps.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from .i18n import N_, translate

#: Series styles: (css class, dash pattern). The first series is the page's subject.
STYLES = ("subject", "median", "peer")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # share 0–1 or a plain number
    note: str = ""  # e.g. "3 av 12"
    n: int | None = None  # the group's size behind a share: below MIN_N the share is not drawn
    detail: str = ""  # the data table's longer account of the note, e.g. "3 av 12 utdrag, fra 2 av 9 talere"


#: Smallest group whose share is drawn as a bar; smaller groups show their count ("3 av 4") instead.
MIN_N = 5


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[int, float | None], ...]  # (year, value)
    style: str = "subject"  # subject | median | peer


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    svg: Markup
    head: tuple[str, ...]  # fallback table header
    rows: tuple[tuple[str, ...], ...]  # fallback table rows (first cell is a row header)
    source: str = ""
    links: tuple[tuple[str, str], ...] = field(default=())  # (label, url) of the data behind it


def _fmt(value: float | None, percent: bool = False, lang: str = "nb") -> str:
    """As the pages' ``num`` filter: thin-space thousands, minus sign, decimal comma (point in English)."""
    if value is None:
        return "–"
    if percent:
        text = f"{value * 100:.0f} %"
    elif abs(value) >= 1000 or float(value).is_integer():
        text = f"{value:,.0f}".replace(",", "\u202f")
    else:
        text = f"{value:.{1 if abs(value) >= 10 else 2}f}"
        text = text if lang == "en" else text.replace(".", ",")
    return text.replace("-", "\u2212")


def _no_data(width: float, height: float, lang: str) -> str:
    return (f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="lbl">'
            f'{escape(translate(lang, N_("Ingen data")))}</text>')


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    # ids from the content, so a page renders the same bytes every time (no counters)
    uid = "c" + hashlib.sha1(f"{title}\n{desc}".encode()).hexdigest()[:10]
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{uid}t {uid}d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{uid}t">{escape(title)}</title><desc id="{uid}d">{escape(desc)}</desc>')
    return uid, head


def bar_chart(title: str, desc: str, bars: Sequence[Bar], *, percent: bool = True,
              source: str = "", links: tuple[tuple[str, str], ...] = (), lang: str = "nb") -> Chart:
    """Horizontal bars, one per category; ``percent`` draws values as shares of 0–1."""
    row_h, label_w, width = 26, 210, 520
    height = row_h * max(len(bars), 1) + 12
    values = [b.value for b in bars if b.value is not None]
    lo = min(values + [0.0])
    hi = max(values + [1.0 if percent else 0.0]) or 1.0
    _, svg = _open(width, height, title, desc)
    parts = [svg]
    bar_w = width - label_w - 90
    x = _scale(lo, hi, label_w, label_w + bar_w)
    for i, bar in enumerate(bars):
        y = 6 + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="lbl">'
                     f'{escape(_short(bar.label, 27))}</text>')
        too_few = percent and bar.n is not None and bar.n < MIN_N
        if bar.value is not None and not too_few:
            start, end = sorted((x(0.0), x(bar.value)))
            parts.append(f'<rect x="{start:.1f}" y="{y + 3}" width="{max(end - start, 1):.1f}" '
                         f'height="{row_h - 8}" class="bar"/>')
        right = x(0.0) if too_few else x(max(bar.value or 0.0, 0.0))
        text = f"{bar.note or bar.n} (n < {MIN_N})" if too_few else _fmt(bar.value, percent, lang)
        parts.append(f'<text x="{right + 6:.1f}" y="{y + 16}" class="val{" few" if too_few else ""}">'
                     f'{escape(text)}</text>')
    if lo < 0:
        parts.append(f'<line x1="{x(0.0):.1f}" y1="2" x2="{x(0.0):.1f}" y2="{height - 4}" class="axis"/>')
    parts.append("</svg>")
    rows = tuple((b.label, "–" if percent and b.n is not None and b.n < MIN_N else _fmt(b.value, percent, lang),
                  b.detail or b.note) for b in bars)
    head = tuple(translate(lang, m) for m in (N_("Gruppe"), N_("Verdi"), N_("Grunnlag")))
    return Chart(title, desc, Markup("".join(parts)), head, rows, source, links)


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _scale(lo: float, hi: float, a: float, b: float):
    span = (hi - lo) or 1
    return lambda v: a + (v - lo) / span * (b - a)


def line_chart(title: str, desc: str, series: Sequence[Series], *, unit: str = "", source: str = "",
               links: tuple[tuple[str, str], ...] = (), lang: str = "nb",
               extra: Sequence[tuple[str, dict[int, float]]] = ()) -> Chart:
    """Lines over years; the ``subject`` series on top, ``peer`` lines thin and grey, ``median`` dashed.

    ``extra``: (heading, value per year) columns for the data table only, e.g. the count behind a rate."""
    width, height, left, right, top, bottom = 640, 260, 64, 150, 14, 30
    years = sorted({y for s in series for y, v in s.points if v is not None})
    values = [v for s in series for _, v in s.points if v is not None]
    _, svg = _open(width, height, title, desc)
    parts = [svg]
    if years and values:
        lo, hi = min(values), max(values)
        if 0 <= lo < hi * 0.5:
            lo = 0.0  # start at zero unless that squashes the lines
        ticks = nice_ticks(lo, hi)
        x = _scale(years[0], years[-1] if len(years) > 1 else years[0] + 1, left, width - right)
        y = _scale(ticks[0], ticks[-1], height - bottom, top)
        parts += _axes(x, y, years, ticks, width - right, height - bottom, left, unit, lang)
        order = sorted(series, key=lambda s: STYLES.index(s.style) if s.style in STYLES else 9, reverse=True)
        keys: list[tuple[float, Series]] = []
        for s in order:
            parts += _polyline(s, x, y)
            last = [v for _, v in s.points if v is not None]
            if s.style != "peer" and last:
                keys.append((y(last[-1]), s))
        parts += _keys(keys, width - right + 6, top, height - bottom)
    else:
        parts.append(_no_data(width, height, lang))
    parts.append("</svg>")
    head = (translate(lang, N_("År")),) + tuple(s.name for s in series) + tuple(h for h, _ in extra)
    lookup = [dict(s.points) for s in series] + [values for _, values in extra]
    rows = tuple((str(yr),) + tuple(_fmt(d.get(yr), lang=lang) for d in lookup) for yr in years)
    return Chart(title, desc, Markup("".join(parts)), head, rows, source, links)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round axis values (steps of 1, 2, 2.5 or 5 × 10^k) that cover ``lo``–``hi`` in about ``count`` steps."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < hi - 1e-9 * step:
        ticks.append(round(ticks[-1] + step, 10))
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def _axes(x, y, years, ticks, x_end, y_end, left, unit, lang: str = "nb") -> list[str]:
    parts = [f'<line x1="{left}" y1="{y_end}" x2="{x_end}" y2="{y_end}" class="axis"/>']
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if round(step / 10 ** math.floor(
        math.log10(step) + 1e-9), 6) == 2.5 else 0)
    for value in ticks:
        yy = y(value)
        text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace("-", "\u2212")
        text = text if lang == "en" else text.replace(".", ",")
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{x_end}" y2="{yy:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" class="tick">{escape(text)}</text>')
    step = max(1, len(years) // 6)
    shown = years[::step]
    if shown[-1] != years[-1]:  # always label the last year; drop a label that would collide with it
        if len(years) - 1 - years.index(shown[-1]) < max(step / 2, 1.5):
            shown = shown[:-1]
        shown.append(years[-1])
    for year in shown:
        parts.append(f'<text x="{x(year):.1f}" y="{y_end + 18}" text-anchor="middle" class="tick">{year}</text>')
    if unit:
        parts.append(f'<text x="{left}" y="10" class="tick">{escape(unit)}</text>')
    return parts


def _keys(keys: list[tuple[float, Series]], label_x: float, top: float, bottom: float, gap: float = 15) -> list[str]:
    """Names at the lines' right ends, moved apart vertically so that no two overlap."""
    placed: list[float] = []
    for wanted, _ in sorted(keys, key=lambda k: k[0]):
        placed.append(max(wanted, placed[-1] + gap) if placed else max(wanted, top + 4))
    overflow = (placed[-1] - bottom) if placed else 0
    if overflow > 0:  # pushed below the plot: shift the stack up, keeping the gaps
        placed = [p - overflow for p in placed]
    parts = []
    for yy, (_, s) in zip(placed, sorted(keys, key=lambda k: k[0])):
        parts.append(f'<text x="{label_x:.1f}" y="{yy + 4:.1f}" class="key {escape(s.style)}">'
                     f'{escape(_short(s.name, 20))}</text>')
    return parts


def _polyline(s: Series, x, y) -> list[str]:
    pts = [(yr, v) for yr, v in s.points if v is not None]
    if not pts:
        return []
    coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in pts)
    parts = [f'<polyline points="{coords}" class="line {escape(s.style)}"/>']
    if len(pts) == 1:
        parts.append(f'<circle cx="{x(pts[0][0]):.1f}" cy="{y(pts[0][1]):.1f}" r="3" class="dot {escape(s.style)}"/>')
    return parts
