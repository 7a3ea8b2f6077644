"""Drill report: scenario, step timing (table and Gantt), scores with the radar chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from anran_desktop.reports.charts import gantt, radar
from anran_desktop.reports.incident import local
from anran_desktop.reports.pdfbase import build, para, styles, table


@dataclass
class DrillReportData:
    site: str
    scenario: str
    area: str
    steps: list[tuple[str, float, float]]  # (step, start, end) epoch s
    scores: dict[str, float]  # axis -> 0–100
    interval: str
    notified: int
    acknowledged: int
    invited: int = 0  # residents invited to the drill check-in through the relay
    checked_in: int = 0  # check-ins pulled back from the relay
    notes: list[str] = field(default_factory=list)


def build_drill_report(data: DrillReportData, out: str | Path) -> Path:
    """Write the drill report (A4 PDF)."""
    if not data.steps:
        raise ValueError(f"演练「{data.scenario}」没有步骤记录，无法生成报告")
    st = styles()
    title = "应急演练报告"
    w = 174 * mm
    total = sum(data.scores.values()) / max(len(data.scores), 1)
    story = [para(title, st["title"]),
             para(f"{data.site} · {data.scenario} · {local(data.steps[0][1], '%Y-%m-%d %H:%M')}（北京时间）", st["sub"]),
             para("一、演练概况", st["h2"]),
             table([["场景", data.scenario, "区域", data.area],
                    ["定位结果", data.interval, "综合得分", f"{total:.0f} 分"],
                    ["区域通知送达", f"{data.notified} 人", "通知回执", f"{data.acknowledged} 人"],
                    ["演练签到邀请", f"{data.invited} 人", "居民签到（经中继回传）", f"{data.checked_in} 人"]],
                   [w * 0.15, w * 0.45, w * 0.15, w * 0.25], header=False),
             *[para(n, st["body"]) for n in data.notes],
             para("二、步骤用时", st["h2"]),
             table([["步骤", "开始", "结束", "用时（分钟）"]]
                   + [[n, local(a, "%H:%M:%S"), local(b, "%H:%M:%S"), f"{(b - a) / 60:.1f}"] for n, a, b in data.steps],
                   [w * 0.3, w * 0.25, w * 0.25, w * 0.2]),
             para("三、处置甘特图", st["h2"]), gantt(data.steps),
             KeepTogether([para("四、评分雷达图（满分 100）", st["h2"]), radar(data.scores),
                           table([list(data.scores)] + [[f"{v:.0f}" for v in data.scores.values()]],
                                 [w / len(data.scores)] * len(data.scores))])]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build(str(out), story, data.site, "【演练】" + title)
    return out
