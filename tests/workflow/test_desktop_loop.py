"""The desktop's loop services with the guards registered (what `anran app` runs): evidence and checklist
in the store, moves refused with the rules' reasons, alarm → pre-filled ticket, interval narrowing."""

import json
from dataclasses import replace

import pytest

from anran_desktop.services.bootstrap import ensure_demo_site
from anran_desktop.services.events import AlarmService, EventService
from anran_desktop.services.loop import LoopServices
from anran_desktop.services.tickets import TicketService, WorkflowError
from anran_desktop.store import open_store
from anran_desktop.workflow.sop import load_sop


def _png() -> bytes:
    import cv2
    import numpy as np

    img = np.zeros((48, 64, 3), np.uint8)
    img[:, 32:] = (40, 120, 200)  # a plain photo with nobody in it
    return cv2.imencode(".png", img)[1].tobytes()


PNG = _png()


@pytest.fixture
def site(tmp_path):
    store = open_store(tmp_path / "a.sqlite3")
    network = ensure_demo_site(store, history_hours=0)
    tickets = TicketService(store)
    alarms = AlarmService(store, EventService(store))
    loop = LoopServices.create(store, network, tickets, alarms)
    loop.evidence._root = tmp_path / "evidence"
    yield store, network, tickets, alarms, loop
    store.close()


def _leak_alarm(alarms, network):
    pipes = [p.id for p in network.pipes.values() if p.segment == "S4"][:3]
    return alarms.raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏：S4（区间 145 m，置信度 0.93）",
                              location={"pipes": pipes[:1], "sensors": ["PT-04"],
                                        "interval": {"pipes": pipes, "length_m": 145.0, "confidence": 0.93}})


def _tick(loop, tid, status, actor):
    for item in load_sop("leak").checklist.get(status, ()):
        loop.evidence.set_item(tid, item.id, True, actor)


