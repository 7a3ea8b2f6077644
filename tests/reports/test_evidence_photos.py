"""Evidence photos in the close report: embedded from the builder's data and from what the store holds."""

import subprocess

import cv2
import numpy as np

from anran_desktop.reports.incident import EvidencePhoto, build_incident_report
from tests.reports.test_incident_report import _data


def _text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _png(path, w=800, h=500, colour=(40, 120, 200)):
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = colour
    cv2.putText(img, "0.22 MPa", (40, h // 2), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 3)
    cv2.imwrite(str(path), img)
    return path


def _images(pdf):
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_photos_are_embedded_with_captions_and_fit_the_page(tmp_path):
    photos = [EvidencePhoto(_png(tmp_path / "up.png"), "上游压力表照片（N076）：识别 0.220 MPa"),
              EvidencePhoto(_png(tmp_path / "tall.png", 300, 2400), "处置后照片：接头已更换")]
    pdf = build_incident_report(_data(photos=photos), tmp_path / "r.pdf")
    flat = _text(pdf).replace("\n", "")
    assert "证据照片" in flat
    assert "图 1 上游压力表照片（N076）：识别 0.220 MPa" in flat and "图 2 处置后照片：接头已更换" in flat
    imgs = _images(pdf)
    assert sorted((int(r[3]), int(r[4])) for r in imgs) == [(300, 2400), (800, 500)]  # both embedded, full pixels
    # the 2400-px tall photo is scaled to the column: its on-page size (pdfimages' x-ppi) is far above 72 dpi
    tall = next(r for r in imgs if r[4] == "2400")
    assert float(tall[12]) > 500


def test_a_missing_photo_file_is_named_not_dropped(tmp_path):
    pdf = build_incident_report(_data(photos=[EvidencePhoto(tmp_path / "gone.png", "居民燃气表照片")]),
                                tmp_path / "r.pdf")
    flat = _text(pdf).replace("\n", "")
    assert "照片无法读取：gone.png" in flat and "图 1 居民燃气表照片" in flat


def test_store_loader_embeds_reading_and_workflow_photos(tmp_path):
    from anran_desktop.reports.loaders import incident_from_store
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.meter_readings import MeterReadingService
    from anran_desktop.services.ticket_evidence import TicketEvidenceService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store
    from anran_desktop.store.network_import import import_network

    store = open_store(tmp_path / "a.db")
    import_network(store, demo_site_path())
    root = tmp_path / "evidence"
    card = TicketService(store).create(title="南区压力下降", kind="leak", actor="调度员", assignee="抢修员 01",
                                       suspect_interval={"pipes": ["P077"], "length_m": 72.0, "confidence": 0.9})
    png = cv2.imencode(".png", cv2.imread(str(_png(tmp_path / "g.png"))))[1].tobytes()
    MeterReadingService(store, root).record(target_kind="ticket", target_id=card.id, kind="dial", value=0.2204,
                                            unit="MPa", source="desktop", actor="抢修员 01", confidence=0.97,
                                            evidence_png=png, detail={"label": "上游压力表照片（N076）"})
    evidence = TicketEvidenceService(store, lambda _a: "crew", root)
    evidence.attach(card.id, "photo_after", "抢修员 01", note="接头已更换", photo=png)
    evidence.set_item(card.id, "call_crew", True, "抢修员 01")
    data = incident_from_store(store, card.id, root)
    assert [p.path.exists() for p in data.photos] == [True, True]
    assert [e.kind for e in data.evidence] == ["上游压力表照片（N076）", "处置后照片"]
    pdf = build_incident_report(data, tmp_path / "r.pdf")
    flat = _text(pdf).replace("\n", "")
    assert "上游压力表照片（N076）：0.2204MPa（220.4kPa）" in flat.replace(" ", "") and "处置后照片：接头已更换（抢修员 01" in flat
    assert "添加证据" in flat and "处置后照片 · 接头已更换" in flat  # evidence steps in the timeline, in Chinese
    assert "SOP 检查项" in flat and "电话确认抢修员已出发已完成抢修员01" in flat.replace(" ", "")
    assert "勾选检查项" not in flat and "未完成" in flat  # ticks are in the checklist table, not the timeline
    assert len(_images(pdf)) == 2


def test_register_generator_shows_a_given_value():
    import pytest

    from vision.synth.register import make_register

    for seed in (11, 12):
        _img, truth = make_register(seed, value=1234.56)
        assert truth.value == 1234.56 and not truth.rolling
    assert make_register(12)[1].value != 1234.56  # without a value the seed decides, as before
    with pytest.raises(ValueError, match="does not fit"):
        make_register(12, value=1234567.0)


def test_store_loader_starts_the_timeline_at_the_alarm(tmp_path):
    import datetime as dt
    import time

    from anran_desktop.reports.loaders import incident_from_store
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store
    from anran_desktop.store.network_import import import_network

    store = open_store(tmp_path / "a.db")
    import_network(store, demo_site_path())
    onset = dt.datetime.fromtimestamp(time.time() - 900, dt.UTC).isoformat()
    alarm = AlarmService(store).raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏：P077",
                                            detail={"onset": onset, "leak_m3h": 24.6})
    tickets = TicketService(store)
    card = tickets.create(title="南区疑似泄漏", kind="leak", actor="调度员", alarm_id=alarm.id)
    tickets.move(card.id, "dispatched", "调度员")
    data = incident_from_store(store, card.id)
    assert (data.timeline[0].actor, data.timeline[0].action) == ("系统（泄漏监测）", "告警")
    assert data.onset == dt.datetime.fromisoformat(onset).timestamp() and data.leak_m3h == 24.6
    flat = _text(build_incident_report(data, tmp_path / "r.pdf")).replace("\n", "")
    assert "24.6 m³/h" in flat and "南区疑似泄漏：P077" in flat
    # The leak watch moves the interval: the report names the system and the source as the desktop does.
    tickets.follow_engine(card.id, {"pipes": ["P077"], "length_m": 42.0, "confidence": 0.95})
    moved = incident_from_store(store, card.id).timeline[-1]
    assert (moved.actor, moved.action, moved.detail) == ("系统（泄漏监测）", "更新疑似区间", "引擎定位: — → 42 m · 0.95")
