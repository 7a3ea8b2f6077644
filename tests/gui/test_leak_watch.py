"""Localization on live data in the desktop: ring buffers → engine → alarm card, heat and interval."""

import numpy as np

from anran_desktop.ingest.base import SourceStatus
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.services.live import LivePipeline
from engine.simulate import ScheduledLeak, parse_time, simulate
from engine.solver import Leak

T0 = parse_time("2026-11-24T01:00:00Z")


class _Idle:
    """A source that never yields (the test pushes samples into the pipeline's rings itself)."""

    drill = True

    def __init__(self) -> None:
        self.status = SourceStatus()

    def describe(self, term=str) -> str:  # noqa: ANN001
        return "test"


def _fill(pipeline, readings):
    for i, t in enumerate(readings.times):
        for j, p in enumerate(readings.points):
            pipeline.ring(p).push(float(t), float(readings.values[i, j]))


def live_s4_leak(window, qtbot, held_s: float = LeakWatch.CONFIRM_S, stop_s: float = 0.0):  # noqa: ANN001, ANN201
    """A 30 m³/h leak on the first pipe of segment S4, fed into the window's live rings and checked every
    30 s (as the desktop does) over ``held_s`` seconds of readings ending ``stop_s`` before their end: by
    default as long as the watch's confirmation, so the last check raises the alarm. Returns (the pipe,
    the readings)."""
    net = window.svc.network_model
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 1800)], seed=11, start=T0, interval_s=10)
    pipeline = LivePipeline(window.svc.telemetry, _Idle())
    _fill(pipeline, r)
    window.attach_pipeline(pipeline)
    end = float(r.times[-1]) + 1 - stop_s
    for now in np.arange(end - held_s, end + 1, 30.0):
        window.check_leaks(now=float(now))
        qtbot.waitUntil(lambda: not window._watch_busy, timeout=10_000)
    return pipe, r


def test_a_detection_is_outlined_as_unconfirmed_until_it_has_held(window, qtbot):
    """One window over the threshold is not yet an alarm: the canvas outlines the interval as 待确认, the
    alarm comes once the detection has held for the watch's confirmation time."""
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    def labels() -> list[str]:
        return [o.text() for o in window.canvas._overlay if isinstance(o, QGraphicsSimpleTextItem)]

    held = 60.0
    _pipe, r = live_s4_leak(window, qtbot, held_s=held, stop_s=LeakWatch.CONFIRM_S - held)  # three checks
    assert window.svc.alarms.active() == [] and window.leak_watch.last.leak_detected
    assert any("待确认" in t for t in labels()), labels()
    status = window.statusBar().currentMessage()
    assert "待确认" in status and "满 6 分钟即告警" in status, status
    end = float(r.times[-1]) + 1
    for now in np.arange(end - LeakWatch.CONFIRM_S + held + 30, end + 1, 30.0):
        window.check_leaks(now=float(now))
        qtbot.waitUntil(lambda: not window._watch_busy, timeout=10_000)
    (alarm,) = window.svc.alarms.active()
    assert alarm.kind == "leak_suspected" and not any("待确认" in t for t in labels()), labels()


def test_live_leak_raises_one_alarm_with_its_interval(window, qtbot):
    before = window.feed.count()
    pipe, r = live_s4_leak(window, qtbot)
    alarms = window.svc.alarms.active()
    assert len(alarms) == 1 and alarms[0].kind == "leak_suspected"
    interval = alarms[0].location["interval"]
    assert pipe in interval["pipes"] and interval["length_m"] > 0 and 0 < interval["confidence"] <= 1
    assert "南区" in alarms[0].title and "S4" in alarms[0].title
    assert {"PT-04", "FT-IN"} <= set(alarms[0].location["sensors"])
    assert window.feed.count() == before + 1
    assert window.canvas._overlay  # interval outlined
    # The same detection does not raise a second alarm.
    window.check_leaks(now=float(r.times[-1]) + 1)
    qtbot.waitUntil(lambda: not window._watch_busy, timeout=10_000)
    assert len(window.svc.alarms.active()) == 1
    # Clicking the alarm card focuses the canvas on the interval and outlines it.
    from widgets.event_feed import CARD_ROLE

    window.canvas.clear_overlay()
    window.on_event_activated(window.feed.list.item(0).data(CARD_ROLE))
    assert window.canvas._overlay
    assert "PT-04" in window.curves.series and "FT-IN" in window.curves.series


def test_leak_watch_bins_rings_into_minute_readings(window):
    net = window.svc.network_model
    watch = LeakWatch(net, window.svc.alarms)
    pipeline = LivePipeline(window.svc.telemetry, _Idle())
    for t in range(0, 600):
        for p in net.sensors:
            pipeline.ring(p).push(1000.0 + t, 1.0 if p != "FT-IN" else 500.0)
    readings = watch.readings_from_rings(pipeline.rings, 1600.0)
    assert readings.values.shape[1] == len(net.sensors)
    full = readings.values[np.all(np.isfinite(readings.values), axis=1)]
    assert len(full) == 10 and np.allclose(full[:, readings.points.index("FT-IN")], 500.0)


