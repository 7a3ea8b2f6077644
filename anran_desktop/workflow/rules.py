"""Transition guards of the ticket state machine: 告警 → 派单 → 到场核查 → 处置 → 复测 → 结案.

``check_transition`` is pure: it gets the ticket's state, the target status, the actor's role and the
evidence attached so far, and returns every reason the move is refused (empty list = allowed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anran_desktop.workflow.permissions import MOVE_ACTION, can
from anran_desktop.workflow.sop import load_sop

#: a ticket's statuses in the order of the emergency loop (the one list: the ticket service, the drill report
#: and the relay's crew protocol, ``sync.crew_protocol.TICKET_STATUSES``, follow it)
STATUSES = ("alarm", "dispatched", "onsite", "handling", "retest", "closed")
LABELS = {"alarm": "告警", "dispatched": "派单", "onsite": "到场核查", "handling": "处置", "retest": "复测",
          "closed": "结案"}
EVIDENCE_LABELS = {"meter_reading": "燃气表读数", "gauge_reading": "压力表读数", "retest_reading": "复测读数",
                   "photo_before": "处置前照片", "photo_after": "处置后照片", "note": "备注", "valve_test": "关阀测试",
                   "resident_report": "居民报告"}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence on a ticket: kind is ``meter_reading``, ``photo_before``, ``photo_after``,
    ``gauge_reading``, ``retest_reading``, ``note`` or ``valve_test``; ``stage`` is the status it was taken in."""

    kind: str
    stage: str = ""
    value: float | None = None
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class TicketState:
    id: str
    status: str
    kind: str = "leak"
    assignee: str = ""
    is_drill: bool = False
    checklist_done: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    #: the message's variable parts, for a client that words it in another language (status ids, kinds, …)
    params: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.message


def check_transition(ticket: TicketState, to_status: str, actor_role: str,
                     evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> list[Violation]:
    """Every reason why ``ticket`` may not move to ``to_status`` by a user of ``actor_role``."""
    out: list[Violation] = []
    if to_status not in STATUSES:
        return [Violation("status.unknown", f"未知状态 {to_status!r}（可用：{', '.join(STATUSES)}）")]
    if ticket.status not in STATUSES:
        return [Violation("status.unknown", f"工单 {ticket.id} 的当前状态 {ticket.status!r} 无效")]
    i, j = STATUSES.index(ticket.status), STATUSES.index(to_status)
    if j == i - 1 and ticket.status != "closed":  # one step back to correct a mistake
        return [] if actor_role in ("dispatcher", "admin") else [
            Violation("permission", f"角色 {actor_role} 不能把工单退回「{LABELS[to_status]}」",
                      {"role": actor_role, "to": to_status, "back": True})]
    if j != i + 1:
        out.append(Violation("order", f"工单 {ticket.id} 不能从「{LABELS[ticket.status]}」直接到「{LABELS[to_status]}」"
                                      f"（下一步只能是「{LABELS[STATUSES[i + 1]] if i + 1 < len(STATUSES) else '无'}」）",
                             {"from": ticket.status, "to": to_status,
                              "next": STATUSES[i + 1] if i + 1 < len(STATUSES) else ""}))
        return out
    action = MOVE_ACTION[to_status]
    if not can(actor_role, action):
        out.append(Violation("permission", f"角色 {actor_role} 无权执行 {action}", {"role": actor_role, "action": action}))
    kinds = {e.kind for e in evidence}
    if to_status == "dispatched" and not ticket.assignee:
        out.append(Violation("assignee", "派单前须指定抢修人员"))
    sop = load_sop(ticket.kind)
    stage_required = sop.required_evidence.get(ticket.status, ())
    missing = [k for k in stage_required if k not in kinds]
    if missing:
        out.append(Violation("evidence", f"离开「{LABELS[ticket.status]}」前缺少证据：{'、'.join(EVIDENCE_LABELS.get(k, k) for k in missing)}",
                             {"stage": ticket.status, "missing": list(missing)}))
    open_items = [c.text for c in sop.checklist.get(ticket.status, ()) if c.required and c.id not in ticket.checklist_done]
    if open_items:
        out.append(Violation("checklist", f"「{LABELS[ticket.status]}」的必做检查项未完成：{'、'.join(open_items)}",
                             {"stage": ticket.status, "items": open_items}))
    if to_status == "closed" and "retest_reading" not in kinds:
        out.append(Violation("retest", "结案前须附复测读数"))
    return out
