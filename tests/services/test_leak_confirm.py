"""The leak watch's confirmation: a detection becomes an alarm only once it has held ``LeakWatch.CONFIRM_S``
of the last ``CONFIRM_SPAN_S``; a window or two over the threshold by chance raises nothing."""

from __future__ import annotations

import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_confirm import Confirmation, alarms_raised
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.store import open_store
from engine.simulate import ScheduledLeak, parse_time, simulate

T0 = parse_time("2026-11-24T01:00:00Z")


def test_a_detection_is_confirmed_once_it_has_held_long_enough_of_the_lookback():
    every = Confirmation(120.0)  # no span: every check of the last 2 minutes must detect
    assert [every.feed(t, True) for t in (0, 30, 60, 90)] == [False] * 4  # the first check counts for nothing
    assert every.held_s() == 90 and every.feed(120, True)
    assert not every.feed(150, False) and every.held_s() == 120 - 30  # 30 s of the last 2 min undetected
    assert [every.feed(t, True) for t in (180, 210, 240, 270)] == [False, False, False, True]
    assert Confirmation(0.0).feed(5, True) and not Confirmation(0.0).feed(5, False)

    # 6 of the last 9 minutes: a weak leak's wobble under the threshold does not start the count again
    six_of_nine = Confirmation(360.0, 540.0)
    pattern = "x.xx.xxx"  # one check a minute; the 6th detected minute of the last 9 confirms
    fed = [six_of_nine.feed(60.0 * i, c == "x") for i, c in enumerate("." + pattern)]
    assert fed == [False] * 8 + [True]
    # the lookback forgets: detections spread thinner than 6 of 9 never confirm
    sparse = Confirmation(360.0, 540.0)
    assert not any(sparse.feed(60.0 * i, i % 2 == 0) for i in range(60))
    # a stalled watch: one check after ten quiet minutes counts for cap_s, not for ten minutes
    stalled = Confirmation(360.0, 540.0)
    stalled.feed(0.0, True)
    assert not stalled.feed(600.0, True) and stalled.held_s() == stalled.cap_s
    # a feed replayed ten times faster: checks five minutes of readings apart still confirm a leak that stays
    fast = Confirmation(360.0, 540.0)
    assert [fast.feed(300.0 * i, True) for i in range(3)] == [False, False, True]
    # twenty times faster, checks ten minutes of readings apart (the first gap is not yet known as usual):
    # two detecting checks in a row confirm, never one alone
    faster = Confirmation(360.0, 540.0)
    assert [faster.feed(600.0 * i, i != 2) for i in range(6)] == [False, False, False, False, True, True]
    # readings whose clock goes back (another feed) start afresh
    assert not stalled.feed(10.0, True) and stalled.held_s() == 0
    with pytest.raises(ValueError, match="confirm_s <= span_s"):
        Confirmation(360.0, 60.0)


def test_replayed_rule_raises_one_alarm_per_leak_and_none_for_short_runs():
    minute = 60.0

    def checks(pattern: str) -> list[tuple[float, bool]]:
        return [(i * minute, c == "x") for i, c in enumerate(pattern)]

    def rule() -> Confirmation:
        return Confirmation(3 * minute)  # three checks in a row

    assert alarms_raised(checks("..x...xx..x.."), rule(), 10 * minute) == []  # chance exceedances
    assert alarms_raised(checks("..xxxxxx"), rule(), 10 * minute) == [4]
    assert alarms_raised(checks("..xxxxxx"), Confirmation(0.0), 10 * minute) == [2]
    # an alarm stays until the detection has been away 10 minutes; then a new run needs confirming again
    wobbly = "xxxx.x..xxxx" + "." * 11 + "xxx"
    assert alarms_raised(checks(wobbly), rule(), 10 * minute) == [3, 25]  # the first check counts for nothing


@pytest.fixture
def watch(tmp_path):
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    w = LeakWatch(net, AlarmService(store))  # the desktop's confirmation
    assert w.confidence.calibrated(timeout=30) is not None
    yield w, net
    store.close()


def _series(net, pipe):  # noqa: ANN001, ANN202
    leaks = [] if pipe is None else [ScheduledLeak(engine.Leak(pipe, 30.0), T0 + 2400)]
    r = simulate(net, 80, leaks=leaks, seed=11, start=T0, interval_s=10)
    return {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}


def test_the_watch_raises_the_alarm_once_the_detection_has_held(watch):
    w, net = watch
    assert w.confirmation.confirm_s == LeakWatch.CONFIRM_S > 0
    assert w.confirmation.span_s == LeakWatch.CONFIRM_SPAN_S
    leak = _series(net, [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0])
    start = T0 + 48 * 60
    outcomes = [w.check(w.readings_from_series(leak, start + k * 30.0))
                for k in range(int(LeakWatch.CONFIRM_S // 30) + 1)]
    assert all(o.result.leak_detected for o in outcomes)
    *waiting, last = outcomes
    assert all(o.alarm is None and 0 < o.confirming_s < LeakWatch.CONFIRM_S for o in waiting)
    assert [o.confirming_s for o in waiting] == sorted(o.confirming_s for o in waiting)
    assert last.alarm is not None and last.confirming_s == 0 and w.active_alarm == last.alarm.id


def test_a_detection_that_does_not_hold_raises_nothing(watch):
    """Detected at every other check for a quarter of an hour: never the watch's 6 of 9 minutes."""
    w, net = watch
    leak = _series(net, [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0])
    calm = _series(net, None)
    start = T0 + 48 * 60
    outcomes = [w.check(w.readings_from_series(leak if k % 2 == 0 else calm, start + k * 30.0)) for k in range(30)]
    assert [o.result.leak_detected for o in outcomes] == [k % 2 == 0 for k in range(30)]
    assert all(o.alarm is None for o in outcomes) and w.alarms.active() == []
    assert all(o.confirming_s > 0 for o in outcomes[::2]) and all(o.confirming_s == 0 for o in outcomes[1::2])
