"""Thin loaders from the desktop store into the report dataclasses (the builders never touch the DB)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from anran_desktop.reports.charts import Series
from anran_desktop.reports.incident import IncidentReportData, TimelineEntry
from anran_desktop.reports.periodic import PeriodicReportData, TicketSummary
from anran_desktop.workflow.rules import LABELS

ACTION_LABELS = {"create": "建立工单"}


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _entry(h) -> TimelineEntry:  # noqa: ANN001
    if h.to_status and h.action != "create":
        action = LABELS.get(h.to_status, h.to_status)
    else:
        action = ACTION_LABELS.get(h.action, h.action)
    return TimelineEntry(_epoch(h.time), h.actor, action, h.note)


def incident_from_store(store, ticket_id: str) -> IncidentReportData:  # noqa: ANN001
    """The close report's data for ``ticket_id``: ticket, history, stored network, pressure around the onset."""
    from anran_desktop.services.bootstrap import load_network_from_store
    from anran_desktop.services.telemetry import TelemetryService
    from anran_desktop.services.tickets import TicketService

    d = TicketService(store).detail(ticket_id)
    net = load_network_from_store(store)
    tl = [_entry(h) for h in d.history]
    iv = d.suspect_interval or {}
    t_start = tl[0].time if tl else 0.0
    curves = []
    tel = TelemetryService(store)
    for s in [s for s in net.sensors.values() if s.quantity == "pressure_kpa"][:4]:
        t, v = tel.series(s.id, t_start - 3600, t_start + 1800)
        if len(t):
            curves.append(Series(f"{s.id} {s.name}", [float(x) for x in t], [float(x) for x in v]))
    area = d.card.area
    area_name = net.areas[area].name if area in net.areas else (d.location.get("area") or area or "—")
    return IncidentReportData(
        site=str(net.site.get("name", "")), ticket_id=d.card.id, title=d.card.title, area=area_name, kind=d.card.kind,
        assignee=d.card.assignee or "—", interval_pipes=list(iv.get("pipes", [])),
        interval_length_m=float(iv.get("length_m", 0.0)), confidence=float(iv.get("confidence", 0.0)),
        leak_m3h=iv.get("leak_m3h"), onset=None, timeline=tl,
        pipes={p.id: list(p.coords) for p in net.pipes.values()}, curves=curves, is_drill=d.card.is_drill)


def periodic_from_store(store, start: dt.datetime, end: dt.datetime, title: str) -> PeriodicReportData:  # noqa: ANN001
    """Weekly/monthly figures from the tickets created in [start, end)."""
    from anran_desktop.services.bootstrap import load_network_from_store
    from anran_desktop.services.tickets import TicketService

    svc = TicketService(store)
    lo, hi = start.astimezone(dt.UTC).isoformat(), end.astimezone(dt.UTC).isoformat()
    rows = []
    for card in svc.board():
        if not (lo <= card.created_at.replace("Z", "+00:00") < hi):
            continue
        hist = svc.detail(card.id).history
        first = {}
        for h in hist:
            if h.to_status and h.to_status not in first:
                first[h.to_status] = _epoch(h.time)
        rows.append(TicketSummary(card.id, card.kind, card.status, card.is_drill, first.get("alarm"),
                                  first.get("dispatched"), first.get("onsite"), first.get("closed")))
    try:
        site = str(load_network_from_store(store).site.get("name", ""))
    except Exception:  # noqa: BLE001 - a store without a network still has tickets to report
        site = ""
    return PeriodicReportData(site=site, title=title, start=start.timestamp(), end=end.timestamp(), tickets=rows,
                              by_kind=dict(Counter(r.kind for r in rows)))
