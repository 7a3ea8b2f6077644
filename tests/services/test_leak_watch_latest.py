"""While a leak alarm is active the watch keeps locating it: an interval that moved is recorded as the
alarm's latest (the raised one stays the record), audited, and a ticket made from the alarm takes it."""

from __future__ import annotations

import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.audit import AuditService
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_watch import LeakWatch, moved
from anran_desktop.services.loop import LoopServices
from anran_desktop.services.tickets import TicketService
from anran_desktop.store import open_store
from engine.simulate import ScheduledLeak, parse_time, simulate

T0 = parse_time("2026-11-24T01:00:00Z")


def test_an_interval_is_recorded_when_its_figures_read_differently():
    old = {"pipes": ["P1", "P2", "P3"], "length_m": 200.2, "confidence": 0.953, "calibrated": True}
    assert not moved(old, dict(old, length_m=199.8, confidence=0.957))  # 200 m · 0.95 either way
    assert moved(old, dict(old, length_m=198.0))
    assert moved(old, dict(old, confidence=0.961))  # 0.96
    assert moved(old, dict(old, pipes=["P1", "P2", "P4"]))
    assert moved(old, dict(old, calibrated=False))


@pytest.fixture
def watch(tmp_path):
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    alarms = AlarmService(store)
    w = LeakWatch(net, alarms, confirm_s=0)  # these tests follow an alarm; its confirmation is tested elsewhere
    assert w.confidence.calibrated(timeout=30) is not None  # the demo site's bundled calibration
    yield w, store, net
    store.close()


def test_a_moved_interval_is_recorded_on_the_active_alarm_and_the_ticket_takes_it(watch):
    w, store, net = watch
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 80, leaks=[ScheduledLeak(engine.Leak(pipe, 30.0), T0 + 2400)], seed=11, start=T0,
                 interval_s=10)
    series = {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}

    first = w.check(w.readings_from_series(series, T0 + 48 * 60))  # 8 minutes after the onset
    assert first.alarm is not None and first.updated is None
    raised = dict(first.alarm.location["interval"])
    later = w.check(w.readings_from_series(series, T0 + 52 * 60))
    assert later.alarm is None and later.updated is not None and later.updated.id == first.alarm.id
    latest = later.updated.location["latest"]
    assert latest["length_m"] == pytest.approx(later.result.interval_length_m, abs=0.1)
    assert latest["pipes"] == later.result.interval_pipes and latest["time"].endswith("Z")
    assert moved(raised, latest)
    assert later.updated.location["interval"] == raised  # the raised interval stays the record

    again = w.check(w.readings_from_series(series, T0 + 52 * 60))  # the same window reads the same
    assert again.result.leak_detected and again.updated is None
    acts = [e.action for e in AuditService(store).recent(entity="alarm", entity_id=first.alarm.id)]
    assert acts.count("alarm.raise") == 1 and acts.count("alarm.interval") >= 1

    loop = LoopServices.create(store, net, TicketService(store), w.alarms)
    newest = w.alarms.get(first.alarm.id).location["latest"]
    draft = loop.dispatch.draft(first.alarm.id)
    assert draft.interval["pipes"] == newest["pipes"] and draft.interval["length_m"] == newest["length_m"]
    assert "time" not in draft.interval
    loop.users.create("dispatcher", "调度员", "dispatcher", "x")
    card = loop.dispatch.ticket_from_alarm(first.alarm.id, "dispatcher")
    assert card.title == first.alarm.title  # the record stays the alarm's title
    assert card.title_parts["length_m"] == f"{newest['length_m']:.0f}"  # worded with the interval it takes
    assert card.title_parts != first.alarm.detail["title_parts"]


def test_updating_an_alarm_that_does_not_exist_says_so(watch):
    w, _, _ = watch
    with pytest.raises(ValueError, match="AL-19990101-0001 does not exist"):
        w.alarms.update_interval("AL-19990101-0001", {"pipes": ["P1"], "length_m": 10.0, "confidence": 0.9})


def _series(net, pipe, seed=11, onset=T0 + 2400, minutes=80):  # noqa: ANN001, ANN202
    leaks = [ScheduledLeak(engine.Leak(pipe, 30.0), onset)] if pipe else []
    r = simulate(net, minutes, leaks=leaks, seed=seed, start=T0, interval_s=10)
    return {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}


def test_one_check_under_the_threshold_does_not_end_the_alarm_nor_raise_a_second(watch):
    w, _, net = watch
    south = _series(net, [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0])
    north = _series(net, [p for p in net.segment_pipes("S10") if net.pipes[p].kind == "pipe"][0])
    calm = _series(net, None)

    first = w.check(w.readings_from_series(south, T0 + 48 * 60))
    assert first.alarm is not None
    gap = w.check(w.readings_from_series(calm, T0 + 49 * 60))
    assert not gap.result.leak_detected and w.active_alarm == first.alarm.id  # not over yet
    back = w.check(w.readings_from_series(south, T0 + 52 * 60))
    assert back.result.leak_detected and back.alarm is None and w.active_alarm == first.alarm.id

    w.check(w.readings_from_series(calm, T0 + 53 * 60))
    elsewhere = w.check(w.readings_from_series(north, T0 + 54 * 60))
    assert elsewhere.result.leak_detected
    assert not set(elsewhere.result.interval_pipes) & set(first.alarm.location["interval"]["pipes"])
    assert elsewhere.alarm is not None and elsewhere.alarm.id != first.alarm.id  # another leak, its own alarm

    w.check(w.readings_from_series(calm, T0 + 60 * 60))
    assert w.active_alarm == elsewhere.alarm.id
    w.check(w.readings_from_series(calm, T0 + 70 * 60))  # ten minutes without it: the leak is gone
    assert w.active_alarm is None
    again = w.check(w.readings_from_series(north, T0 + 75 * 60))
    # seen again, with the same onset at the same place: the same leak, whose alarm is still open
    assert again.result.leak_detected and again.alarm is None and w.active_alarm == elsewhere.alarm.id


