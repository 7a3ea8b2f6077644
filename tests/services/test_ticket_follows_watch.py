"""A ticket made from a leak alarm follows the leak watch's later locations when the crew would act
differently on them — while it is still looking for the leak, and only as long as no on-site evidence or
person has narrowed its interval since."""

from __future__ import annotations

import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.audit import AuditService
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.services.tickets import ENGINE_ACTOR, TicketService, WorkflowError, crew_should_see
from anran_desktop.store import open_store
from engine.simulate import ScheduledLeak, parse_time, simulate

T0 = parse_time("2026-11-24T01:00:00Z")
OLD = {"pipes": ["P1", "P2", "P3"], "length_m": 200.0, "confidence": 0.90}


def test_the_crew_is_sent_a_new_interval_only_when_it_would_act_differently():
    assert not crew_should_see(OLD, dict(OLD, length_m=170.0, confidence=0.93))  # a few metres, a few points
    assert not crew_should_see(OLD, dict(OLD, pipes=["P2", "P3", "P4"]))  # overlapping, same size
    assert crew_should_see(OLD, dict(OLD, pipes=["P7", "P8"]))  # elsewhere
    assert crew_should_see(OLD, dict(OLD, length_m=150.0))  # a quarter shorter
    assert crew_should_see(OLD, dict(OLD, length_m=250.0))  # a quarter longer
    assert crew_should_see(OLD, dict(OLD, confidence=0.80))
    assert crew_should_see({}, OLD)  # nothing yet
    short = dict(OLD, length_m=40.0)
    assert not crew_should_see(short, dict(short, length_m=55.0))  # at least 20 m


@pytest.fixture
def tickets(tmp_path):
    store = open_store(tmp_path / "site.sqlite3")
    svc = TicketService(store)
    svc.role_of = lambda actor: {"dispatcher": "dispatcher", "crew1": "crew"}.get(actor, "")  # no role for engine
    yield svc
    store.close()


def _ticket(svc: TicketService, status: str = "dispatched") -> str:
    tid = svc.create(title="疑似泄漏", kind="leak", actor="dispatcher", suspect_interval=OLD, assignee="crew1").id
    if status != "alarm":
        svc.move(tid, "dispatched", "dispatcher")
    return tid


def test_the_watch_moves_the_ticket_as_the_system_with_history_and_audit(tickets):
    tid = _ticket(tickets)
    new = {"pipes": ["P7", "P8"], "length_m": 90.0, "confidence": 0.93}
    detail = tickets.follow_engine(tid, new)
    assert detail is not None and detail.suspect_interval == new
    last = tickets.interval_history(tid)[-1]
    assert (last.actor, last.source, last.pipes, last.length_m) == (ENGINE_ACTOR, "engine", ("P7", "P8"), 90.0)
    assert detail.history[-1].action == "interval" and detail.history[-1].actor == ENGINE_ACTOR
    assert detail.history[-1].note == "engine: 200 m · 0.90 → 90 m · 0.93"
    audit = AuditService(tickets.store).recent(entity="ticket", entity_id=tid)
    assert any(e.action == "ticket.interval" and e.actor == ENGINE_ACTOR for e in audit)
    # A wobble of that interval stays on the alarm card: no new version of the ticket for the crew.
    assert tickets.follow_engine(tid, dict(new, length_m=95.0)) is None
    assert tickets.detail(tid).suspect_interval == new


def test_an_interval_narrowed_on_site_is_not_overridden_by_the_watch(tickets):
    tid = _ticket(tickets)
    site = {"pipes": ["P2"], "length_m": 60.0, "confidence": 0.95}
    tickets.update_interval(tid, site, "crew1", "valve_test")
    assert tickets.follow_engine(tid, {"pipes": ["P7", "P8"], "length_m": 90.0, "confidence": 0.93}) is None
    assert tickets.detail(tid).suspect_interval == site
    assert tickets.interval_history(tid)[-1].source == "valve_test"


