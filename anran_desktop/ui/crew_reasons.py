"""A refusal from the dispatch desktop, worded in the crew laptop's language from its stable codes
(``services/crew_refusals.py`` makes them; Chinese source strings, English in ``scripts/translate_en.py``).
A code this version does not know, or a record without codes (older dispatch desktops), shows the
dispatch desktop's own text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from widgets.evidence_text import evidence_text
from widgets.ticket_text import status_text


def _tr(text: str) -> str:  # for texts marked with QT_TRANSLATE_NOOP
    return QCoreApplication.translate("CrewReasons", text)


def sop_text(text: str) -> str:
    """An SOP text (checklist item, title; ``resources/sop/*.json``) in the interface language. The SOP files
    are Chinese data a site may edit: a text without a translation shows as written."""
    return QCoreApplication.translate("SOP", text)


def _sep() -> str:
    return QCoreApplication.translate("CrewReasons", "、")


def _one(code: str, p: dict) -> str | None:
    st = (lambda k: status_text(str(p.get(k) or "")))  # noqa: E731
    if code == "reassigned":
        return QCoreApplication.translate("CrewReasons", "工单 {ticket} 已改派给 {assignee}，此记录不再适用").format(
            ticket=p.get("ticket", ""), assignee=p.get("assignee") or QCoreApplication.translate("CrewReasons", "无人"))
    if code == "order":
        return QCoreApplication.translate("CrewReasons", "不能从「{a}」直接到「{b}」（下一步只能是「{c}」）").format(a=st("from"), b=st("to"), c=st("next"))
    if code == "permission" and p.get("back"):
        return QCoreApplication.translate("CrewReasons", "角色 {role} 不能把工单退回「{to}」").format(role=p.get("role", ""), to=st("to"))
    if code == "permission":
        return QCoreApplication.translate("CrewReasons", "角色 {role} 无权执行 {action}").format(role=p.get("role", ""), action=p.get("action", ""))
    if code == "evidence":
        missing = _sep().join(evidence_text(k) for k in p.get("missing") or [])
        return QCoreApplication.translate("CrewReasons", "离开「{stage}」前缺少证据：{items}").format(stage=st("stage"), items=missing)
    if code == "checklist":
        return QCoreApplication.translate("CrewReasons", "「{stage}」的必做检查项未完成：{items}").format(stage=st("stage"),
                                                             items=_sep().join(sop_text(str(x)) for x in p.get("items") or []))
    if code == "retest":
        return QCoreApplication.translate("CrewReasons", "结案前须附复测读数")
    if code == "assignee":
        return QCoreApplication.translate("CrewReasons", "派单前须指定抢修人员")
    if code == "closed":
        return QCoreApplication.translate("CrewReasons", "工单 {ticket} 已结案").format(ticket=p.get("ticket", ""))
    if code == "back_step":
        return QCoreApplication.translate("CrewReasons", "工单只能退回一步（「{a}」→「{b}」）").format(a=st("from"), b=st("to"))
    if code == "accept_status":
        return QCoreApplication.translate("CrewReasons", "只有「派单」状态的工单可以接单（现在：{status}）").format(status=st("status"))
    if code == "not_sop_item":
        return QCoreApplication.translate("CrewReasons", "「{item}」不是该工单 SOP 的检查项").format(item=p.get("item", ""))
    if code == "not_found":
        return QCoreApplication.translate("CrewReasons", "调度台没有工单 {ticket}").format(ticket=p.get("ticket", ""))
    if code == "photo_missing":
        return QCoreApplication.translate("CrewReasons", "照片文件 {path} 不存在").format(path=p.get("path", ""))
    if code == "relay_refused":
        return QCoreApplication.translate("CrewReasons", "中继拒收（{status} {code}）：{message}").format(
            status=p.get("status", ""), code=p.get("code", ""), message=p.get("message", ""))
    return None  # malformed, other, or newer than this version: the text says it


def violations_text(violations) -> str:  # noqa: ANN001 - workflow.rules.Violation
    """Why a step is refused (``check_transition``'s violations) in the current language."""
    return reason_text([{"code": v.code, "params": v.params} for v in violations], "；".join(map(str, violations)))


def reason_text(codes: tuple[dict, ...] | list[dict], fallback: str) -> str:
    """The refusal in the current language; ``fallback`` (the dispatch desktop's text) when a code is
    unknown or there are none."""
    parts = [_one(str(c.get("code") or ""), dict(c.get("params") or {})) for c in codes]
    if not parts or any(x is None for x in parts):
        return fallback
    return QCoreApplication.translate("CrewReasons", "；").join(parts)
