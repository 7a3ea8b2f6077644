"""Incident close report: title block, summary with TTA and durations, curves around the event, the
interval on the network map, timeline, evidence and a handling Gantt chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from anran_desktop.reports.charts import LOCAL, Series, gantt, line_chart, network_map
from anran_desktop.reports.pdfbase import build, para, styles, table
from anran_desktop.reports.photos import photo_grid
from engine.interval import quoted


@dataclass(frozen=True)
class TimelineEntry:
    time: float  # UTC epoch seconds
    actor: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    kind: str  # 中文名称, e.g. 入户燃气表读数
    value: str
    source: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class EvidencePhoto:
    """An evidence image as stored (already privacy-masked by whoever stored it) and its caption."""

    path: Path
    caption: str


@dataclass
class IncidentReportData:
    site: str
    ticket_id: str
    title: str
    area: str
    kind: str
    assignee: str
    interval_pipes: list[str]
    interval_length_m: float
    confidence: float
    leak_m3h: float | None
    onset: float | None
    timeline: list[TimelineEntry]
    pipes: dict[str, list[tuple[float, float]]]  # pipe id -> lon/lat coords for the map
    curves: list[Series] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    map_labels: dict[str, tuple[float, float, str]] = field(default_factory=dict)
    is_drill: bool = False
    photos: list[EvidencePhoto] = field(default_factory=list)
    checklist: list[list[str]] = field(default_factory=list)  # [stage, item, state, by whom / when]


def local(t: float | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "—" if t is None else dt.datetime.fromtimestamp(t, LOCAL).strftime(fmt)


def _minutes(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{(b - a) / 60:.1f} 分钟"


def _first(entries: list[TimelineEntry], word: str) -> float | None:
    return next((e.time for e in entries if word in e.action), None)


def build_incident_report(data: IncidentReportData, out: str | Path) -> Path:
    """Write the close report of ``data`` to ``out`` (A4 PDF) and return the path."""
    st = styles()
    tl = sorted(data.timeline, key=lambda e: e.time)
    if not tl:
        raise ValueError(f"工单 {data.ticket_id} 没有时间线记录，无法生成结案报告")
    t_alarm = tl[0].time
    t_disp, t_arr, t_close = _first(tl, "派单"), _first(tl, "到场"), _first(tl, "结案")
    title = ("【演练】" if data.is_drill else "") + "燃气事件结案报告"
    story: list = [para(title, st["title"]),
                   para(f"{data.site} · 工单 {data.ticket_id} · 生成于 {local(tl[-1].time)}（北京时间）", st["sub"]),
                   Spacer(1, 4 * mm), para("一、事件概况", st["h2"])]
    w = 174 * mm
    story.append(table([
        ["站点", data.site, "区域", data.area],
        ["事件", data.title, "类型", data.kind],
        ["抢修人员", data.assignee, "泄漏起始（引擎估计）", local(data.onset)],
        ["疑似区间", "、".join(data.interval_pipes) or "—", "区间长度", f"{data.interval_length_m:.0f} m"],
        ["区间置信度", f"{quoted(data.confidence):.0%}", "估计泄漏量", "—" if data.leak_m3h is None else f"{data.leak_m3h:.1f} m³/h"],
        ["响应时间 TTA（告警至派单）", _minutes(t_alarm, t_disp), "到场用时（派单至到场）", _minutes(t_disp, t_arr)],
        ["结案用时（告警至结案）", _minutes(t_alarm, t_close), "TTA 目标", "不超过 2 分钟"],
    ], [w * 0.2, w * 0.3, w * 0.22, w * 0.28], header=False))
    if data.curves:
        story += [para("二、事件前后压力曲线", st["h2"]),
                  line_chart(data.curves, "压力 kPa（表压）", marker_time=data.onset)]
    story.append(KeepTogether([
        para("三、疑似泄漏区间（管网图）", st["h2"]),
        para(f"红色粗线为最终疑似区间：{'、'.join(data.interval_pipes)}，总长 {data.interval_length_m:.0f} m，"
             f"置信度 {quoted(data.confidence):.0%}。", st["body"]),
        network_map(data.pipes, data.interval_pipes, data.map_labels)]))
    story += [para("四、处置时间线", st["h2"]),
              table([["时间（北京时间）", "执行人", "动作", "说明"]]
                    + [[local(e.time, "%H:%M:%S"), e.actor, e.action, e.detail] for e in tl],
                    [w * 0.16, w * 0.14, w * 0.24, w * 0.46])]
    if data.evidence:
        story += [para("五、证据", st["h2"]),
                  table([["证据", "读数/内容", "来源", "识别置信度"]]
                        + [[e.kind, e.value, e.source, "—" if e.confidence is None else f"{e.confidence:.0%}"]
                           for e in data.evidence], [w * 0.25, w * 0.3, w * 0.3, w * 0.15])]
    if data.checklist:
        story += [para("SOP 检查项", st["h2"]),
                  table([["阶段", "检查项", "状态", "完成人 / 时间"]] + data.checklist,
                        [w * 0.14, w * 0.5, w * 0.14, w * 0.22])]
    if data.photos:
        story.append(KeepTogether([para("证据照片", st["h2"]), photo_grid(data.photos, w)]))
    steps = [(a.action, a.time, b.time) for a, b in zip(tl, tl[1:], strict=False)]
    if steps:
        story.append(KeepTogether([para("六、处置甘特图", st["h2"]), gantt(steps)]))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build(str(out), story, data.site, title)
    return out