def test_a_restarted_watch_carries_on_with_the_open_alarm_of_the_same_leak(watch):
    """The desktop restarts (or a network is imported) while a leak is alarmed: the new watch sees the leak
    again and carries on with its alarm — one alarm for one leak. A leak that starts later at the same
    place, or one seen again after its alarm was cleared, is a new alarm."""
    w, store, net = watch
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    south = _series(net, pipe)
    first = w.check(w.readings_from_series(south, T0 + 48 * 60))
    assert first.alarm is not None

    restarted = LeakWatch(net, w.alarms)  # the desktop's confirmation: the open alarm needs none
    assert restarted.confidence.calibrated(timeout=30) is not None
    seen = restarted.check(restarted.readings_from_series(south, T0 + 52 * 60))
    assert seen.result.leak_detected and seen.alarm is None and restarted.active_alarm == first.alarm.id
    acts = [e.action for e in AuditService(store).recent(entity="alarm", entity_id=first.alarm.id)]
    assert acts.count("alarm.raise") == 1
    assert [a.id for a in w.alarms.open_leak_alarms(since="2000-01-01T00:00:00Z", is_drill=False)] == [first.alarm.id]

    # a second leak on that pipe an hour and a quarter later (the first repaired meanwhile, say): its own alarm
    later = _series(net, pipe, seed=12, onset=T0 + 6900, minutes=130)
    fresh = LeakWatch(net, w.alarms, confirm_s=0)
    assert fresh.confidence.calibrated(timeout=30) is not None
    new = fresh.check(fresh.readings_from_series(later, T0 + 123 * 60))
    assert new.result.leak_detected and new.alarm is not None and new.alarm.id != first.alarm.id

    # an alarm the dispatcher cleared is not carried on
    w.alarms.clear(new.alarm.id, "dispatcher")
    w.alarms.clear(first.alarm.id, "dispatcher")
    cleared = LeakWatch(net, w.alarms, confirm_s=0)
    assert cleared.confidence.calibrated(timeout=30) is not None
    third = cleared.check(cleared.readings_from_series(south, T0 + 52 * 60))
    assert third.result.leak_detected and third.alarm is not None


def test_a_restarted_watch_carries_on_when_the_interval_moved_next_to_the_alarms(watch):
    """Across a restart the leak's interval can land beside the one the alarm last had, sharing no pipe: it
    is still one leak (the pipes touch, or the alarm's pipes keep some of the probability). A leak across
    the site, with the same onset, is another alarm."""
    from anran_desktop.services.leak_watch import same_place

    w, store, net = watch
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    south = _series(net, pipe)
    first = w.check(w.readings_from_series(south, T0 + 48 * 60))
    assert first.alarm is not None
    res = first.result
    ends = {n for p in res.interval_pipes for n in (net.pipes[p].from_node, net.pipes[p].to_node)}
    beside = next(p for p, e in net.pipes.items() if p not in res.interval_pipes
                  and (e.from_node in ends or e.to_node in ends))
    far = [p for p in net.segment_pipes("S10") if net.pipes[p].kind == "pipe"]
    assert same_place(net, [beside], res) and not same_place(net, far, res)
    assert not set(far) & set(res.interval_pipes) and sum(res.pipe_probability.get(p, 0) for p in far) < 0.05
    # the alarm was last located beside this interval (as a check before the restart could have)
    w.alarms.update_interval(first.alarm.id, {"pipes": [beside], "length_m": net.pipes[beside].length_m,
                                              "confidence": 0.9})
    restarted = LeakWatch(net, w.alarms, confirm_s=0)
    assert restarted.confidence.calibrated(timeout=30) is not None
    seen = restarted.check(restarted.readings_from_series(south, T0 + 48 * 60))
    assert seen.result.leak_detected and seen.alarm is None and restarted.active_alarm == first.alarm.id

    # last located across the site: the leak seen now is not that alarm's
    w.alarms.update_interval(first.alarm.id, {"pipes": far, "length_m": 100.0, "confidence": 0.9})
    other = LeakWatch(net, w.alarms, confirm_s=0)
    assert other.confidence.calibrated(timeout=30) is not None
    new = other.check(other.readings_from_series(south, T0 + 48 * 60))
    assert new.alarm is not None and new.alarm.id != first.alarm.id
    acts = [e.action for e in AuditService(store).recent(entity="alarm", entity_id=first.alarm.id)]
    assert acts.count("alarm.raise") == 1
