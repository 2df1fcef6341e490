"""Funnel plots: a value against the count its noise shrinks with (log axis), with 95 % and 99.8 % control limits.

Two kinds share one drawing (:func:`draw`): a model's residual around 0 with normal limits ±z·√(k/n)
(:func:`funnel_chart`), and a rate around the national rate with the control limits stored per municipality
(:func:`rate_funnel`, exact Poisson limits from the ``rate_estimates`` table: the pages compute nothing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from .charts import Chart, _fmt, _no_data, _open, _scale
from .i18n import N_, translate

Z95, Z998 = 1.959964, 3.090232


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    population: float
    value: float
    highlight: bool = False
    outside: bool | None = None  # outside the 95 % limits; None: judged from the drawn limits


@dataclass(frozen=True)
class Limits:
    """Control limits at one population: (low, high) at 95 % and at 99.8 %."""

    population: float
    low95: float
    high95: float
    low998: float
    high998: float


def draw(title: str, desc: str, points: Sequence[FunnelPoint], limits: Sequence[Limits], centre: float, *,
         unit: str = "", source: str = "", links: tuple[tuple[str, str], ...] = (), size_label: str = "",
         lang: str = "nb", floor: float | None = None) -> Chart:
    """The picture and its table; ``limits`` sorted by population, drawn as lines (95 % dashed, 99.8 % grey).

    The vertical axis spans the points and the limits within the points' populations, symmetric about
    ``centre`` but not below ``floor`` (0 for a rate, which cannot be negative). Points outside the 95 % limits
    are drawn filled; ``highlight`` marks the page's subject. Numbers are written in ``lang``'s decimal sign.
    """
    width, height, left, right, top, bottom = 640, 300, 64, 20, 14, 34
    _, svg = _open(width, height, title, desc)
    parts = [svg]
    pts = [p for p in points if p.population and p.population > 0 and p.value is not None]
    lims = [lim for lim in limits if lim.population > 0]
    if pts:
        lx = [math.log10(p.population) for p in pts]
        lo_x, hi_x = min(lx), max(lx) if max(lx) > min(lx) else min(lx) + 1
        x = _scale(lo_x, hi_x, left, width - right)
        bound = max(abs(p.value - centre) for p in pts) or 1.0
        low = centre - bound if floor is None else max(centre - bound, floor)
        y = _scale(low, centre + bound, height - bottom, top)
        clip = lambda v: max(low, min(centre + bound, v))  # noqa: E731
        parts.append(f'<line x1="{left}" y1="{y(centre):.1f}" x2="{width - right}" y2="{y(centre):.1f}" class="axis"/>')
        shown = [lim for lim in lims if lo_x <= math.log10(lim.population) <= hi_x]
        for cls, sides in (("median", ("low95", "high95")), ("peer", ("low998", "high998"))):
            for side in sides:
                coords = " ".join(f"{x(math.log10(lim.population)):.1f},{y(clip(getattr(lim, side))):.1f}"
                                  for lim in shown)
                parts.append(f'<polyline points="{coords}" class="line {cls}"/>')
        for value in (low, centre, centre + bound):
            parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="tick">'
                         f'{escape(_fmt(value, lang=lang))}</text>')
        for power in range(math.ceil(lo_x), math.floor(max(lx)) + 1):
            parts.append(f'<text x="{x(power):.1f}" y="{height - bottom + 18}" text-anchor="middle" class="tick">'
                         f'{escape(_fmt(10.0 ** power, lang=lang))}</text>')
        for p, l10 in zip(pts, lx):
            cls = "dot subject" if p.highlight else ("dot peer" if p.outside else "dot median")
            r = 5 if p.highlight else 2.5
            parts.append(f'<circle cx="{x(l10):.1f}" cy="{y(p.value):.1f}" r="{r}" class="{cls}">'
                         f'<title>{escape(p.label)}: {escape(_fmt(p.value, lang=lang))}</title></circle>')
        if unit:
            parts.append(f'<text x="{left}" y="10" class="tick">{escape(unit)}</text>')
    else:
        parts.append(_no_data(width, height, lang))
    parts.append("</svg>")
    head = tuple(translate(lang, m) for m in (N_("Kommune"), N_("Innbyggere"), N_("Verdi"), N_("95 %-grense")))
    if size_label:
        head = (head[0], size_label, *head[2:])
    at = {lim.population: lim for lim in lims}
    rows = tuple((p.label, _fmt(p.population, lang=lang), _fmt(p.value, lang=lang), _limit_text(at.get(p.population),
                                                                                                 centre, lang))
                 for p in sorted(pts, key=lambda p: p.population))
    return Chart(title, desc, Markup("".join(parts)), head, rows, source, links)


def _limit_text(lim: Limits | None, centre: float, lang: str) -> str:
    if lim is None:
        return "–"
    if centre == 0 and math.isclose(-lim.low95, lim.high95):
        return _fmt(lim.high95, lang=lang)  # symmetric around 0: ± this
    return f"{_fmt(lim.low95, lang=lang)}–{_fmt(lim.high95, lang=lang)}"


def funnel_chart(title: str, desc: str, points: Sequence[FunnelPoint], noise_k: float, *, z: float = Z95,
                 **options) -> Chart:
    """A residual's funnel: limits ±z·√(k/population) around 0 (and ±3.09·√(k/population) for 99.8 %).

    ``population`` is whatever count the value's noise shrinks with; ``size_label`` names it in the chart's
    table (default: inhabitants, in the page's language)."""
    def at(n: float) -> Limits:
        sd = math.sqrt(noise_k / n)
        return Limits(n, -z * sd, z * sd, -Z998 * sd, Z998 * sd)

    pts = [p for p in points if p.population and p.population > 0 and p.value is not None]
    if not pts:
        return draw(title, desc, [], [], 0.0, **options)
    lx = [math.log10(p.population) for p in pts]
    grid = [at(10 ** (min(lx) + i * (max(lx) - min(lx)) / 40)) for i in range(41)]
    own = {p.population: at(p.population) for p in pts}
    marked = [FunnelPoint(p.label, p.population, p.value, p.highlight, abs(p.value) > own[p.population].high95)
              for p in pts]
    return draw(title, desc, marked, sorted([*grid, *own.values()], key=lambda lim: lim.population), 0.0, **options)
