"""Ticket statuses, kinds and history actions in the interface language (Chinese source strings; English in
``scripts/translate_en.py``, context ``TicketBoard``). Its own module so the event feed, the board, the ticket
panel and the crew screen can all import it without importing each other."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

STATUS_TEXT = {"alarm": "告警", "dispatched": "派单", "onsite": "到场核查", "handling": "处置", "retest": "复测",
               "closed": "结案"}
KIND_TEXT = {"leak": "疑似泄漏", "odor": "异味快报", "help": "一键求助", "sensor": "传感器故障",
             "sensor_fault": "传感器故障", "drill": "演练", "maintenance": "维护"}


def status_text(status: str | None) -> str:
    """Display name of a ticket status in the current language ('—' for none)."""
    if not status:
        return "—"
    return QCoreApplication.translate("TicketBoard", STATUS_TEXT[status]) if status in STATUS_TEXT else status


ACTION_TEXT = {"create": "建立工单", "assign": "指派", "accept": "接单", "interval": "更新疑似区间",
               "evidence": "添加证据", "checklist": "勾选检查项", "move": "移动", "publish": "发布",
               "sla.warn": "时限预警", "sla.escalate": "超时升级", "relay": "中继同步", "relay_refused": "调度台拒绝"}


def action_text(action: str) -> str:
    """Display name of a ticket history action in the current language (unknown ids shown as they are).

    SLA actions carry their timer (``sla.warn.tta``): the timer id follows the translated name."""
    key = ".".join(action.split(".")[:2]) if action.startswith("sla.") else action
    if key not in ACTION_TEXT:
        return action
    text = QCoreApplication.translate("TicketBoard", ACTION_TEXT[key])
    return f"{text} {action[len(key) + 1:]}".rstrip() if key != action else text


def kind_text(kind: str) -> str:
    """Display name of a ticket kind in the current language."""
    return QCoreApplication.translate("TicketBoard", KIND_TEXT[kind]) if kind in KIND_TEXT else kind
