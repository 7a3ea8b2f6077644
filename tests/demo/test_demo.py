import json
import re
import subprocess

import pytest

from anran_desktop.cli import main

ENDED_WITH: set[str] = set()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    ENDED_WITH.update(p.name for p in out.iterdir())  # as the demo left it, before tests open its databases
    steps = json.loads((out / "timeline.json").read_text(encoding="utf-8"))["steps"]
    pdfs = list(out.glob("结案报告_*.pdf"))
    assert len(pdfs) == 1
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    return out, steps, text


def _step(steps, word):
    return next(s for s in steps if word in s["action"])


def test_notice_reaches_nanqu_residents_and_nobody_else(demo):
    from anran_desktop.drills.appendix_a import _register_residents
    from anran_desktop.resources import demo_site_path
    from engine import load_network

    _, steps, _ = demo
    net = load_network(demo_site_path())
    residents = _register_residents(net)
    south = {r.id for r in residents if net.areas[r.area].name == "南区"}
    assert len({r.area for r in residents}) >= 4 and len(residents) > len(south) > 0
    notice = _step(steps, "区域通知")
    assert set(notice["notified"]) == south
    assert notice["acknowledged"] == 2  # acknowledgements came back through the relay and were counted


def test_resident_report_raises_confidence_and_valve_test_narrows_interval(demo):
    _, steps, _ = demo
    alarm, report, valve = _step(steps, "告警"), _step(steps, "异味报告"), _step(steps, "关阀测试")
    # The demo states the site's calibrated confidence (as the app does). The resident's report never makes
    # the engine less sure of the interval the crew was sent to, nor its interval longer; here the engine is
    # already sure (the interval holds ≈ 0.99), and the valve test narrows it.
    assert alarm["confidence"] > 0.9
    assert report["dispatched_interval_confidence"] >= alarm["confidence"] - 1e-9
    assert report["interval_length_m"] <= alarm["interval_length_m"]
    assert valve["interval_length_m"] < report["interval_length_m"] and valve["confidence"] >= alarm["confidence"]
    assert report["meter_value"] is not None and report["pulled_event"]  # read by the relay, pulled to the desktop
    assert [s["time"] for s in steps] == sorted(s["time"] for s in steps)
    assert steps[-1]["action"].endswith("结案")


def test_pdf_has_site_interval_and_timeline_in_chinese(demo):
    _, steps, text = demo
    valve = _step(steps, "关阀测试")
    flat = text.replace("\n", "")
    assert "星海花园" in text and "燃气事件结案报告" in text
    assert "、".join(valve["interval_pipes"]) in flat
    for word in ("告警", "发布南区区域通知", "派单给抢修员 01", "居民异味报告", "到场核查", "复测正常，结案"):
        assert word in flat, word
    assert "1234.56 m³" in flat and " m3" not in flat  # units as printed, whatever the relay wrote


def test_closing_without_retest_reading_is_refused_by_the_service(tmp_path):
    from anran_desktop.services.tickets import TicketService, WorkflowError
    from anran_desktop.store import open_store
    from anran_desktop.workflow.service_guard import make_guard
    from anran_desktop.workflow.sop import load_sop

    store = open_store(tmp_path / "t.db")
    svc = TicketService(store)
    done = {c.id for items in load_sop("leak").checklist.values() for c in items}
    from anran_desktop.workflow.rules import Evidence

    ev = [Evidence("gauge_reading"), Evidence("photo_after")]
    svc.guards.append(make_guard(lambda a: {"d": "dispatcher", "c": "crew"}[a], lambda c, t: ev, lambda c, t: done))
    card = svc.create(title="t", kind="leak", actor="d", assignee="c")
    with pytest.raises(WorkflowError):
        svc.move(card.id, "dispatched", "c")  # crew may not dispatch
    for st, who in (("dispatched", "d"), ("onsite", "c"), ("handling", "c"), ("retest", "c")):
        svc.move(card.id, st, who)
    with pytest.raises(WorkflowError, match="复测"):
        svc.move(card.id, "closed", "d")
    assert svc.get(card.id).status == "retest"
    ev.append(Evidence("retest_reading", "retest", 148.0, "kPa"))
    assert svc.move(card.id, "closed", "d").status == "closed"


