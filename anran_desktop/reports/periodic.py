"""Weekly and monthly reports: alarm counts, false-alarm rate, TTA / arrival / close / localization distributions,
residents' participation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from anran_desktop.reports.charts import mtext
from anran_desktop.reports.incident import local
from anran_desktop.reports.participation import AlarmFigures, Participation
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
    alarms: AlarmFigures = field(default_factory=AlarmFigures)
    residents: Participation = field(default_factory=Participation)


def _mins(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else (b - a) / 60.0


def _stats(vals: list[float]) -> list[str]:
    if not vals:
        return ["0", "—", "—", "—"]
    s = sorted(vals)
    return [str(len(s)), f"{s[len(s) // 2]:.1f}", f"{s[min(len(s) - 1, int(0.9 * len(s)))]:.1f}", f"{s[-1]:.1f}"]


def histogram(values: list[float], edges: list[float], xlabel: str, width: float = 480, height: float = 170,
              ylabel: str = "工单数") -> Drawing:
    """Bar chart of counts per bin (minutes); the last bin is open-ended ("a+") so no value is dropped."""
    bins = list(zip(edges, edges[1:], strict=False))
    counts = [sum(1 for v in values if a <= v < b) for a, b in bins[:-1]]
    counts.append(sum(1 for v in values if v >= bins[-1][0]))
    d = Drawing(width, height)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 50, 35, width - 70, height - 55
    bc.data = [counts or [0]]
    bc.categoryAxis.categoryNames = [f"{a:g}–{b:g}" for a, b in bins[:-1]] + [f"{bins[-1][0]:g}+"]
    bc.categoryAxis.labels.fontName = LATIN
    bc.categoryAxis.labels.fontSize = 7
    bc.valueAxis.labels.fontName = LATIN
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueStep = max(1, -(-max(counts or [1]) // 5))
    bc.valueAxis.labelTextFormat = "%d"
    bc.bars[0].fillColor = colors.HexColor("#1f77b4")
    d.add(bc)
    d.add(mtext(5, height - 12, ylabel, fontSize=8))
    d.add(mtext(bc.x + bc.width / 2, 8, xlabel, fontSize=8, textAnchor="middle"))
    if not values:  # an empty chart would read as "all zero": say there was nothing to count
        d.add(mtext(bc.x + bc.width / 2, bc.y + bc.height / 2, "本期无数据", fontSize=10, textAnchor="middle"))
    return d


#: ticket kinds (tickets.kind) and alarm kinds (alarms.kind) as the report shows them; unknown ids are shown as is
KIND_NAMES = {"leak": "疑似泄漏", "odor": "异味报告", "help": "居民求助", "sensor": "传感器故障", "sensor_fault": "传感器故障",
              "drill": "演练", "maintenance": "维护", "leak_suspected": "疑似泄漏"}


def _kinds(counts: dict[str, int]) -> str:
    return "，".join(f"{KIND_NAMES.get(k, k)} {v}" for k, v in sorted(counts.items())) or "—"


def _causes(counts: dict[str, int]) -> str:
    """误报原因: each cause the dispatchers gave with its count, most first (未注明: cleared without one)."""
    from anran_desktop.services.false_alarm import CAUSES

    order = list(CAUSES)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else len(order)))
    return "，".join(f"{CAUSES.get(k, '未注明') if k else '未注明'} {v}" for k, v in ranked) or "—"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def _residents_table(p: Participation, w: float):  # noqa: ANN202
    mean = "—" if p.safety_score_mean is None else f"{p.safety_score_mean:.0f} 分"
    return table([
        ["区域通知发送", f"{p.notices_sent} 条（已送达中继 {p.notices_delivered}）",
         "通知覆盖住户（已注册）", f"{p.reach} 户次（已发码 {p.issued}）"],
        ["居民回执", f"{p.acks} 户次", "回执率（回执 / 已注册）", _pct(p.ack_rate)],
        ["异味报告", f"{p.odor_reports} 条", "有效报告（附照片或表读数）", f"{p.valid_odor_reports} 条"],
        ["求助呼叫", f"{p.help_calls} 次", "居民上报表读数", f"{p.meter_readings} 次"],
        ["安全自检", f"{p.safety_checks} 次", "自检平均得分", mean],
        ["演练邀请", f"{p.drill_invitations} 次（已注册 {p.drill_reach} 户次，已发码 {p.drill_issued}）",
         "演练签到", f"{p.drill_checkins} 户次"],
        ["参与住户（有任一上报）", f"{p.households_active} 户", "本期居民积分", f"{p.points_total} 分"],
    ], [w * 0.2, w * 0.3, w * 0.28, w * 0.22], header=False)


def _points_tables(p: Participation, w: float) -> list:
    """Points per area and the households with the most points (household number only)."""
    if not p.points_total:
        return [para("本期无居民积分（中继按异味报告发放：附照片或表读数 10 分，否则 5 分）。", styles()["body"])]
    areas = [["区域", "积分"], *([a or "—", f"{v} 分"] for a, v in p.points_by_area.items())]
    top = [["排名", "户号", "积分"], *([str(i), h, f"{v} 分"] for i, (h, v) in enumerate(p.top_households, 1))]
    gap = Spacer(1, 3 * mm)
    return [gap, para("居民积分按区域", styles()["body"]), table(areas, [w * 0.5, w * 0.5]),
            gap, para(f"积分前 {len(p.top_households)} 户（按户号，不含个人信息）", styles()["body"]),
            table(top, [w * 0.2, w * 0.5, w * 0.3])]


def build_periodic_report(data: PeriodicReportData, out: str | Path) -> Path:
    """Write the weekly/monthly report to ``out`` (A4 PDF)."""
    st = styles()
    real = [t for t in data.tickets if not t.is_drill]
    tta = [m for t in real if (m := _mins(t.t_alarm, t.t_dispatched)) is not None]
    arr = [m for t in real if (m := _mins(t.t_dispatched, t.t_onsite)) is not None]
    clo = [m for t in real if (m := _mins(t.t_alarm, t.t_closed)) is not None]
    al = data.alarms
    title = f"{data.site}燃气安全{data.title}"
    w = 174 * mm
    story = [para(title, st["title"]),
             # the period ends at midnight after its last day (exclusive): the header names that last day
             para(f"统计区间：{local(data.start, '%Y-%m-%d')} 至 {local(data.end - 1, '%Y-%m-%d')}（北京时间）", st["sub"]),
             para("一、总体情况", st["h2"]),
             table([["告警总数（不含演练）", str(al.total), "演练告警", str(al.drills)],
                    ["误报（未转工单即解除）", f"{al.false_alarms} 条", "误报率", _pct(al.false_rate)],
                    ["误报原因", _causes(al.false_by_cause), "", ""],
                    ["告警按类型", _kinds(al.by_kind),
                     "未处理告警", str(al.open_alarms)],
                    ["工单总数", str(len(real)), "演练工单", str(len(data.tickets) - len(real))],
                    ["已结案", str(sum(t.status == "closed" for t in real)), "TTA 达标（不超过 2 分钟）",
                     f"{sum(m <= 2 for m in tta)}/{len(tta)}"],
                    ["工单按类型", _kinds(data.by_kind), "", ""]],
                   [w * 0.25, w * 0.3, w * 0.25, w * 0.2], header=False, spans=(((1, 2), (3, 2)),)),
             para("二、时效分布（分钟）", st["h2"]),
             table([["指标", "样本数", "中位数", "90 分位", "最大"], ["响应 TTA（告警至派单）", *_stats(tta)],
                    ["到场（派单至到场）", *_stats(arr)], ["结案（告警至结案）", *_stats(clo)],
                    ["定位（泄漏起始至告警给出区间）", *_stats(al.localization_min)]],
                   [w * 0.32, w * 0.17, w * 0.17, w * 0.17, w * 0.17]),
             para("三、居民参与", st["h2"]), _residents_table(data.residents, w), *_points_tables(data.residents, w),
             KeepTogether([para("四、响应时间 TTA 分布", st["h2"]),
                           histogram(tta, [0, 1, 2, 3, 5, 10, 30], "TTA（分钟）")]),
             KeepTogether([para("五、到场用时分布", st["h2"]),
                           histogram(arr, [0, 10, 20, 30, 45, 60, 120], "到场用时（分钟）")]),
             KeepTogether([para("六、结案用时分布", st["h2"]),
                           histogram(clo, [0, 30, 60, 120, 240, 480, 1440], "结案用时（分钟）")]),
             KeepTogether([para("七、定位用时分布", st["h2"]),
                           histogram(al.localization_min, [0, 5, 10, 15, 30, 60, 120], "定位用时（分钟）",
                                     ylabel="告警数")])]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build(str(out), story, data.site, title)
    return out
