"""Thin loaders from the desktop store into the report dataclasses (the builders never touch the DB)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from anran_desktop.reports.charts import Series
from anran_desktop.reports.incident import EvidenceItem, EvidencePhoto, IncidentReportData, TimelineEntry
from anran_desktop.reports.periodic import PeriodicReportData, TicketSummary
from anran_desktop.services.tickets import ENGINE_ACTOR
from anran_desktop.workflow.rules import EVIDENCE_LABELS, LABELS
from engine.units import reading_text

ACTION_LABELS = {"create": "建立工单", "assign": "指派", "interval": "更新疑似区间", "evidence": "添加证据",
                 "checklist": "勾选检查项", "publish": "发布"}


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


#: who the system's own rows name (the leak watch raises the alarm and moves the interval): as the desktop shows it
SYSTEM_ACTOR_LABEL = "系统（泄漏监测）"
INTERVAL_SOURCES = {"engine": "引擎定位", "gauge_reading": "现场压力读数", "valve_test": "关阀测试",
                    "resident_report": "居民报告", "manual": "人工", "dispatch": "调度台"}


def _note(h) -> str:  # noqa: ANN001
    """History notes start with an id (evidence kind, interval source): shown in Chinese."""
    note = h.note or ""
    table = EVIDENCE_LABELS if h.action == "evidence" else INTERVAL_SOURCES if h.action == "interval" else {}
    for key, label in table.items():
        if note.startswith(key):
            return label + note[len(key):]
    return note


def _entry(h) -> TimelineEntry:  # noqa: ANN001
    if h.to_status and h.action != "create":
        action = LABELS.get(h.to_status, h.to_status)
    else:
        action = ACTION_LABELS.get(h.action, h.action)
    return TimelineEntry(_epoch(h.time), SYSTEM_ACTOR_LABEL if h.actor == ENGINE_ACTOR else h.actor, action, _note(h))


def checklist_rows(store, ticket_id: str, kind: str) -> list[list[str]]:  # noqa: ANN001
    """The SOP checklist of the ticket's kind with what was ticked, by whom and when (empty without an SOP)."""
    from anran_desktop.services.ticket_evidence import sop_for

    sop = sop_for(kind)
    if sop is None:
        return []
    with store.read() as c:
        done = {r[0]: (bool(r[1]), r[2], r[3]) for r in c.exec_driver_sql(
            "SELECT item_id, done, actor, time FROM ticket_checklist WHERE ticket_id = ?", (ticket_id,))}
    rows = []
    for status, items in sop.checklist.items():
        for it in items:
            ok, actor, when = done.get(it.id, (False, "", ""))
            rows.append([LABELS.get(status, status), it.text + ("" if it.required else "（选做）"),
                         "已完成" if ok else "未完成", f"{actor} {local_iso(when)}" if ok else "—"])
    return rows


READING_KINDS = {"dial": "压力表照片读数", "register": "燃气表照片读数"}
SOURCE_NAMES = {"desktop": "现场/桌面", "resident": "居民", "camera": "摄像头"}


def evidence_root_for(db_path: Path | str) -> Path | None:
    """Where a database's evidence images live: an ``evidence`` folder beside it (the default data folder's layout,
    and ``anran demo``'s), else None = the user data folder's."""
    beside = Path(db_path).resolve().parent / "evidence"
    return beside if beside.is_dir() else None


def ticket_evidence(store, ticket_id: str, evidence_root: Path | None = None  # noqa: ANN001
                    ) -> tuple[list[EvidenceItem], list[EvidencePhoto]]:
    """The ticket's stored meter/gauge readings (oldest first) and their evidence images as stored."""
    from anran_desktop.services.meter_readings import MeterReadingService

    items, photos = [], []
    for r in reversed(MeterReadingService(store, evidence_root).for_target("ticket", ticket_id)):
        what = str(r.detail.get("label") or READING_KINDS.get(r.kind, r.kind))
        value = "无法识读" if r.effective is None else reading_text(r.effective, r.unit, brackets="（）")
        if r.corrected_value is not None:
            value += f"（{r.corrected_by} 修正，原读数 {_num(r.value)}）"
        items.append(EvidenceItem(what, value, SOURCE_NAMES.get(r.source, r.source), r.confidence))
        if r.evidence is not None:
            photos.append(EvidencePhoto(r.evidence, f"{what}：{value}（{local_iso(r.time)}）"))
    _workflow_evidence(store, ticket_id, evidence_root, items, photos)
    return items, photos


def _workflow_evidence(store, ticket_id: str, root: Path | None, items: list[EvidenceItem],  # noqa: ANN001
                       photos: list[EvidencePhoto]) -> None:
    """Evidence attached in the workflow (``ticket_evidence``, migration 0003): readings not already listed,
    before/after photos, notes, valve tests."""
    from anran_desktop.services.ticket_evidence import TicketEvidenceService

    for e in TicketEvidenceService(store, lambda _a: "admin", root).evidence(ticket_id):
        if e.reading_id is not None and e.photo is None:
            continue  # the meter reading itself is listed above, with its photo
        what = EVIDENCE_LABELS.get(e.kind, e.kind)
        reading = reading_text(e.value, e.unit, brackets="（）") if e.value is not None else ""
        value = " ".join(x for x in (reading, e.note) if x) or "—"
        if e.node_id:
            what += f"（{e.node_id}）"
        items.append(EvidenceItem(what, value, e.actor))
        if e.photo is not None:
            photos.append(EvidencePhoto(e.photo, f"{what}：{value}（{e.actor}，{local_iso(e.time)}）"))


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}".rstrip("0").rstrip(".")


