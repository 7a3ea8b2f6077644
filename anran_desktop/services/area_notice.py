"""Notices to the residents of chosen areas (Qt-free): 抢修、停气、恢复供气 or a dismissed alarm's all-clear.

A notice goes out like a drill invitation, through the outbound-channel interface (``workflow.channels``): the
relay adapter writes one ``notification`` outbox row per area in one transaction (the sync loop pushes it), and
every attempt — refused ones too — is written to the audit log as ``channel.send``. Residents of the area find
it in ``/c/notifications`` and acknowledge it (回执); the desktop counts the acknowledgements it pulls back. A
notice sent by mistake or out of date is withdrawn (a ``tombstone`` the relay applies: residents no longer see
it); the withdrawal is audited too.

Figures per notice: households registered on the relay in the area when it was sent (reach, from
``services/resident_registry.py``) and distinct households that acknowledged it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from anran_desktop.services.relay_sender import RelaySender
from anran_desktop.services.resident_registry import acknowledgers, epoch, load_registry
from anran_desktop.services.sync_service import enqueue
from anran_desktop.store.audit import append_audit
from anran_desktop.workflow.channels import Attempt, CallableAdapter, ChannelError, Message

ACTION = "notice.send_area"
TITLE_MAX, BODY_MAX = 60, 500

#: key → (title, body): the wording a dispatcher starts from (Chinese: what residents read); ``{area}`` is filled
TEMPLATES: dict[str, tuple[str, str]] = {
    "repair": ("燃气抢修通知", "{area}燃气管道正在抢修。请勿使用明火、勿开关电器；如闻到燃气味，请立即开窗通风、"
                           "撤离到室外，并拨打抢修电话。抢修完成后将另行通知。"),
    "outage": ("临时停气通知", "因燃气管道抢修，{area}暂停供气，恢复时间另行通知。停气期间请关闭燃气灶具和"
                           "热水器阀门。"),
    "restored": ("恢复供气通知", "{area}燃气管道抢修已完成，已恢复供气。首次使用前请先开窗通风，确认灶具、"
                             "热水器阀门已关闭后再逐一点火；如有异常请拨打抢修电话。"),
    "all_clear": ("告警解除通知", "{area}此前的燃气告警经核查无泄漏，已解除，感谢您的配合。"),
}


@dataclass(frozen=True)
class Notice:
    event_id: str
    area: str
    title: str
    body: str
    sent_at: str  # UTC ISO
    status: str  # outbox status: pending | delivered | rejected
    reach: int  # households registered in the area when sent
    acks: int  # distinct households that acknowledged it
    withdrawn: bool


def template(key: str, area: str) -> tuple[str, str]:
    """A template's title and body for ``area`` (KeyError for an unknown key)."""
    title, body = TEMPLATES[key]
    return title, body.format(area=area or "本区域")


class AreaNoticeService(RelaySender):
    """``actor`` (a user name) with ``role`` sends and withdraws notices; ``relay_configured`` False refuses
    visibly (the attempt is logged as refused)."""

    action = ACTION

    def send(self, areas: list[str], title: str, body: str, ticket_id: str = "") -> Attempt:
        """One notice per area through the relay channel; returns the logged attempt.

        Raises ``PermissionError`` for a role the matrix does not allow and ``ValueError`` (saying what) for no
        area, an empty or too long title or body — nothing is logged then: nothing was attempted."""
        if not self.allowed:
            raise PermissionError(f"角色 {self.role or '未知'} 无权向居民发送区域通知")
        areas = list(dict.fromkeys(a.strip() for a in areas if a and a.strip()))
        title, body = title.strip(), body.strip()
        if not areas:
            raise ValueError("请至少选择一个区域")
        if not title:
            raise ValueError("通知标题不能为空")
        if not body:
            raise ValueError("通知内容不能为空")
        if len(title) > TITLE_MAX:
            raise ValueError(f"通知标题过长：{len(title)} 字（最多 {TITLE_MAX} 字）")
        if len(body) > BODY_MAX:
            raise ValueError(f"通知内容过长：{len(body)} 字（最多 {BODY_MAX} 字）")

        def relay(msg: Message) -> tuple[str, ...]:
            if not self.relay_configured:
                raise ChannelError("未配置中继（中继地址与站点令牌），通知未发出")
            with self.store.begin() as c:
                for a in areas:
                    enqueue(c, "notification", {"area": a, "title": title, "body": body,
                                                **({"ticket_id": ticket_id} if ticket_id else {})})
            return tuple(msg.recipients)

        msg = Message("area_notice", title, tuple(f"area:{a}" for a in areas), ticket_id)
        return self.log.send(CallableAdapter("relay", relay), msg)

    def withdraw(self, event_id: str) -> None:
        """Withdraw a notice (residents no longer see it once the sync has pushed the tombstone). Raises
        ``PermissionError`` / ``ValueError`` (an unknown or already withdrawn notice); audited as
        ``notice.withdraw``."""
        if not self.allowed:
            raise PermissionError(f"角色 {self.role or '未知'} 无权撤回区域通知")
        with self.store.begin() as c:
            row = c.exec_driver_sql("SELECT payload FROM outbox WHERE event_id = ? AND kind = 'notification'",
                                    (event_id,)).first()
            if row is None:
                raise ValueError(f"没有这条通知：{event_id}")
            if event_id in _withdrawn(c):
                raise ValueError("这条通知已撤回")
            enqueue(c, "tombstone", {"target_kind": "notification", "target_id": event_id})
            p = json.loads(row[0])
            append_audit(self.store, c, actor=self.actor, action="notice.withdraw", entity="notification",
                         entity_id=event_id, detail={"area": p.get("area", ""), "title": p.get("title", "")})

    def notices(self, limit: int = 30) -> list[Notice]:
        """The latest notices, newest first, with their reach and acknowledgements so far."""
        with self.store.read() as c:
            rows = c.exec_driver_sql("SELECT event_id, payload, created_at, status FROM outbox "
                                     "WHERE kind='notification' ORDER BY created_at DESC, rowid DESC LIMIT ?",
                                     (limit,)).all()
            seen = acknowledgers(c, {r[0] for r in rows})
            gone = _withdrawn(c)
            reg = load_registry(c)
        out = []
        for eid, payload, created, status in rows:
            p = json.loads(payload)
            area = str(p.get("area", ""))
            out.append(Notice(eid, area, str(p.get("title", "")), str(p.get("body", "")), created, status,
                              reg.registered_count(area, epoch(created)), len(seen[eid]), eid in gone))
        return out


def _withdrawn(c) -> set[str]:  # noqa: ANN001 - a connection
    rows = c.exec_driver_sql("SELECT payload FROM outbox WHERE kind='tombstone'").all()
    out = set()
    for (payload,) in rows:
        p = json.loads(payload)
        if p.get("target_kind") == "notification":
            out.add(str(p.get("target_id")))
    return out
