"""Evidence kinds and ticket-history notes in the interface language.

The ticket history keeps its notes as the record wrote them (``gauge_reading 0.1499 MPa @N076``,
``call_crew ✓``, ``valve_test: 202 m · 0.96 → 48 m · 0.91``): stable ids, in every language the same. A
view words them here: the evidence kind or interval source by its name, a checklist item by its SOP text,
the system's actor id as 系统. A note in another shape shows as it was written.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: evidence kinds as the workflow names them (Chinese source strings; English in scripts/translate_en.py)
EVIDENCE_TEXT = {
    "meter_reading": QT_TRANSLATE_NOOP("Evidence", "燃气表读数"),
    "gauge_reading": QT_TRANSLATE_NOOP("Evidence", "压力表读数"),
    "retest_reading": QT_TRANSLATE_NOOP("Evidence", "复测读数"),
    "photo_before": QT_TRANSLATE_NOOP("Evidence", "处置前照片"),
    "photo_after": QT_TRANSLATE_NOOP("Evidence", "处置后照片"),
    "note": QT_TRANSLATE_NOOP("Evidence", "备注"),
    "valve_test": QT_TRANSLATE_NOOP("Evidence", "关阀测试"),
    "resident_report": QT_TRANSLATE_NOOP("Evidence", "居民报告"),
}


def evidence_text(kind: str) -> str:
    """The evidence kind's name in the current language (an unknown kind as it is)."""
    return QCoreApplication.translate("Evidence", EVIDENCE_TEXT[kind]) if kind in EVIDENCE_TEXT else kind


#: what narrowed or moved a ticket's interval (``TicketService.update_interval`` / ``follow_engine`` sources)
INTERVAL_SOURCE_TEXT = {
    "engine": QT_TRANSLATE_NOOP("IntervalSource", "引擎定位"),
    "gauge_reading": QT_TRANSLATE_NOOP("IntervalSource", "现场压力读数"),
    "valve_test": QT_TRANSLATE_NOOP("IntervalSource", "关阀测试"),
    "resident_report": QT_TRANSLATE_NOOP("IntervalSource", "居民报告"),
    "manual": QT_TRANSLATE_NOOP("IntervalSource", "人工"),
    "dispatch": QT_TRANSLATE_NOOP("IntervalSource", "调度台"),  # a crew laptop's copy, changed by the desktop
}
#: the system's own actor name in the records (the engine's alarms and the leak watch's intervals)
SYSTEM_ACTOR = "engine"


def interval_source_text(source: str) -> str:
    """An interval source's name in the current language (an unknown one as it is)."""
    text = INTERVAL_SOURCE_TEXT.get(source)
    return QCoreApplication.translate("IntervalSource", text) if text else source


def actor_text(actor: str) -> str:
    """Who did it, as a reader names them: the system's own records say 系统 instead of its id."""
    return QCoreApplication.translate("Actor", "系统（泄漏监测）") if actor == SYSTEM_ACTOR else actor


def history_note(action: str, note: str, checklist: Mapping[str, str] | None = None) -> str:
    """A ticket-history note worded for the reader: ``evidence`` notes name their kind, ``checklist`` notes
    their item (``checklist``: item id → its text in the current language), ``interval`` notes their
    source."""
    if action == "interval":
        source, sep, rest = note.partition(":")
        if sep and source in INTERVAL_SOURCE_TEXT:
            return interval_source_text(source) + sep + rest
    elif action == "evidence":
        kind, sep, rest = note.partition(" ")
        if kind in EVIDENCE_TEXT:
            return evidence_text(kind) + sep + rest
    elif action == "checklist":
        item, sep, mark = note.rpartition(" ")
        if sep and mark in ("✓", "✗") and checklist and item in checklist:
            return f"{checklist[item]} {mark}"
    return note