def local_iso(iso: str) -> str:
    from anran_desktop.reports.incident import local

    return local(_epoch(iso), "%m-%d %H:%M")


def incident_from_store(store, ticket_id: str, evidence_root: Path | None = None) -> IncidentReportData:  # noqa: ANN001
    """The close report's data for ``ticket_id``: ticket, history, stored network, pressure around the onset,
    the ticket's readings and their evidence photos."""
    from anran_desktop.services.bootstrap import load_network_from_store
    from anran_desktop.services.telemetry import TelemetryService
    from anran_desktop.services.tickets import TicketService

    d = TicketService(store).detail(ticket_id)
    net = load_network_from_store(store)
    tl = [_entry(h) for h in d.history if h.action != "checklist"]  # ticks are listed in the checklist section
    with store.read() as c:
        alarm = c.exec_driver_sql("SELECT a.time, a.title, a.detail FROM alarms a JOIN tickets t ON t.alarm_id = a.id "
                                  "WHERE t.id = ?", (ticket_id,)).first()
    onset = leak = None
    if alarm is not None:  # the loop starts at the alarm: TTA and the close time run from it
        tl.insert(0, TimelineEntry(_epoch(alarm[0]), SYSTEM_ACTOR_LABEL, "告警", alarm[1]))
        detail = json.loads(alarm[2] or "{}") or {}
        onset = _epoch(detail["onset"]) if detail.get("onset") else None
        leak = detail.get("leak_m3h")
    iv = d.suspect_interval or {}
    t_start = tl[0].time if tl else 0.0
    curves = []
    tel = TelemetryService(store)
    for s in [s for s in net.sensors.values() if s.quantity == "pressure_kpa"][:4]:
        t, v = tel.series(s.id, t_start - 3600, t_start + 1800)
        if len(t):
            curves.append(Series(f"{s.id} {s.name}", [float(x) for x in t], [float(x) for x in v]))
    evidence, photos = ticket_evidence(store, ticket_id, evidence_root)
    area = d.card.area
    area_name = net.areas[area].name if area in net.areas else (d.location.get("area") or area or "—")
    return IncidentReportData(
        site=str(net.site.get("name", "")), ticket_id=d.card.id, title=d.card.title, area=area_name, kind=d.card.kind,
        assignee=d.card.assignee or "—", interval_pipes=list(iv.get("pipes", [])),
        interval_length_m=float(iv.get("length_m", 0.0)), confidence=float(iv.get("confidence", 0.0)),
        leak_m3h=iv.get("leak_m3h", leak), onset=onset, timeline=tl,
        pipes={p.id: list(p.coords) for p in net.pipes.values()}, curves=curves, is_drill=d.card.is_drill,
        evidence=evidence, photos=photos, checklist=checklist_rows(store, ticket_id, d.card.kind))


def periodic_from_store(store, start: dt.datetime, end: dt.datetime, title: str) -> PeriodicReportData:  # noqa: ANN001
    """Weekly/monthly figures from the tickets created in [start, end)."""
    from anran_desktop.reports.participation import alarms_from_store, participation_from_store
    from anran_desktop.services.bootstrap import load_network_from_store
    from anran_desktop.services.tickets import TicketService

    svc = TicketService(store)
    lo, hi = start.astimezone(dt.UTC).isoformat(), end.astimezone(dt.UTC).isoformat()
    with store.read() as c:
        alarm_times = {tid: _epoch(t) for tid, t in c.exec_driver_sql(
            "SELECT t.id, a.time FROM tickets t JOIN alarms a ON a.id = t.alarm_id")}
    rows = []
    for card in svc.board():
        if not (lo <= card.created_at.replace("Z", "+00:00") < hi):
            continue
        hist = svc.detail(card.id).history
        first = {}
        for h in hist:
            if h.to_status and h.to_status not in first:
                first[h.to_status] = _epoch(h.time)
        t_alarm = alarm_times.get(card.id, first.get("alarm"))  # TTA runs from the alarm when there was one
        rows.append(TicketSummary(card.id, card.kind, card.status, card.is_drill, t_alarm,
                                  first.get("dispatched"), first.get("onsite"), first.get("closed")))
    try:
        site = str(load_network_from_store(store).site.get("name", ""))
    except Exception:  # noqa: BLE001 - a store without a network still has tickets to report
        site = ""
    t0, t1 = start.timestamp(), end.timestamp()
    return PeriodicReportData(site=site, title=title, start=t0, end=t1, tickets=rows,
                              by_kind=dict(Counter(r.kind for r in rows)), alarms=alarms_from_store(store, t0, t1),
                              residents=participation_from_store(store, t0, t1))