def test_alarm_becomes_a_prefilled_ticket_and_the_guards_hold_through_close(site):
    store, network, tickets, alarms, loop = site
    alarm = _leak_alarm(alarms, network)
    draft = loop.dispatch.draft(alarm.id)
    assert draft.kind == "leak" and draft.sop_title == "燃气泄漏处置" and draft.area == "A-NAN"
    assert draft.interval["length_m"] == 145.0 and draft.assignee in ("crew01", "crew02")
    card = loop.dispatch.ticket_from_alarm(alarm.id, "dispatcher")
    assert card.assignee == draft.assignee and card.status == "alarm"
    assert alarms.get(alarm.id).ticket_id == card.id and alarms.get(alarm.id).state == "acked"
    with pytest.raises(WorkflowError, match="已有工单"):
        loop.dispatch.ticket_from_alarm(alarm.id, "dispatcher")
    crew = card.assignee
    # crew cannot dispatch; the dispatcher can
    with pytest.raises(WorkflowError, match="ticket.dispatch"):
        tickets.move(card.id, "dispatched", crew)
    tickets.move(card.id, "dispatched", "dispatcher")
    with pytest.raises(WorkflowError, match="电话确认抢修员已出发"):
        tickets.move(card.id, "onsite", crew)
    _tick(loop, card.id, "dispatched", "dispatcher")
    tickets.move(card.id, "onsite", crew)
    assert loop.crew.position(crew) is not None  # arrival records where the crew member is
    _tick(loop, card.id, "onsite", crew)
    with pytest.raises(WorkflowError, match="压力表读数"):
        tickets.move(card.id, "handling", crew)
    loop.evidence.attach(card.id, "gauge_reading", crew, value=0.22, unit="MPa", node_id="N-S3")
    tickets.move(card.id, "handling", crew)
    _tick(loop, card.id, "handling", crew)
    ev = loop.evidence.attach(card.id, "photo_after", crew, photo=PNG, note="修复后")
    import cv2
    import numpy as np

    stored = cv2.imdecode(np.frombuffer(ev.photo.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert np.array_equal(stored, cv2.imdecode(np.frombuffer(PNG, np.uint8), cv2.IMREAD_COLOR))  # nobody to mask
    assert ev.stage == "handling"
    tickets.move(card.id, "retest", crew)
    _tick(loop, card.id, "retest", crew)
    with pytest.raises(WorkflowError, match="复测读数"):
        tickets.move(card.id, "closed", "dispatcher")
    loop.evidence.attach(card.id, "retest_reading", crew, value=3.1, unit="kPa")
    with pytest.raises(WorkflowError, match="ticket.close"):
        tickets.move(card.id, "closed", crew)
    tickets.move(card.id, "closed", "dispatcher")
    with pytest.raises(WorkflowError, match="已结案"):
        loop.evidence.attach(card.id, "note", crew, note="迟到的备注")
    actions = [e.action for e in loop.audit.recent(200, entity="ticket", entity_id=card.id)]
    assert actions.count("ticket.move") == 5 and "ticket.evidence" in actions and "ticket.checklist" in actions
    assert loop.audit.verify().ok


def test_permissions_and_bad_evidence_are_refused_with_reasons(site):
    store, network, tickets, alarms, loop = site
    with pytest.raises(WorkflowError, match="ticket.create"):
        tickets.create(title="x", kind="leak", actor="crew01")
    with pytest.raises(WorkflowError, match="ticket.create"):
        tickets.create(title="x", kind="leak", actor="nobody")
    card = tickets.create(title="南区巡检", kind="leak", actor="manager")
    with pytest.raises(WorkflowError, match="无权"):
        loop.evidence.attach(card.id, "note", "manager", note="x")
    with pytest.raises(WorkflowError, match="needs a value"):
        loop.evidence.attach(card.id, "gauge_reading", "crew01")
    with pytest.raises(WorkflowError, match="neither PNG nor JPEG"):
        loop.evidence.attach(card.id, "photo_before", "crew01", photo=b"GIF89a")
    with pytest.raises(WorkflowError, match="不是工单"):
        loop.evidence.set_item(card.id, "no_such_item", True, "crew01")
    with pytest.raises(WorkflowError, match="指定抢修人员"):
        tickets.move(card.id, "dispatched", "dispatcher")
    with pytest.raises(WorkflowError, match="ticket.dispatch"):
        tickets.assign(card.id, "crew01", "crew02")
    tickets.assign(card.id, "crew01", "dispatcher")
    assert tickets.move(card.id, "dispatched", "dispatcher").status == "dispatched"
    assert [e.action for e in loop.audit.recent(2, entity="ticket", entity_id=card.id)] == ["ticket.move",
                                                                                          "ticket.assign"]


def test_update_interval_keeps_history_and_refuses_bad_input(site):
    store, network, tickets, alarms, loop = site
    card = loop.dispatch.ticket_from_alarm(_leak_alarm(alarms, network).id, "dispatcher")
    pipes = tickets.detail(card.id).suspect_interval["pipes"]
    with pytest.raises(WorkflowError, match="confidence"):
        tickets.update_interval(card.id, {"pipes": pipes, "length_m": 70, "confidence": 1.5}, "crew01", "valve_test")
    with pytest.raises(WorkflowError, match="non-empty"):
        tickets.update_interval(card.id, {"pipes": [], "length_m": 70, "confidence": 0.9}, "crew01", "valve_test")
    with pytest.raises(WorkflowError, match="无权"):
        tickets.update_interval(card.id, {"pipes": pipes[:1], "length_m": 72, "confidence": 0.95}, "manager",
                                "valve_test")
    d = tickets.update_interval(card.id, {"pipes": pipes[:1], "length_m": 72.04, "confidence": 0.951}, "crew01",
                                "valve_test", note="关闭 V-S3S4、V-S4S5")
    assert d.suspect_interval == {"pipes": pipes[:1], "length_m": 72.0, "confidence": 0.951}
    hist = tickets.interval_history(card.id)
    assert [(h.source, h.length_m) for h in hist] == [("engine", 145.0), ("valve_test", 72.0)]
    assert d.history[-1].action == "interval" and "145 m · 0.93 → 72 m · 0.95" in d.history[-1].note
    assert loop.audit.recent(1)[0].action == "ticket.interval"


def test_crew_suggestion_prefers_free_and_near(site):
    store, network, tickets, alarms, loop = site
    pipe = next(p for p in network.pipes.values() if p.segment == "S4")
    lon, lat = pipe.coords[0]
    loop.crew.set_position("crew02", lon + 0.0001, lat, "test")
    loop.crew.set_position("crew01", lon + 0.01, lat, "test")
    s = loop.crew.suggest(lon, lat)
    assert [c.username for c in s] == ["crew02", "crew01"] and s[0].distance_m < s[1].distance_m
    tickets.create(title="忙", kind="leak", actor="dispatcher", assignee="crew02")
    assert [c.username for c in loop.crew.suggest(lon, lat)] == ["crew01", "crew02"]


def test_gauge_readings_and_valve_test_on_the_ticket_narrow_its_interval_through_the_engine(site):
    """Evidence attached to the ticket goes back into the engine (interval_refine) and the narrower
    interval is stored on the ticket with its history."""
    import engine
    from anran_desktop.services.interval_refine import refine
    from engine.simulate import ScheduledLeak, parse_time, simulate

    store, network, tickets, alarms, loop = site
    leak_pipe = next(p for p in network.segment_pipes("S4") if network.pipes[p].kind == "pipe")
    t0 = parse_time("2026-11-24T01:00:00Z")
    readings = simulate(network, 60, leaks=[ScheduledLeak(engine.Leak(leak_pipe, 25.0), t0 + 1800)], seed=12,
                        start=t0)
    from engine.locate import Locator

    locator = Locator(network)
    first = locator.locate(readings)
    assert first.leak_detected
    alarm = alarms.raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏",
                               location={"interval": first.to_json()["interval"]})
    card = loop.dispatch.ticket_from_alarm(alarm.id, "dispatcher")
    truth = engine.solve(network, leaks=[engine.Leak(leak_pipe, 25.0)])
    for node in (network.pipes[leak_pipe].from_node, network.pipes[leak_pipe].to_node):
        loop.evidence.attach(card.id, "gauge_reading", "crew01", value=round(truth.pressure_kpa[node] / 1000, 3),
                             unit="MPa", node_id=node)
    valves = [v for v in ("V-S3S4", "V-S4S5") if v in network.pipes]
    loop.evidence.attach(card.id, "valve_test", "crew01", note="关阀后压力恢复",
                         detail={"valves": valves, "restored": True})
    got = refine(locator, readings, loop.evidence.evidence(card.id))
    assert got is not None and got.source == "valve_test" and got.evidence_used == 3
    assert got.interval["length_m"] < first.interval_length_m
    assert leak_pipe in got.interval["pipes"]
    d = tickets.update_interval(card.id, got.interval, "crew01", got.source)
    assert d.suspect_interval["length_m"] == pytest.approx(got.interval["length_m"], abs=0.05)
    hist = tickets.interval_history(card.id)
    assert [h.source for h in hist] == ["engine", "valve_test"] and hist[1].length_m < hist[0].length_m
    before = len(loop.evidence.evidence(card.id))
    with pytest.raises(WorkflowError, match="'m³' is not a pressure unit"):  # refused before it is stored
        loop.evidence.attach(card.id, "gauge_reading", "crew01", value=1.0, unit="m³", node_id="N-S3")
    with pytest.raises(WorkflowError, match="not a number"):
        loop.evidence.attach(card.id, "retest_reading", "crew01", value=float("nan"), unit="kPa")
    assert len(loop.evidence.evidence(card.id)) == before
    # a record stored by an older version with another unit is still refused by the engine's side, by name
    old = replace(loop.evidence.evidence(card.id)[0], kind="gauge_reading", value=1.0, unit="m³", node_id="N-S3")
    with pytest.raises(ValueError, match="not a pressure unit"):
        refine(locator, readings, [old])


def test_resident_report_merges_into_the_open_ticket_of_its_area_at_its_building_node(site):
    store, network, tickets, alarms, loop = site
    from anran_desktop.services.events import EventService

    with store.begin() as c:
        bid, node = c.exec_driver_sql("SELECT id, node_id FROM buildings WHERE area_id='A-NAN' AND node_id IS NOT NULL "
                                      "LIMIT 1").fetchone()
        c.exec_driver_sql("INSERT INTO households(id, building_id, area_id, unit, created_at) VALUES "
                          "('H-1', ?, 'A-NAN', '2-301', '2026-12-01T00:00:00Z')", (bid,))
    events = EventService(store)
    report = events.add(kind="resident.odor_report", severity="warning", title="居民报告燃气异味",
                        detail={"area": "南区", "household_id": "H-1", "location": "2单元", "description": "楼道有味",
                                "meter_reading": {"value": 1234.56}, "relay_seq": 17})
    with pytest.raises(WorkflowError, match="没有未结工单"):
        loop.dispatch.merge_report(report.id, "dispatcher")
    card = loop.dispatch.ticket_from_alarm(_leak_alarm(alarms, network).id, "dispatcher")
    merged = loop.dispatch.merge_report(report.id, "dispatcher")
    assert merged.id == card.id
    ev = loop.evidence.evidence(card.id)[-1]
    assert (ev.kind, ev.node_id, ev.value) == ("resident_report", node, 1234.56) and "楼道有味" in ev.note
    assert events.get(report.id).ticket_id == card.id
    with pytest.raises(WorkflowError, match="已并入"):
        loop.dispatch.merge_report(report.id, "dispatcher")
    other = events.add(kind="leak_suspected", severity="alarm", title="x")
    with pytest.raises(WorkflowError, match="not a resident"):
        loop.dispatch.merge_report(other.id, "dispatcher")
    from anran_desktop.services.interval_refine import engine_evidence

    assert engine_evidence([ev])[0].node == node  # the engine gets it as an odor report at that node
    # the resident sees the ticket's progress: a published move also queues it for their report on the relay
    tickets.move(card.id, "dispatched", "dispatcher", publish=True)
    with store.read() as c:
        payloads = [json.loads(p) for (p,) in c.exec_driver_sql(
            "SELECT payload FROM outbox WHERE kind='ticket.progress' ORDER BY id")]
    assert [(p.get("resident_item"), p["status"]) for p in payloads] == [(None, "dispatched"), (17, "accepted")]


def test_sla_watch_warns_then_escalates_once_and_stops_when_the_step_is_done(site):
    import datetime as dt

    from anran_desktop.services.sla_watch import SlaWatch

    store, network, tickets, alarms, loop = site
    card = loop.dispatch.ticket_from_alarm(_leak_alarm(alarms, network).id, "dispatcher")
    t0 = dt.datetime.fromisoformat(tickets.timestamps(card.id)["alarm"].replace("Z", "+00:00")).timestamp()
    watch = SlaWatch(store, tickets)
    assert watch.check(t0 + 30) == []
    warn = watch.check(t0 + 95)
    assert [(e.timer, e.state) for e in warn] == [("tta", "warn")]
    assert watch.check(t0 + 100) == []  # once
    esc = watch.check(t0 + 130)
    assert [(e.timer, e.state) for e in esc] == [("tta", "escalate")]
    assert watch.check(t0 + 140) == []
    with store.read() as c:
        ev = c.exec_driver_sql("SELECT severity, title FROM events WHERE kind='sla' ORDER BY id").fetchall()
    assert [s for s, _ in ev] == ["warning", "critical"] and "响应（派单）已超时" in ev[1][1]
    assert [e.action for e in loop.audit.recent(2)] == ["sla.escalate", "sla.warn"]
    tickets.move(card.id, "dispatched", "dispatcher")
    d0 = dt.datetime.fromisoformat(tickets.timestamps(card.id)["dispatched"].replace("Z", "+00:00")).timestamp()
    assert [(e.timer, e.state) for e in watch.check(d0 + 3100)] == [("arrival", "warn")]  # TTA stopped


def test_crew_photos_are_privacy_masked_and_stripped_before_they_are_stored(site):
    """A before/after photo with a person's face and GPS in its Exif is stored masked and without Exif."""
    from pathlib import Path

    import cv2
    import matplotlib as mpl
    import numpy as np

    store, network, tickets, alarms, loop = site
    card = tickets.create(title="南区巡检", kind="leak", actor="dispatcher")
    jpg = (Path(mpl.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg").read_bytes()
    exif = b"Exif\x00\x00GPS-31.23N-121.47E"
    photo = jpg[:2] + b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif + jpg[2:]
    rec = loop.evidence.attach(card.id, "photo_before", "crew01", photo=photo)
    stored = (loop.evidence.evidence_root / rec.photo).read_bytes()
    assert b"GPS-31.23N" not in stored and b"Exif" not in stored
    img = cv2.imdecode(np.frombuffer(stored, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape[:2] == (600, 512)
    assert float(np.abs(img[200:330, 190:320].astype(int) - 128).max()) <= 3  # the face is a grey block
    with pytest.raises(WorkflowError, match="cannot be decoded"):
        loop.evidence.attach(card.id, "photo_before", "crew01", photo=jpg[:200])
    assert [e.kind for e in loop.evidence.evidence(card.id)] == ["photo_before"]


def test_evidence_long_after_the_alarm_is_judged_on_the_stored_window_around_the_onset(site):
    """A crew's valve test comes an hour or more after the alarm: the live window (last hour) then holds no
    reading from before the leak, and the engine cannot see the leak's step there. The desktop looks back to
    the stored telemetry around the alarm's onset instead (interval_refine.window_end / stored_readings)."""
    import engine
    from anran_desktop.ingest.base import Sample
    from anran_desktop.services.interval_refine import onset_epoch, refine, stored_readings, window_end
    from anran_desktop.services.leak_watch import LeakWatch
    from anran_desktop.services.telemetry import TelemetryService
    from engine.simulate import ScheduledLeak, parse_time, simulate

    store, network, tickets, alarms, loop = site
    leak_pipe = next(p for p in network.segment_pipes("S4") if network.pipes[p].kind == "pipe")
    t0 = parse_time("2026-11-24T01:00:00Z")
    onset = t0 + 1800
    r = simulate(network, 150, leaks=[ScheduledLeak(engine.Leak(leak_pipe, 25.0), onset)], seed=12, start=t0)
    telemetry = TelemetryService(store)
    telemetry.insert([Sample(float(t), p, q, float(r.values[i, j])) for i, t in enumerate(r.times)
                      for j, (p, q) in enumerate(zip(r.points, r.quantities, strict=True))])
    watch = LeakWatch(network, alarms)
    at_alarm = watch.locator.locate(stored_readings(watch, telemetry, onset + 1800))
    assert at_alarm.leak_detected
    alarm = alarms.raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏",
                               location={"interval": at_alarm.to_json()["interval"]},
                               detail={"onset": at_alarm.onset})
    card = loop.dispatch.ticket_from_alarm(alarm.id, "dispatcher")
    assert alarms.for_ticket(card.id).id == alarm.id and alarms.for_ticket("T-none") is None
    valves = [v for v in ("V-S3S4", "V-S4S5") if v in network.pipes]
    loop.evidence.attach(card.id, "valve_test", "crew01", detail={"valves": valves, "restored": True})
    records = loop.evidence.evidence(card.id)
    now = float(r.times[-1]) + 1  # two hours after the onset
    # The live window ending now: no reading before the onset, so no leak step for the evidence to refine.
    assert refine(watch.locator, stored_readings(watch, telemetry, now), records) is None
    end = window_end(onset_epoch(alarm.detail), now, watch.window_s)
    assert onset + 0.25 * watch.window_s <= end < now
    got = refine(watch.locator, stored_readings(watch, telemetry, end), records)
    assert got is not None and got.source == "valve_test" and leak_pipe in got.interval["pipes"]
    assert got.interval["length_m"] < at_alarm.interval_length_m
    # While the live window still holds the onset with baseline before it, it is used as it is.
    assert window_end(onset_epoch(alarm.detail), onset + 600, watch.window_s) == onset + 600
    assert window_end(None, now, watch.window_s) == now
