"""Evidence kinds and ticket-history notes in the interface language.

The ticket history keeps its notes as the record wrote them (``gauge_reading 0.1499 MPa @N076``,
``call_crew ✓``): stable ids, in every language the same. A view words them here: the evidence kind by its
name, a checklist item by its SOP text. A note in another shape shows as it was written.
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


def history_note(action: str, note: str, checklist: Mapping[str, str] | None = None) -> str:
    """A ticket-history note worded for the reader: ``evidence`` notes name their kind, ``checklist`` notes
    their item (``checklist``: item id → its text in the current language)."""
    if action == "evidence":
        kind, sep, rest = note.partition(" ")
        if kind in EVIDENCE_TEXT:
            return evidence_text(kind) + sep + rest
    elif action == "checklist":
        item, sep, mark = note.rpartition(" ")
        if sep and mark in ("✓", "✗") and checklist and item in checklist:
            return f"{checklist[item]} {mark}"
    return note
