"""Invite residents of chosen areas to a drill check-in (Qt-free).

The invitation goes out through the outbound-channel interface (``workflow.channels``): the relay adapter writes
one ``drill.invitation`` outbox row per area in one transaction (the sync loop pushes it to the relay), and every
attempt — refused ones too — is written to the audit log as ``channel.send``. Residents find the invitation in
their area's notices and check in by acknowledging it; the desktop counts the check-ins it pulls back.

Figures per invitation: households with an issued code (已发码) and registered on the relay (已注册 = invited)
in the area when it was sent (``services/resident_registry.py``), and distinct households that checked in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from anran_desktop.services.relay_sender import RelaySender
from anran_desktop.services.resident_registry import acknowledgers, epoch, load_registry
from anran_desktop.services.sync_service import enqueue
from anran_desktop.store.db import utc_now
from anran_desktop.workflow.channels import Attempt, CallableAdapter, ChannelError, Message

ACTION = "drill.invite"
DEFAULT_TITLE = "燃气应急演练签到"
DEFAULT_BODY = "本次为演练，请在小程序中点击签到。"


@dataclass(frozen=True)
class Invitation:
    event_id: str
    area: str
    title: str
    sent_at: str  # UTC ISO
    status: str  # outbox status: pending | delivered | rejected
    issued: int  # households with an issued code in the area when sent
    invited: int  # households registered in the area when sent
    checked_in: int  # distinct households whose check-in was pulled back


class DrillInviteService(RelaySender):
    """``actor`` (a user name) with ``role`` sends invitations; ``relay_configured`` False refuses visibly."""

    action = ACTION

    def invite(self, areas: list[str], title: str = DEFAULT_TITLE, body: str = DEFAULT_BODY,
               ticket_id: str = "") -> Attempt:
        """Send one invitation per area through the relay channel; returns the logged attempt.

        Raises ``PermissionError`` for a role the matrix does not allow and ``ValueError`` for no area or no
        title (nothing is logged then: nothing was attempted)."""
        if not self.allowed:
            raise PermissionError(f"角色 {self.role} 无权邀请居民参加演练签到")
        areas = [a.strip() for a in areas if a and a.strip()]
        if not areas:
            raise ValueError("请至少选择一个区域")
        if not title.strip():
            raise ValueError("邀请标题不能为空")

        def relay(msg: Message) -> tuple[str, ...]:
            if not self.relay_configured:
                raise ChannelError("未配置中继（中继地址与站点令牌），邀请未发出")
            starts = utc_now()
            with self.store.begin() as c:
                for a in areas:
                    enqueue(c, "drill.invitation", {"area": a, "title": title.strip(), "body": body,
                                                    "starts_at": starts})
            return tuple(msg.recipients)

        msg = Message("drill_invite", title.strip(), tuple(f"area:{a}" for a in areas), ticket_id)
        return self.log.send(CallableAdapter("relay", relay), msg)

    def invitations(self, limit: int = 20) -> list[Invitation]:
        """The latest invitations, newest first, with their reach and check-ins so far."""
        with self.store.read() as c:
            rows = c.exec_driver_sql("SELECT event_id, payload, created_at, status FROM outbox "
                                     "WHERE kind='drill.invitation' ORDER BY created_at DESC, rowid DESC LIMIT ?",
                                     (limit,)).all()
            seen = acknowledgers(c, {r[0] for r in rows})
            reg = load_registry(c)
        out = []
        for eid, payload, created, status in rows:
            p, t = json.loads(payload), epoch(created)
            area = str(p.get("area", ""))
            out.append(Invitation(eid, area, str(p.get("title", "")), created, status,
                                  reg.issued_count(area, t), reg.registered_count(area, t), len(seen[eid])))
        return out
