"""Meter readings (dial gauges, registers) from the desktop, residents or cameras, with evidence images.

A hand correction never overwrites the reading: ``value`` stays as read, ``corrected_value`` /
``corrected_by`` / ``corrected_at`` sit beside it and :attr:`MeterReading.effective` gives the one to use.
Evidence images (already privacy-masked by the caller) are written as PNG files under the evidence folder
(``anran_desktop.paths.evidence_dir()`` unless another root is given) in ``YYYYMMDD/`` sub-folders; the
row stores the path *relative* to that folder, so a moved data folder keeps working.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from anran_desktop.store import Store, utc_now
from anran_desktop.store.audit import append_audit

TARGET_KINDS = ("node", "meter", "ticket")
READING_KINDS = ("dial", "register")
SOURCES = ("desktop", "resident", "camera")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ReadingError(ValueError):
    """A reading that cannot be stored as given; the message says which field is wrong."""


@dataclass(frozen=True)
class MeterReading:
    """One stored reading; ``evidence`` is an absolute path (or None)."""

    id: int
    time: str
    target_kind: str
    target_id: str
    kind: str
    value: float | None
    unit: str
    confidence: float | None
    quality: float | None
    needs_review: bool
    rolling: bool
    corrected_value: float | None
    corrected_by: str | None
    corrected_at: str | None
    source: str
    evidence: Path | None
    detail: dict[str, Any]

    @property
    def effective(self) -> float | None:
        """The corrected value if someone corrected it, else the value as read."""
        return self.corrected_value if self.corrected_value is not None else self.value


class MeterReadingService:
    """Record, correct and list meter readings; every write is audited in the same transaction."""

    def __init__(self, store: Store, evidence_root: Path | None = None) -> None:
        self.store = store
        self._root = evidence_root

    @property
    def evidence_root(self) -> Path:
        if self._root is None:
            from anran_desktop.paths import evidence_dir

            self._root = evidence_dir()
        return self._root

    def record(self, *, target_kind: str, target_id: str, kind: str, value: float | None, unit: str,
               source: str, actor: str, confidence: float | None = None, quality: float | None = None,
               needs_review: bool = False, rolling: bool = False, evidence_png: bytes | None = None,
               time: str | None = None, detail: dict[str, Any] | None = None) -> MeterReading:
        """Store a reading (``value`` None = unreadable, kept for review) and its evidence PNG."""
        if target_kind not in TARGET_KINDS:
            raise ReadingError(f"target_kind '{target_kind}' is not one of {', '.join(TARGET_KINDS)}")
        if not target_id.strip():
            raise ReadingError("target_id is empty")
        if kind not in READING_KINDS:
            raise ReadingError(f"kind '{kind}' is not one of {', '.join(READING_KINDS)}")
        if source not in SOURCES:
            raise ReadingError(f"source '{source}' is not one of {', '.join(SOURCES)}")
        if confidence is not None and not 0.0 <= confidence <= 1.0:
            raise ReadingError(f"confidence {confidence} is outside 0…1")
        if evidence_png is not None and not evidence_png.startswith(PNG_MAGIC):
            raise ReadingError("evidence_png is not a PNG image")
        now = time or utc_now()
        rel = None
        if evidence_png is not None:
            rel = f"{now[:10].replace('-', '')}/{uuid.uuid4().hex}.png"
            target = self.evidence_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(evidence_png)
        t = self.store.t.meter_readings
        try:
            with self.store.begin() as c:
                res = c.execute(t.insert().values(
                    time=now, target_kind=target_kind, target_id=target_id, kind=kind, value=value, unit=unit,
                    confidence=confidence, quality=quality, needs_review=int(needs_review or value is None),
                    rolling=int(rolling), source=source, evidence_path=rel,
                    detail=json.dumps(detail or {}, ensure_ascii=False)))
                rid = int(res.inserted_primary_key[0])
                append_audit(self.store, c, actor=actor, action="reading.record", entity="meter_reading",
                             entity_id=str(rid), detail={"target": f"{target_kind}:{target_id}", "value": value,
                                                         "unit": unit, "source": source}, time=now)
        except Exception:
            if rel is not None:  # no orphan image for a reading that was not stored
                (self.evidence_root / rel).unlink(missing_ok=True)
            raise
        return self.get(rid)

    def correct(self, reading_id: int, value: float, actor: str) -> MeterReading:
        """Record a hand correction beside the original value; clears ``needs_review``."""
        t = self.store.t.meter_readings
        with self.store.begin() as c:
            row = c.execute(select(t.c.value, t.c.corrected_value).where(t.c.id == reading_id)).first()
            if row is None:
                raise KeyError(f"meter reading {reading_id} does not exist")
            now = utc_now()
            c.execute(t.update().where(t.c.id == reading_id).values(
                corrected_value=value, corrected_by=actor, corrected_at=now, needs_review=0))
            append_audit(self.store, c, actor=actor, action="reading.correct", entity="meter_reading",
                         entity_id=str(reading_id),
                         detail={"read": row.value, "previous_correction": row.corrected_value, "corrected": value},
                         time=now)
        return self.get(reading_id)

    def get(self, reading_id: int) -> MeterReading:
        t = self.store.t.meter_readings
        with self.store.read() as c:
            r = c.execute(select(t).where(t.c.id == reading_id)).first()
        if r is None:
            raise KeyError(f"meter reading {reading_id} does not exist")
        return self._view(r)

    def for_target(self, target_kind: str, target_id: str, limit: int = 100) -> list[MeterReading]:
        """Newest first."""
        t = self.store.t.meter_readings
        q = (select(t).where(t.c.target_kind == target_kind, t.c.target_id == target_id)
             .order_by(t.c.time.desc(), t.c.id.desc()).limit(limit))
        with self.store.read() as c:
            return [self._view(r) for r in c.execute(q)]

    def needing_review(self, limit: int = 100) -> list[MeterReading]:
        """Readings flagged for a person to check (low confidence, unreadable, implausible), oldest first."""
        t = self.store.t.meter_readings
        with self.store.read() as c:
            rows = c.execute(select(t).where(t.c.needs_review == 1).order_by(t.c.id).limit(limit)).fetchall()
        return [self._view(r) for r in rows]

    def _view(self, r) -> MeterReading:  # noqa: ANN001
        evidence = self.evidence_root / r.evidence_path if r.evidence_path else None
        return MeterReading(r.id, r.time, r.target_kind, r.target_id, r.kind, r.value, r.unit or "", r.confidence,
                            r.quality, bool(r.needs_review), bool(r.rolling), r.corrected_value, r.corrected_by,
                            r.corrected_at, r.source, evidence, json.loads(r.detail or "{}"))
