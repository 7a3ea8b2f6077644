"""Residents' participation and alarm figures for weekly/monthly reports, read from the desktop store.

Sources (all written by the sync service and the alarm service, see ``services/sync_service.py``):

* ``outbox`` rows of kind ``notification`` / ``drill.invitation`` — notices the desktop sent (by creation time);
* the resident registry (``services/resident_registry.py``): households with an issued code (已发码, ``outbox``
  ``household.code``) and households registered on the relay (已注册, pulled ``registration`` items) in the notice's
  area when it was sent — the reach of a notice is the registered count;
* ``inbox`` rows (pulled resident items, by the resident's ``created_at``) — ``alarm_ack`` (matched to the notice by
  ``notification_event_id``; an acknowledged drill invitation is a drill check-in), ``odor_report`` (valid = with a photo or a meter reading), ``help_call``,
  ``safety_check`` (its ``score``); ``points`` carried in an item's payload (the relay awards them, e.g. an odor
  report) — summed per area and per household (by household number only, no personal data);
* ``alarms`` — alarm counts, false alarms (cleared without a ticket) and localization time (the engine's estimated
  leak onset → the alarm with its interval).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import dataclass, field

from anran_desktop.services.resident_registry import epoch as _epoch
from anran_desktop.services.resident_registry import load_registry
from sync.protocol import REGISTRATION, UNREGISTRATION


@dataclass(frozen=True)
class Participation:
    notices_sent: int = 0
    notices_delivered: int = 0  # reached the relay
    reach: int = 0  # sum over notices of the households registered on the relay in the area when it was sent
    issued: int = 0  # the same with households holding an issued registration code (已发码)
    acks: int = 0  # distinct (notice, household) acknowledgements of this period's notices
    drill_invitations: int = 0
    drill_reach: int = 0  # households registered in the invited areas when invited
    drill_issued: int = 0  # households with an issued code in the invited areas
    drill_checkins: int = 0  # distinct (invitation, household) check-ins pulled back
    odor_reports: int = 0
    valid_odor_reports: int = 0  # with a photo or a meter reading
    help_calls: int = 0
    meter_readings: int = 0
    safety_checks: int = 0
    safety_score_mean: float | None = None
    households_active: int = 0  # distinct households that sent anything
    points_total: int = 0  # points the relay awarded for this period's items
    points_by_area: dict[str, int] = field(default_factory=dict)
    top_households: list[tuple[str, int]] = field(default_factory=list)  # (household number, points), best first

    @property
    def ack_rate(self) -> float | None:
        return self.acks / self.reach if self.reach else None


@dataclass(frozen=True)
class AlarmFigures:
    total: int = 0
    drills: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    false_alarms: int = 0  # cleared without a ticket
    open_alarms: int = 0
    localization_min: list[float] = field(default_factory=list)  # estimated onset → alarm, minutes
    #: false alarms by the cause the dispatcher gave when dismissing them (services/false_alarm.py);
    #: "" for those cleared without one
    false_by_cause: dict[str, int] = field(default_factory=dict)

    @property
    def false_rate(self) -> float | None:
        decided = self.total - self.open_alarms
        return self.false_alarms / decided if decided > 0 else None


def _in(iso: str | None, lo: float, hi: float) -> bool:
    if not iso:
        return False
    try:
        return lo <= _epoch(iso) < hi
    except ValueError:
        return False


TOP_HOUSEHOLDS = 5


def participation_from_store(store, start: float, end: float) -> Participation:  # noqa: ANN001
    """Residents' participation in [start, end) (UTC epoch seconds)."""
    with store.read() as c:
        out_rows = c.exec_driver_sql("SELECT event_id, kind, payload, created_at, status FROM outbox "
                                     "WHERE kind IN ('notification', 'drill.invitation')").all()
        in_rows = c.exec_driver_sql("SELECT kind, payload FROM inbox").all()
        reg = load_registry(c)
    notices: dict[str, tuple[str, float]] = {}  # event id -> (area, sent)
    invitations: dict[str, tuple[str, float]] = {}
    delivered = 0
    for eid, kind, payload, created, status in out_rows:
        if not _in(created, start, end):
            continue
        area = str(json.loads(payload).get("area", ""))
        if kind == "drill.invitation":
            invitations[eid] = (area, _epoch(created))
        else:
            notices[eid] = (area, _epoch(created))
            delivered += status == "delivered"
    acks: set[tuple[str, str]] = set()
    checkins: set[tuple[str, str]] = set()
    kinds: Counter[str] = Counter()
    valid, scores, active = 0, [], set()
    by_area: Counter[str] = Counter()
    by_household: Counter[str] = Counter()
    for kind, payload in in_rows:
        item = json.loads(payload)
        p = item.get("payload") or {}
        if kind == "alarm_ack":
            ref = p.get("notification_event_id")
            if ref in notices:
                acks.add((ref, item.get("household_id", "")))
            elif ref in invitations:
                checkins.add((ref, item.get("household_id", "")))
            continue
        # the relay's bookkeeping of accounts (registered, closed) is not a household taking part
        if kind in (REGISTRATION, UNREGISTRATION) or not _in(item.get("created_at"), start, end):
            continue
        kinds[kind] += 1
        active.add(item.get("household_id", ""))
        if kind == "odor_report" and (p.get("photos") or p.get("meter_reading")):
            valid += 1
        if kind == "safety_check" and isinstance(p.get("score"), int | float):
            scores.append(float(p["score"]))
        pts = p.get("points")
        if isinstance(pts, int) and not isinstance(pts, bool) and pts > 0:
            by_area[str(item.get("area", ""))] += pts
            by_household[str(item.get("household_id", ""))] += pts
    top = sorted(by_household.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_HOUSEHOLDS]
    return Participation(
        notices_sent=len(notices), notices_delivered=delivered,
        reach=sum(reg.registered_count(a, t) for a, t in notices.values()),
        issued=sum(reg.issued_count(a, t) for a, t in notices.values()), acks=len(acks),
        drill_invitations=len(invitations), drill_reach=sum(reg.registered_count(a, t) for a, t in invitations.values()),
        drill_issued=sum(reg.issued_count(a, t) for a, t in invitations.values()),
        drill_checkins=len(checkins), odor_reports=kinds["odor_report"], valid_odor_reports=valid,
        help_calls=kinds["help_call"], meter_readings=kinds["meter_reading"], safety_checks=kinds["safety_check"],
        safety_score_mean=sum(scores) / len(scores) if scores else None, households_active=len(active),
        points_total=sum(by_area.values()), points_by_area=dict(sorted(by_area.items())), top_households=top)