@pytest.mark.parametrize("status", ["retest", "closed"])
def test_a_ticket_past_the_search_for_the_leak_keeps_its_interval(tickets, status):
    tid = _ticket(tickets)
    t = tickets.store.t.tickets
    with tickets.store.begin() as c:  # the statuses themselves need the loop's evidence; set it directly
        c.execute(t.update().where(t.c.id == tid).values(status=status))
    assert tickets.follow_engine(tid, {"pipes": ["P7"], "length_m": 90.0, "confidence": 0.93}) is None
    assert tickets.detail(tid).suspect_interval == OLD


def test_a_ticket_that_does_not_exist_or_a_bad_interval_is_refused(tickets):
    with pytest.raises(WorkflowError, match="TK-19990101-0001 does not exist"):
        tickets.follow_engine("TK-19990101-0001", OLD)
    tid = _ticket(tickets)
    with pytest.raises(WorkflowError, match="confidence"):
        tickets.follow_engine(tid, dict(OLD, confidence=1.7))
    assert tickets.detail(tid).suspect_interval == OLD


def test_the_live_watch_sends_its_moved_location_to_the_alarms_ticket(tmp_path):
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    try:
        alarms, tickets = AlarmService(store), TicketService(store)
        watch = LeakWatch(net, alarms, tickets=tickets, confirm_s=0)  # an alarm at the first detection
        assert watch.confidence.calibrated(timeout=30) is not None  # the demo site's bundled calibration
        pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
        r = simulate(net, 80, leaks=[ScheduledLeak(engine.Leak(pipe, 30.0), T0 + 2400)], seed=11, start=T0,
                     interval_s=10)
        series = {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}
        first = watch.check(watch.readings_from_series(series, T0 + 48 * 60))
        assert first.alarm is not None
        # The ticket was made with an interval somewhere else (as if the leak had first looked elsewhere):
        far = [p for p in net.pipes if net.pipes[p].kind == "pipe" and p not in first.result.interval_pipes][-1]
        tid = tickets.create(title="疑似泄漏", kind="leak", actor="dispatcher", alarm_id=first.alarm.id,
                             suspect_interval={"pipes": [far], "length_m": 50.0, "confidence": 0.9}).id
        with store.begin() as c:
            c.execute(store.t.alarms.update().where(store.t.alarms.c.id == first.alarm.id).values(ticket_id=tid))
        later = watch.check(watch.readings_from_series(series, T0 + 52 * 60))
        assert later.updated is not None and later.ticket is not None and later.ticket.card.id == tid
        assert later.ticket.suspect_interval["pipes"] == later.result.interval_pipes
        assert tickets.interval_history(tid)[-1].actor == ENGINE_ACTOR
        # A watch without the ticket service leaves tickets alone (the alarm card still shows the latest).
        assert LeakWatch(net, alarms)._follow(later.updated, later.updated.location["latest"]) is None
    finally:
        store.close()


def test_a_re_run_with_the_tickets_evidence_supersedes_it_but_a_hand_set_interval_stays(tickets):
    tid = _ticket(tickets)
    tickets.update_interval(tid, {"pipes": ["P2"], "length_m": 60.0, "confidence": 0.95}, "crew1", "valve_test")
    rerun = {"pipes": ["P2", "P9"], "length_m": 110.0, "confidence": 0.96}
    detail = tickets.follow_engine(tid, rerun, source="valve_test")
    assert detail is not None and detail.suspect_interval == rerun
    assert tickets.interval_source(tid) == "valve_test" and tickets.interval_history(tid)[-1].actor == ENGINE_ACTOR
    tickets.update_interval(tid, OLD, "dispatcher", "manual")
    assert tickets.follow_engine(tid, {"pipes": ["P7"], "length_m": 90.0, "confidence": 0.93}, source="valve_test") \
        is None
    assert tickets.follow_engine(tid, {"pipes": ["P7"], "length_m": 90.0, "confidence": 0.93}) is None
    assert tickets.detail(tid).suspect_interval == OLD
    with pytest.raises(WorkflowError, match="source 'manual'"):
        tickets.follow_engine(tid, OLD, source="manual")
