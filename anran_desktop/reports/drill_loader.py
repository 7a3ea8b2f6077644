"""The drill report's data for a drill ticket kept in the desktop store.

Steps are the ticket's status changes (the first step starts at the drill alarm when there was one); scores
follow :func:`anran_desktop.drills.scenarios.score_drill`: speed from the same timestamps, completeness from the
SOP checklist ticks (``ticket_checklist``), communication from the area notices / drill invitations sent during the
drill and the acknowledgements and check-ins residents sent back through the relay. Accuracy needs the true place
of the simulated leak: it is taken from the drill alarm's ``detail.drill_truth_pipes``, else from the latest
``drill.start`` event before the alarm (:mod:`anran_desktop.drills.record`); without either the report says that
accuracy was not scored.
"""

from __future__ import annotations

import json
from pathlib import Path

from anran_desktop.drills.scenarios import STEPS, StepTimer, score_drill
from anran_desktop.reports.drill import DrillReportData
from anran_desktop.reports.participation import _epoch, participation_from_store
from anran_desktop.workflow.rules import STATUSES


def drill_from_store(store, ticket_id: str, evidence_root: Path | None = None) -> DrillReportData:  # noqa: ANN001
    from anran_desktop.services.bootstrap import load_network_from_store
    from anran_desktop.services.ticket_evidence import TicketEvidenceService, sop_for
    from anran_desktop.services.tickets import TicketService

    d = TicketService(store).detail(ticket_id)
    if not d.card.is_drill:
        raise ValueError(f"工单 {ticket_id} 不是演练工单，不能生成演练报告")
    first: dict[str, float] = {}
    for h in d.history:
        if h.to_status and h.to_status not in first:
            first[h.to_status] = _epoch(h.time)
    truth: set[str] = set()
    with store.read() as c:
        row = c.exec_driver_sql("SELECT a.time, a.detail FROM alarms a JOIN tickets t ON t.alarm_id = a.id "
                                "WHERE t.id = ?", (ticket_id,)).first()
    if row is not None:
        first["alarm"] = min(_epoch(row[0]), first.get("alarm", _epoch(row[0])))
        truth = set((json.loads(row[1] or "{}") or {}).get("drill_truth_pipes") or [])
    if not truth and "alarm" in first:
        from anran_desktop.drills.record import drill_truth_before

        truth = drill_truth_before(store, first["alarm"])
    marks = [(name, first[s]) for name, s in zip(STEPS, STATUSES, strict=True) if s in first]
    if len(marks) < 2:
        raise ValueError(f"演练工单 {ticket_id} 只有 {len(marks)} 个步骤记录，无法计时")
    timer = StepTimer()
    timer.steps = [(n, a, b) for (n, a), (_n, b) in zip(marks, marks[1:], strict=False)]
    timer.steps.append((marks[-1][0], marks[-1][1], None))
    net = load_network_from_store(store)
    iv = d.suspect_interval or {}
    sop = sop_for(d.card.kind)
    total = sum(len(v) for v in sop.checklist.values()) if sop else 0
    done = sum(TicketEvidenceService(store, lambda _a: "admin", evidence_root).checklist(ticket_id).values())
    t_end = marks[-1][1] + 1
    p = participation_from_store(store, marks[0][1] - 60, t_end)
    score = score_drill(timer, truth_pipes=truth, interval_pipes=list(iv.get("pipes", [])),
                        interval_length_m=float(iv.get("length_m", 0.0)), network_length_m=net.total_length_m,
                        checklist_done=int(done), checklist_total=total, notified=p.reach, acknowledged=p.acks,
                        invited=p.drill_reach, checked_in=p.drill_checkins)
    notes = [] if truth else ["注：本次演练未记录模拟泄漏的真实位置，准确度未评分（记为 0）。"]
    area = net.areas[d.card.area].name if d.card.area in net.areas else (d.card.area or "—")
    pipes = "、".join(iv.get("pipes", [])) or "—"
    return DrillReportData(
        site=str(net.site.get("name", "")), scenario=d.card.title, area=area,
        steps=[(n, a, b) for n, a, b in timer.steps if b is not None], scores=score.as_radar(),
        interval=f"{pipes}（{float(iv.get('length_m', 0.0)):.0f} m）", notified=p.reach, acknowledged=p.acks,
        invited=p.drill_reach, checked_in=p.drill_checkins, notes=notes)