def alarms_from_store(store, start: float, end: float) -> AlarmFigures:  # noqa: ANN001
    """Alarm counts, false alarms and localization times of the alarms raised in [start, end)."""
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT a.time, a.kind, a.state, a.detail, a.is_drill, "
                                 "a.ticket_id IS NOT NULL OR EXISTS (SELECT 1 FROM tickets t WHERE t.alarm_id = a.id) "
                                 "FROM alarms a").all()
    kinds: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    total = drills = false = open_ = 0
    loc: list[float] = []
    for time, kind, state, detail, is_drill, has_ticket in rows:
        if not _in(time, start, end):
            continue
        if is_drill:
            drills += 1
            continue
        total += 1
        kinds[kind] += 1
        info = json.loads(detail or "{}") or {}
        if state == "cleared" and not has_ticket:
            false += 1
            dismissal = info.get("dismissal")
            causes[str(dismissal.get("cause", "")) if isinstance(dismissal, dict) else ""] += 1
        elif state in ("active", "acked") and not has_ticket:
            open_ += 1
        onset = info.get("onset")
        if onset:
            with contextlib.suppress(TypeError, ValueError):
                loc.append(max(0.0, (_epoch(time) - _epoch(onset)) / 60.0))
    return AlarmFigures(total, drills, dict(kinds), false, open_, loc, dict(causes))
