"""Charts drawn in the PDF (vector, with axes and units): line charts, the network map with the
suspected interval highlighted, a radar for drill scores and a handling Gantt chart."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.axes import XValueAxis
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from anran_desktop.reports.pdfbase import LATIN, mixed_width, register_font, runs

PALETTE = [colors.HexColor(c) for c in ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")]
LOCAL = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Series:
    name: str
    times: Sequence[float]  # UTC epoch seconds
    values: Sequence[float]


def mtext(x: float, y: float, s: str, fontSize: float = 8, textAnchor: str = "start",  # noqa: N803
         fillColor=colors.black) -> Group:  # noqa: ANN001, N803
    """A string drawn in runs, each in the font that has its glyphs."""
    from reportlab.pdfbase import pdfmetrics

    g = Group()
    w = mixed_width(s, fontSize)
    x -= {"start": 0, "middle": w / 2, "end": w}[textAnchor]
    for f, c in runs(s):
        g.add(String(x, y, c, fontName=f, fontSize=fontSize, fillColor=fillColor))
        x += pdfmetrics.stringWidth(c, f, fontSize)
    return g


def _hhmm(t: float) -> str:
    return dt.datetime.fromtimestamp(t, LOCAL).strftime("%H:%M")


def line_chart(series: Sequence[Series], ylabel: str, width: float = 480, height: float = 190,
               marker_time: float | None = None) -> Drawing:
    """Time series with local-time x axis, labelled y axis and a legend; ``marker_time`` draws a red line."""
    register_font()
    d = Drawing(width, height)
    lp = LinePlot()
    lp.x, lp.y, lp.width, lp.height = 55, 40, width - 70, height - 70
    lp.data = [list(zip(s.times, s.values, strict=True)) for s in series]
    for i, _ in enumerate(series):
        lp.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        lp.lines[i].strokeWidth = 1.1
    lp.xValueAxis = XValueAxis()
    lp.xValueAxis.labelTextFormat = _hhmm
    all_t = [t for s in series for t in s.times]
    lo, hi = (min(all_t), max(all_t)) if all_t else (0.0, 1.0)
    lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = lo, hi
    lp.xValueAxis.valueSteps = [lo + (hi - lo) * k / 6 for k in range(7)]
    lp.xValueAxis.labels.fontName = LATIN
    lp.xValueAxis.labels.fontSize = 7
    lp.yValueAxis.labels.fontName = LATIN
    lp.yValueAxis.labels.fontSize = 7
    lp.yValueAxis.labelTextFormat = "%.1f"
    d.add(lp)
    d.add(mtext(5, lp.y + lp.height + 4, ylabel, fontSize=8))
    d.add(mtext(lp.x + lp.width / 2, 12, "时间（北京时间）", fontSize=8, textAnchor="middle"))
    if marker_time is not None and series and lo < marker_time < hi:
        x = lp.x + (marker_time - lo) / (hi - lo) * lp.width
        d.add(Line(x, lp.y, x, lp.y + lp.height, strokeColor=colors.red, strokeDashArray=(3, 2)))
        d.add(mtext(x + 2, lp.y + lp.height - 8, "泄漏起始", fontSize=7, fillColor=colors.red))
    for i, s in enumerate(series):
        x = lp.x + (i % 4) * (lp.width / 4)
        y = height - 14 - (i // 4) * 10
        d.add(Rect(x, y, 10, 3, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        d.add(mtext(x + 13, y - 2, s.name, fontSize=7))
    return d


def network_map(pipes: dict[str, list[tuple[float, float]]], highlight: Sequence[str],
                labels: dict[str, tuple[float, float, str]] | None = None,
                width: float = 480, height: float = 300) -> Drawing:
    """Pipes as polylines (lon/lat scaled to the box, equal aspect), the interval in thick red."""
    register_font()
    d = Drawing(width, height)
    pts = [p for c in pipes.values() for p in c]
    if not pts:
        return d
    lon0, lat0 = min(p[0] for p in pts), min(p[1] for p in pts)
    kx = math.cos(math.radians(lat0))
    w = (max(p[0] for p in pts) - lon0) * kx or 1e-9
    h = (max(p[1] for p in pts) - lat0) or 1e-9
    s = min((width - 40) / w, (height - 50) / h)

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        return 20 + (p[0] - lon0) * kx * s, 35 + (p[1] - lat0) * s

    d.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#f7f9fc"), strokeColor=colors.HexColor("#b8c2d0")))
    hl = set(highlight)
    for pid, coords in pipes.items():
        if pid in hl or len(coords) < 2:
            continue
        d.add(PolyLine([v for p in coords for v in xy(p)], strokeColor=colors.HexColor("#7d8ba1"), strokeWidth=1.2))
    for pid in highlight:
        coords = pipes.get(pid, [])
        if len(coords) >= 2:
            d.add(PolyLine([v for p in coords for v in xy(p)], strokeColor=colors.red, strokeWidth=4))
    hl_pts = [xy(p) for pid in highlight for p in pipes.get(pid, [])]
    if hl_pts:  # a halo so a short interval is found at a glance
        cx = sum(p[0] for p in hl_pts) / len(hl_pts)
        cy = sum(p[1] for p in hl_pts) / len(hl_pts)
        r = max(18.0, max(((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5 for p in hl_pts) + 8)
        d.add(Circle(cx, cy, r, fillColor=None, strokeColor=colors.red, strokeWidth=0.8, strokeDashArray=(3, 2)))
    placed: list[tuple[float, float]] = []
    for lon, lat, label in (labels or {}).values():
        x, y = xy((lon, lat))
        d.add(Circle(x, y, 2.5, fillColor=colors.HexColor("#1f3b63"), strokeColor=None))
        ly = y + 3
        while any(abs(ly - py) < 9 and abs(x - px) < 60 for px, py in placed):
            ly += 9
        placed.append((x, ly))
        if ly != y + 3:
            d.add(Line(x, y, x + 6, ly + 2, strokeColor=colors.HexColor("#1f3b63"), strokeWidth=0.4))
        d.add(mtext(x + 8, ly, label, fontSize=7))
    # legend and scale bar
    d.add(Line(12, 14, 32, 14, strokeColor=colors.red, strokeWidth=4))
    d.add(mtext(36, 11, "疑似泄漏区间", fontSize=8))
    metres = 100.0
    px = metres / 111_320.0 * s
    d.add(Line(width - 20 - px, 14, width - 20, 14, strokeColor=colors.black, strokeWidth=1.5))
    d.add(mtext(width - 20 - px / 2, 18, f"{metres:.0f} m", fontSize=7, textAnchor="middle"))
    return d


def radar(scores: dict[str, float], width: float = 260, height: float = 220) -> Drawing:
    """Radar (spider) chart of scores 0–100."""
    register_font()
    d = Drawing(width, height)
    cx, cy, r = width / 2, height / 2 - 5, min(width, height) / 2 - 35
    names = list(scores)
    n = len(names)
    ang = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    for ring in (0.25, 0.5, 0.75, 1.0):
        d.add(Polygon([v for a in ang for v in (cx + r * ring * math.cos(a), cy + r * ring * math.sin(a))],
                      fillColor=None, strokeColor=colors.HexColor("#c0c8d4"), strokeWidth=0.5))
    for a, name in zip(ang, names, strict=True):
        d.add(Line(cx, cy, cx + r * math.cos(a), cy + r * math.sin(a), strokeColor=colors.HexColor("#c0c8d4")))
        d.add(mtext(cx + (r + 14) * math.cos(a), cy + (r + 10) * math.sin(a) - 3,
                     f"{name} {scores[name]:.0f}", fontSize=8, textAnchor="middle"))
    d.add(Polygon([v for a, nm in zip(ang, names, strict=True)
                   for v in (cx + r * scores[nm] / 100 * math.cos(a), cy + r * scores[nm] / 100 * math.sin(a))],
                  fillColor=colors.Color(0.12, 0.47, 0.71, 0.35), strokeColor=PALETTE[0], strokeWidth=1.2))
    return d


def gantt(steps: Sequence[tuple[str, float, float]], width: float = 480, row_h: float = 16) -> Drawing:
    """Handling Gantt chart: (step name, start epoch s, end epoch s), minutes from the first start."""
    register_font()
    height = 40 + row_h * len(steps)
    d = Drawing(width, height)
    if not steps:
        return d
    t0 = min(s[1] for s in steps)
    span = max(max(s[2] for s in steps) - t0, 60.0)
    x0, w = 110, width - 125
    for i, (name, a, b) in enumerate(steps):
        y = height - 20 - (i + 1) * row_h
        d.add(mtext(x0 - 5, y + 4, name, fontSize=8, textAnchor="end"))
        d.add(Rect(x0 + (a - t0) / span * w, y + 2, max((b - a) / span * w, 1.5), row_h - 5,
                   fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
    d.add(Line(x0, 22, x0 + w, 22, strokeColor=colors.black))
    for k in range(6):
        x = x0 + k / 5 * w
        d.add(Line(x, 22, x, 19))
        d.add(mtext(x, 10, f"{span * k / 5 / 60:.{0 if span >= 600 else 1}f}", fontSize=7, textAnchor="middle"))
    d.add(mtext(x0 + w, 2, "分钟（自告警起）", fontSize=7, textAnchor="end"))
    return d
