"""The leak watch alarms a leak the gauges cannot show from the inlet meter's rise alone (a leak at night,
when the flows are small), and its title says so in either language."""

from __future__ import annotations

import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_title import stored_title
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.store import open_store
from engine.simulate import ScheduledLeak, parse_time, simulate

NIGHT = parse_time("2026-11-23T18:30:00Z")  # 02:30 at the demo site


@pytest.fixture
def watch(tmp_path):
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    w = LeakWatch(net, AlarmService(store), confirm_s=0)
    assert w.confidence.calibrated(timeout=30) is not None
    yield w, net
    store.close()


def _series(net, leak: bool, seed: int = 5):  # noqa: ANN001, ANN202
    leaks = [ScheduledLeak(engine.Leak("P039", 0.07 * net.total_demand_m3h), NIGHT + 40 * 60)] if leak else []
    r = simulate(net, 80, leaks=leaks, seed=seed, start=NIGHT, interval_s=10)
    return {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}


def test_a_night_leak_the_gauges_miss_raises_an_alarm_that_says_the_meter_found_it(watch):
    w, net = watch
    quiet = w.check(w.readings_from_series(_series(net, False), NIGHT + 50 * 60))
    assert not quiet.result.leak_detected and quiet.alarm is None
    out = w.check(w.readings_from_series(_series(net, True), NIGHT + 50 * 60))
    assert out.alarm is not None and out.result.detected_by == "meter"
    alarm = out.alarm
    assert alarm.detail["detected_by"] == "meter" and alarm.detail["meter_step_m3h"] > 0.05 * net.total_demand_m3h
    assert alarm.detail["title_parts"]["basis"] == "meter"
    assert "仅进站流量上升" in alarm.title and alarm.title == stored_title(alarm.detail["title_parts"])
    assert "P039" in alarm.location["interval"]["pipes"] and alarm.location["interval"]["basis"] == "meter"


def test_the_meter_note_reads_in_both_languages(qapp):
    from widgets.event_feed import leak_title

    parts = {"areas": ["北区"], "places": ["S1"], "calibration": "pending", "basis": "meter", "length_m": "1500",
             "confidence": "0.90"}
    assert leak_title(parts) == stored_title(parts) == "北区疑似泄漏：S1（区间 1500 m，置信度 0.90，仅进站流量上升，置信度校准中）"


def test_the_meter_note_reads_in_english(english):
    from widgets.event_feed import leak_title

    parts = {"areas": ["North"], "places": ["S1"], "calibration": "", "basis": "meter", "length_m": "1500",
             "confidence": "0.90"}
    assert "inlet flow rise only" in leak_title(parts)
