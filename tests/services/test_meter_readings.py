"""Meter readings: validation, evidence files, corrections kept beside the original, audit."""

import pytest

from anran_desktop.services.audit import AuditService
from anran_desktop.services.meter_readings import MeterReadingService, ReadingError
from anran_desktop.store import open_store

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def svc(tmp_path):
    store = open_store(tmp_path / "m.sqlite3")
    yield MeterReadingService(store, evidence_root=tmp_path / "evidence")
    store.close()


def test_record_with_evidence_and_correct_keeps_original(svc, tmp_path):
    r = svc.record(target_kind="node", target_id="N-S3-04", kind="dial", value=182.5, unit="kPa",
                   source="desktop", actor="crew01", confidence=0.62, needs_review=True, evidence_png=PNG)
    assert r.evidence is not None and r.evidence.read_bytes() == PNG
    assert r.evidence.is_relative_to(tmp_path / "evidence") and r.needs_review
    assert [x.id for x in svc.needing_review()] == [r.id]
    c = svc.correct(r.id, 185.0, "dispatcher")
    assert (c.value, c.corrected_value, c.corrected_by, c.effective) == (182.5, 185.0, "dispatcher", 185.0)
    assert not c.needs_review and svc.needing_review() == []
    assert [x.id for x in svc.for_target("node", "N-S3-04")] == [r.id]
    trail = AuditService(svc.store).recent(entity="meter_reading", entity_id=str(r.id))
    assert [e.action for e in trail] == ["reading.correct", "reading.record"]
    assert trail[0].detail["read"] == 182.5 and AuditService(svc.store).verify().ok


def test_unreadable_reading_is_kept_for_review(svc):
    r = svc.record(target_kind="meter", target_id="H-3-0201", kind="register", value=None, unit="m3",
                   source="resident", actor="relay")
    assert r.needs_review and r.effective is None and r.evidence is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("target_kind", "pipe", "target_kind 'pipe'"),
    ("kind", "digital", "kind 'digital'"),
    ("source", "fax", "source 'fax'"),
    ("confidence", 1.5, "confidence 1.5"),
    ("evidence_png", b"GIF89a....", "not a PNG"),
])
def test_bad_readings_are_refused_with_the_field_named(svc, tmp_path, field, value, message):
    args = dict(target_kind="node", target_id="N-1", kind="dial", value=1.0, unit="kPa", source="desktop",
                actor="x")
    args[field] = value
    with pytest.raises(ReadingError, match=message):
        svc.record(**args)
    with svc.store.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM meter_readings").scalar() == 0
    assert not (tmp_path / "evidence").exists() or not any((tmp_path / "evidence").rglob("*.png"))


def test_correcting_a_missing_reading_says_so(svc):
    with pytest.raises(KeyError, match="meter reading 42 does not exist"):
        svc.correct(42, 1.0, "x")
