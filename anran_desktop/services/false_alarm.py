"""A false alarm, dismissed by the dispatcher with its cause (Qt-free).

An alarm that needs no crew — a boiler house without its own meter switching on, a gauge being calibrated,
works on a regulator — is cleared without a ticket. The dispatcher says why (one of :data:`CAUSES`, with a
note; "other" needs one). The alarm keeps the record (``detail["dismissal"]``: cause, note, who, when; the
audit log has it too), an event card says it in the feed, the leak watch does not raise the same detection
again (``LeakWatch`` keeps to a dismissed alarm while it lasts), and the weekly and monthly reports count the
false alarms by cause. An alarm with a ticket is the ticket's: it closes through the loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from anran_desktop.services.events import AlarmService, AlarmView
from anran_desktop.services.users import role_of_user
from anran_desktop.store import utc_now
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.permissions import can

#: cause key → its words (Chinese, the record's language; the desktop words them in the interface language)
CAUSES: dict[str, str] = {
    "consumer": "大用户用气变化（锅炉房、食堂等开停）",
    "sensor": "测点故障或校准",
    "works": "施工、调压或检修作业",
    "checked": "复核无泄漏（现场或远程）",
    "other": "其他",
}
NOTE_MAX = 500


class DismissError(ValueError):
    """The alarm cannot be dismissed; the message says why."""


@dataclass(frozen=True)
class Dismissal:
    cause: str
    note: str
    by: str
    at: str  # UTC ISO 8601

    @property
    def cause_text(self) -> str:
        return CAUSES.get(self.cause, self.cause)


def dismissal_of(alarm: AlarmView) -> Dismissal | None:
    """The dismissal stored with an alarm, if it was dismissed as a false alarm."""
    d = (alarm.detail or {}).get("dismissal")
    if not isinstance(d, dict):
        return None
    return Dismissal(str(d.get("cause", "")), str(d.get("note", "")), str(d.get("by", "")), str(d.get("at", "")))


def dismiss_alarm(alarms: AlarmService, alarm_id: str, actor: str, cause: str, note: str = "") -> AlarmView:
    """Clear ``alarm_id`` as a false alarm of ``cause`` (a key of :data:`CAUSES`) with ``note``; audited, and an
    ``alarm_dismissed`` event card. Refused (:class:`DismissError`, nothing changed) for an unknown cause,
    "other" without a note, a user who may not (``alarm.dismiss``), an alarm that does not exist, has a ticket
    or is already cleared."""
    note = (note or "").strip()
    if cause not in CAUSES:
        raise DismissError(f"未知的误报原因 '{cause}'（可选：{'、'.join(CAUSES)}）")
    if cause == "other" and not note:
        raise DismissError("原因为「其他」时请写明说明")
    if len(note) > NOTE_MAX:
        raise DismissError(f"说明过长：{len(note)} 字（最多 {NOTE_MAX} 字）")
    role = role_of_user(alarms.store, actor)
    if not can(role, "alarm.dismiss"):
        raise DismissError(f"用户 {actor}（角色 {role or '未知'}）无权解除告警")
    store = alarms.store
    t, tk = store.t.alarms, store.t.tickets
    now = utc_now()
    with store.begin() as c:
        r = c.execute(select(t).where(t.c.id == alarm_id)).first()
        if r is None:
            raise DismissError(f"告警 {alarm_id} 不存在")
        ticket = r.ticket_id or c.execute(select(tk.c.id).where(tk.c.alarm_id == alarm_id)).scalar()
        if ticket:
            raise DismissError(f"告警 {alarm_id} 已转工单 {ticket}，请在工单中处理并结案")
        if r.state == "cleared":
            raise DismissError(f"告警 {alarm_id} 已解除")
        detail = json.loads(r.detail or "{}")
        detail["dismissal"] = {"cause": cause, "note": note, "by": actor, "at": now}
        c.execute(t.update().where(t.c.id == alarm_id).values(
            state="cleared", cleared_at=now, detail=json.dumps(detail, ensure_ascii=False)))
        append_audit(store, c, actor=actor, action="alarm.dismiss", entity="alarm", entity_id=alarm_id,
                     detail={"cause": cause, "note": note}, time=now)
        is_drill = bool(r.is_drill)
    text = CAUSES[cause] + (f"：{note}" if note else "")
    alarms.events.add(kind="alarm_dismissed", severity="info", title=f"告警 {alarm_id} 已解除（误报：{text}）",
                      detail={"alarm": alarm_id, "cause": cause, "note": note, "by": actor}, time=now,
                      alarm_id=alarm_id, is_drill=is_drill)
    return alarms.get(alarm_id)