def test_prefill_loads_stored_history_into_the_rings(window):
    pipeline = LivePipeline(window.svc.telemetry, _Idle())
    import time

    n = pipeline.prefill(["PT-01", "FT-IN"], time.time())
    t, v = pipeline.ring("PT-01").arrays()
    assert n > 0 and len(t) > 100 and np.all(np.diff(t) > 0)


def test_the_alarm_card_shows_the_newest_localization_under_the_raised_one(window, qtbot):
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    from anran_desktop.services.leak_watch import WatchOutcome
    from widgets.event_feed import CARD_ROLE

    live_s4_leak(window, qtbot)
    (a,) = window.svc.alarms.active()
    raised = a.location["interval"]
    item = window.feed.list.item(0)
    assert item.data(CARD_ROLE).alarm_id == a.id and "最新定位" not in item.text()
    upd = window.svc.alarms.update_interval(a.id, {"pipes": raised["pipes"][:1], "length_m": 42.0, "confidence": 0.97})
    window._on_watch(WatchOutcome(window.leak_watch.last, None, updated=upd))
    text = item.text()
    assert f"{raised['length_m']:.0f} m" in text.splitlines()[0]  # the raised figures stay on the card
    assert "最新定位" in text and "42 m" in text and "0.97" in text
    window.feed.mark_ticket(a.id, "T-TEST")
    assert "→ T-TEST" in item.text() and "42 m" in item.text()
    window.canvas.clear_overlay()
    window.on_event_activated(item.data(CARD_ROLE))  # a click outlines the newest interval
    labels = [o.text() for o in window.canvas._overlay if isinstance(o, QGraphicsSimpleTextItem)]
    assert any(t.startswith("42 m") for t in labels), labels


def _ticket_follows(window, qtbot):  # noqa: ANN001, ANN202
    """A ticket made from the live leak's alarm, then a later location elsewhere delivered to the window as
    the watch would. Returns (the ticket id, the new interval)."""
    from anran_desktop.services.leak_watch import WatchOutcome

    live_s4_leak(window, qtbot)
    (a,) = window.svc.alarms.active()
    tid = window.svc.loop.dispatch.ticket_from_alarm(a.id, "dispatcher").id
    window.refresh_board()
    window.show_ticket(tid)
    from anran_desktop.services.leak_title import title_parts

    new = {"pipes": ["P001"], "length_m": 31.0, "confidence": 0.91}
    upd = window.svc.alarms.update_interval(a.id, new)
    ticket = window.svc.tickets.follow_engine(tid, new, title_parts(window.svc.network_model, ["P001"], 31.0, 0.91))
    assert ticket is not None
    window._on_watch(WatchOutcome(window.leak_watch.last, None, updated=upd, ticket=ticket))
    return tid, new


def test_the_shown_ticket_takes_the_watchs_new_location_and_says_who_moved_it(window, qtbot):
    tid, new = _ticket_follows(window, qtbot)
    d = window.ticket_detail
    assert d.ticket_id == tid and "31 m" in d.header.text() and "0.91" in d.header.text()
    title = d.header.text().split("<br>")[0]
    assert "（区间 31 m，置信度 0.91）" in title, title  # the title names the new figures, as the board does
    from tests.gui.test_alarm_title_language import _board_text

    assert "（区间 31 m，置信度 0.91）" in _board_text(window, tid)
    assert window.svc.tickets.get(tid).title.count("区间 31 m") == 0  # the stored title stays the record
    rows = [d.timeline.topLevelItem(i) for i in range(d.timeline.topLevelItemCount())]
    last = rows[-1]
    assert rows[0].text(3).startswith("南区疑似泄漏：S3、S4")  # the creation row reads as the ticket was made
    assert last.text(1) == "系统（泄漏监测）" and last.text(3).startswith("引擎定位: ") and "→ 31 m · 0.91" in last.text(3)
    lines = [d.intervals.item(i).text() for i in range(d.intervals.count())]
    assert len(lines) == 2 and "系统（泄漏监测） · 引擎定位: 1 段 · 31 m" in lines[-1]
    assert f"工单 {tid} 的疑似区间已按最新定位更新：31 m · 置信度 0.91" in window.statusBar().currentMessage()


def test_in_english_the_system_and_its_source_are_worded(english, window, qtbot):
    tid, _new = _ticket_follows(window, qtbot)
    d = window.ticket_detail
    last = d.timeline.topLevelItem(d.timeline.topLevelItemCount() - 1)
    assert last.text(1) == "System (leak watch)" and last.text(3).startswith("engine location: ")
    assert window.statusBar().currentMessage().startswith(f"Ticket {tid} took the latest location")
