"""Weekly and monthly reports: alarm counts, false-alarm rate, TTA / arrival / close distributions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from anran_desktop.reports.charts import mtext
from anran_desktop.reports.incident import local
from anran_desktop.reports.pdfbase import LATIN, build, para, styles, table


@dataclass(frozen=True)
class TicketSummary:
    id: str
    kind: str
    status: str
    is_drill: bool
    t_alarm: float | None
    t_dispatched: float | None
    t_onsite: float | None
    t_closed: float | None
    false_alarm: bool = False


@dataclass
class PeriodicReportData:
    site: str
    title: str  # e.g. 周报 / 月报
    start: float
    end: float
    tickets: list[TicketSummary]
    by_kind: dict[str, int] = field(default_factory=dict)


def _mins(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else (b - a) / 60.0


def _stats(vals: list[float]) -> list[str]:
    if not vals:
        return ["0", "—", "—", "—"]
    s = sorted(vals)
    return [str(len(s)), f"{s[len(s) // 2]:.1f}", f"{s[min(len(s) - 1, int(0.9 * len(s)))]:.1f}", f"{s[-1]:.1f}"]


def histogram(values: list[float], edges: list[float], xlabel: str, width: float = 480, height: float = 170) -> Drawing:
    """Bar chart of counts per bin (minutes)."""
    counts = [sum(1 for v in values if a <= v < b) for a, b in zip(edges, edges[1:], strict=False)]
    d = Drawing(width, height)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 50, 35, width - 70, height - 55
    bc.data = [counts or [0]]
    bc.categoryAxis.categoryNames = [f"{a:g}–{b:g}" for a, b in zip(edges, edges[1:], strict=False)]
    bc.categoryAxis.labels.fontName = LATIN
    bc.categoryAxis.labels.fontSize = 7
    bc.valueAxis.labels.fontName = LATIN
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueStep = max(1, -(-max(counts or [1]) // 5))
    bc.valueAxis.labelTextFormat = "%d"
    bc.bars[0].fillColor = colors.HexColor("#1f77b4")
    d.add(bc)
    d.add(mtext(5, height - 12, "工单数", fontSize=8))
    d.add(mtext(bc.x + bc.width / 2, 8, xlabel, fontSize=8, textAnchor="middle"))
    return d


def build_periodic_report(data: PeriodicReportData, out: str | Path) -> Path:
    """Write the weekly/monthly report to ``out`` (A4 PDF)."""
    st = styles()
    real = [t for t in data.tickets if not t.is_drill]
    tta = [m for t in real if (m := _mins(t.t_alarm, t.t_dispatched)) is not None]
    arr = [m for t in real if (m := _mins(t.t_dispatched, t.t_onsite)) is not None]
    clo = [m for t in real if (m := _mins(t.t_alarm, t.t_closed)) is not None]
    false_rate = (sum(t.false_alarm for t in real) / len(real)) if real else 0.0
    title = f"{data.site}燃气安全{data.title}"
    w = 174 * mm
    story = [para(title, st["title"]),
             para(f"统计区间：{local(data.start, '%Y-%m-%d')} 至 {local(data.end, '%Y-%m-%d')}（北京时间）", st["sub"]),
             para("一、总体情况", st["h2"]),
             table([["工单总数", str(len(real)), "演练", str(len(data.tickets) - len(real))],
                    ["已结案", str(sum(t.status == "closed" for t in real)), "误报率", f"{false_rate:.0%}"],
                    ["TTA 达标（不超过 2 分钟）", f"{sum(m <= 2 for m in tta)}/{len(tta)}", "按类型",
                     "，".join(f"{k} {v}" for k, v in sorted(data.by_kind.items())) or "—"]],
                   [w * 0.25, w * 0.2, w * 0.15, w * 0.4], header=False),
             para("二、时效分布（分钟）", st["h2"]),
             table([["指标", "样本数", "中位数", "90 分位", "最大"], ["响应 TTA（告警至派单）", *_stats(tta)],
                    ["到场（派单至到场）", *_stats(arr)], ["结案（告警至结案）", *_stats(clo)]],
                   [w * 0.32, w * 0.17, w * 0.17, w * 0.17, w * 0.17]),
             para("三、响应时间 TTA 分布", st["h2"]), histogram(tta, [0, 1, 2, 3, 5, 10, 30], "TTA（分钟）"),
             para("四、到场用时分布", st["h2"]), histogram(arr, [0, 10, 20, 30, 45, 60, 120], "到场用时（分钟）")]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build(str(out), story, data.site, title)
    return out