def test_demo_scores_the_run_as_a_drill_and_the_audit_chain_verifies(demo):
    out, steps, _ = demo
    text = subprocess.run(["pdftotext", str(out / "演练报告.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "应急演练报告" in text and "速度" in text and "关阀测试" in text
    from anran_desktop.store import open_store
    from anran_desktop.store.audit import verify_audit_chain

    assert verify_audit_chain(open_store(out / "demo.db"))[0]


def test_notice_attempt_is_in_the_audit_log_and_tta_is_checked(demo):
    import json as _json

    from sqlalchemy import select

    from anran_desktop.store import open_store

    out, steps, _ = demo
    store = open_store(out / "demo.db")
    t = store.t.audit_log
    with store.read() as c:
        rows = c.execute(select(t).where(t.c.action == "channel.send")).fetchall()
    assert len(rows) == 1
    detail = _json.loads(rows[0].detail)
    assert detail["ok"] and set(detail["delivered_to"]) == set(_step(steps, "区域通知")["notified"])
    dispatch = _step(steps, "派单")
    assert dispatch["tta_sla"] == ("met" if dispatch["tta_s"] <= 120 else "missed")


def test_resident_meter_photo_shows_1234_56_and_the_timeline_has_what_ocr_read(demo):
    import cv2

    from anran_desktop.drills.appendix_a import METER_M3
    from vision import read_meter

    out, steps, _ = demo
    assert METER_M3 == 1234.56
    report = _step(steps, "异味报告")
    own = read_meter(cv2.imread(str(out / "resident_meter.png")))  # the photo as the resident took it
    assert own.value == report["meter_value"] == 1234.56  # the relay's OCR read the generated 1234.56 m³


def test_close_report_embeds_the_evidence_photos_with_captions(demo):
    out, _steps, text = demo
    flat = text.replace("\n", "")
    assert "证据照片" in flat and "图 1 居民上传的燃气表照片（经中继同步）：识别 1234.56" in flat
    assert "图 2 上游压力表照片" in flat and "图 3 下游压力表照片" in flat
    # a dial read in MPa is printed with the kPa figure the canvas and the curves use: 0.1497 MPa（149.7 kPa）
    gauge = re.search(r"上游压力表照片（N\w+）：识别(\d\.\d+)MPa（(\d+\.\d)kPa）", flat.replace(" ", ""))
    assert gauge is not None and abs(float(gauge[1]) * 1000 - float(gauge[2])) <= 0.05, flat
    pdf = next(out.glob("结案报告_*.pdf"))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "图 4 处置后照片 · 修复后下游压力表" in flat
    assert len(listing.splitlines()[2:]) == 4
    # the resident's photo came back from the relay into the demo's evidence folder (never the user's data folder)
    assert len(list((out / "evidence").rglob("relay-*.jpg"))) == 1


def test_demo_ticket_went_through_the_desktop_guards_with_stored_evidence(demo):
    from anran_desktop.reports.loaders import incident_from_store
    from anran_desktop.services.ticket_evidence import TicketEvidenceService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store

    out, _steps, _ = demo
    store = open_store(out / "demo.db")
    tid = TicketService(store).board()[0].id
    ev = TicketEvidenceService(store, lambda _a: "admin", out / "evidence")
    kinds = [e.kind for e in ev.evidence(tid)]
    assert kinds == ["meter_reading", "gauge_reading", "gauge_reading", "photo_after", "retest_reading"]
    assert ev.evidence(tid)[0].value == 1234.56 and ev.evidence(tid)[0].photo.is_file()
    assert all(ev.checklist(tid).values()) and len(ev.checklist(tid)) == 8
    data = incident_from_store(store, tid, out / "evidence")  # the same report from the database
    assert len(data.photos) == 4 and all(p.path.is_file() for p in data.photos)
    assert all(row[2] == "已完成" for row in data.checklist)


def test_drill_check_in_goes_through_the_relay_and_is_counted(demo):
    import json as _json

    out, steps, _ = demo
    drill = _json.loads((out / "timeline.json").read_text(encoding="utf-8"))["drill"]
    assert set(drill["invited"]) == set(_step(steps, "区域通知")["notified"])  # 南区 only
    assert drill["checked_in"] == len(drill["invited"]) == 3
    text = subprocess.run(["pdftotext", "-layout", str(out / "演练报告.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    row = "".join(next(line for line in text.splitlines() if "演练签到邀请" in line).split())
    assert row == "演练签到邀请3人3人"  # invited, and check-ins pulled back (its label wraps onto two lines)
    assert "居民签到（经中" in text


def test_rerun_into_the_same_folder_starts_clean(demo):
    """Runs last: a second run replaces the first's files — a fresh database, so the same first ticket."""
    out, steps, _ = demo
    first_pdfs = sorted(p.name for p in out.glob("结案报告_*.pdf"))
    (out / "stale.txt").write_text("left from before", encoding="utf-8")
    assert main(["demo", "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in out.glob("结案报告_*.pdf")) == first_pdfs
    again = json.loads((out / "timeline.json").read_text(encoding="utf-8"))
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(out / "demo.db")) as c:
        assert c.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1
    assert len(again["steps"]) == len(steps)


def test_the_detection_is_an_alarm_and_the_ticket_is_made_from_it(demo):
    """As in the app: the engine's detection is an alarm in the store, the ticket is created from it (linked,
    acknowledged), and the alarm's onset lies as far before it as the engine placed it in its window."""
    import sqlite3

    from engine.simulate import parse_time

    out, steps, _ = demo
    with sqlite3.connect(out / "demo.db") as c:
        (aid, state, ticket, at, detail), = c.execute("SELECT id, state, ticket_id, time, detail FROM alarms")
        (tid, alarm_id, assignee), = c.execute("SELECT id, alarm_id, assignee FROM tickets")
    assert (state, ticket, alarm_id, assignee) == ("acked", tid, aid, "抢修员 01")
    lag_min = (parse_time(at) - parse_time(json.loads(detail)["onset"])) / 60
    assert 0 < lag_min <= 60  # within the engine's one-hour window, not the simulated clock's distance to now


def test_the_demo_folder_holds_closed_databases_only(demo):
    """Both databases are closed when the demo ends: no SQLite write-ahead files are left beside them."""
    names = ENDED_WITH
    assert {"demo.db", "relay.db"} <= names
    assert not [n for n in names if n.endswith(("-wal", "-shm"))], sorted(names)


def test_demo_alarm_is_titled_like_the_live_watch_and_worded_in_english_from_its_parts(demo, qapp, english):
    """The demo's alarm and ticket carry the title the leak watch gives a live alarm (areas, places, interval,
    confidence) and the parts an English window words it from; before, a fixed Chinese title showed in
    English too."""
    from anran_desktop.services.leak_title import stored_title
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store
    from widgets.event_feed import leak_title

    out, _steps, text = demo
    store = open_store(out / "demo.db")
    card = TicketService(store).board()[0]
    parts = card.title_parts
    assert parts["areas"] == ["南区"] and "S4" in parts["places"] and parts["calibration"] == ""
    assert card.title == stored_title(parts) and card.title.startswith("南区疑似泄漏：")
    assert card.title.split("（")[0] in text.replace("\n", "")  # the close report names the event so
    english_title = leak_title(parts)
    assert english_title.startswith("Suspected leak") and "南区" in english_title and "疑似" not in english_title
    store.close()


def test_leak_title_parts_and_the_stored_title():
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.leak_title import stored_title, title_parts
    from engine import load_network

    net = load_network(demo_site_path())
    pipes = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][:2]
    parts = title_parts(net, pipes, 109.4, 0.934, "pending")
    assert parts == {"areas": ["南区"], "places": ["S4"], "calibration": "pending", "length_m": "109",
                     "confidence": parts["confidence"]}
    assert stored_title(parts) == f"南区疑似泄漏：S4（区间 109 m，置信度 {parts['confidence']}，置信度校准中）"
    with pytest.raises(ValueError, match="calibration state"):
        title_parts(net, pipes, 109.4, 0.934, "unknown")


def test_the_printed_timeline_lines_up_in_a_terminal():
    """CJK characters take two columns: the actions start in one column whatever the actor's name."""
    from anran_desktop.demo_cli import _pad, _width

    actors = ["系统（泄漏监测）", "调度员 张敏", "抢修员 01", "居民 南区-3"]
    width = max(_width(a) for a in actors)
    assert width == 16 and _width("抢修员 01") == 9
    assert {_width(_pad(a, width)) for a in actors} == {16}
