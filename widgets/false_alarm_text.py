"""The causes of a dismissed false alarm in the interface language (the record keeps the Chinese words of
``anran_desktop.services.false_alarm.CAUSES``; a test keeps the two lists the same)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: cause key → its words, as stored (translated when shown)
CAUSE_WORDS: dict[str, str] = {
    "consumer": QT_TRANSLATE_NOOP("FalseAlarm", "大用户用气变化（锅炉房、食堂等开停）"),
    "sensor": QT_TRANSLATE_NOOP("FalseAlarm", "测点故障或校准"),
    "works": QT_TRANSLATE_NOOP("FalseAlarm", "施工、调压或检修作业"),
    "checked": QT_TRANSLATE_NOOP("FalseAlarm", "复核无泄漏（现场或远程）"),
    "other": QT_TRANSLATE_NOOP("FalseAlarm", "其他"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("FalseAlarm", text)


def cause_text(cause: str) -> str:
    """A cause key in the interface language (an unknown key as it is)."""
    return _tr(CAUSE_WORDS[cause]) if cause in CAUSE_WORDS else cause


def dismissed_title(detail: dict) -> str | None:
    """告警 AL-… 已解除（误报：cause：note） of an ``alarm_dismissed`` card, from its detail."""
    alarm, cause = detail.get("alarm"), detail.get("cause")
    if not alarm or not cause:
        return None
    note = str(detail.get("note") or "")
    text = cause_text(str(cause)) + (_tr("：") + note if note else "")
    return _tr("告警 {alarm} 已解除（误报：{cause}）").format(alarm=alarm, cause=text)
