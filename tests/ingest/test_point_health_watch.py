"""Point health routed into the engine on the demo site: a gauge that flat-lines or jumps raises a
maintenance event and is left out of localization — no leak alarm — while a real leak still raises one."""

from __future__ import annotations

import numpy as np
import pytest

from anran_desktop.services.events import AlarmService, EventService
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.services.live import Ring
from anran_desktop.services.point_health import PointHealthWatch, freeze, health_and_leaks
from anran_desktop.store import open_store
from engine.simulate import ScheduledDemand, ScheduledLeak, parse_time, simulate
from engine.solver import Leak
from tests.boiler_site import with_boiler

T0 = parse_time("2026-11-24T01:00:00Z")
FAULT_AT = T0 + 1800


@pytest.fixture
def site(tmp_path):
    from anran_desktop.resources import demo_site_path
    from engine.geojson_io import load_network

    store = open_store(tmp_path / "anran.sqlite3")
    events = EventService(store)
    yield load_network(demo_site_path()), events, AlarmService(store, events)
    store.close()


def _rings(readings, fault=None, point="PT-04"):
    rings: dict[str, Ring] = {}
    j = readings.points.index(point)
    v = readings.values.copy()
    after = readings.times >= FAULT_AT
    if fault == "flat":  # frozen at the last good value
        v[after, j] = v[~after, j][-1]
    elif fault == "jump":  # the gauge's reading drops by 6 kPa and stays there (damaged / re-zeroed)
        v[after, j] -= 6.0
    for i, t in enumerate(readings.times):
        for k, p in enumerate(readings.points):
            rings.setdefault(p, Ring(3600)).push(float(t), float(v[i, k]))
    return rings


def _maintenance(events):
    return [e for e in events.recent(100) if e.kind == "maintenance"]


@pytest.mark.parametrize("fault", ["flat", "jump"])
def test_faulty_gauge_raises_maintenance_not_a_leak_alarm(site, fault):
    net, events, alarms = site
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    rings = _rings(r, fault)
    now = float(r.times[-1]) + 1
    watch = LeakWatch(net, alarms)
    health_watch = PointHealthWatch(net, events, locator=watch.locator)
    health, outcome = health_and_leaks(health_watch, watch, freeze(rings), now)
    h = health["PT-04"]
    assert h.level == "bad", h
    assert ("flat" if fault == "flat" else "drift") in h.codes
    if fault == "jump":
        assert h.params[h.codes.index("drift")]["bias"].endswith(" kPa")  # a gauge's drift is in kPa
    others = {p: x for p, x in health.items() if p != "PT-04"}
    assert all(x.level == "good" for x in others.values()), others
    ev = _maintenance(events)
    assert len(ev) == 1 and ev[0].severity == "warning" and ev[0].location == {"sensors": ["PT-04"]}
    assert "PT-04" in ev[0].title and h.reasons[0] in ev[0].title
    # The engine ran without the faulty gauge and raised nothing.
    assert outcome.result is not None and not outcome.result.leak_detected
    assert alarms.active() == [] and outcome.alarm is None
    assert "PT-04" not in watch.readings_from_rings(rings, now, health=health).points
    # The same fault does not raise a second maintenance event on the next run.
    health_and_leaks(health_watch, watch, freeze(rings), now + 20)
    assert len(_maintenance(events)) == 1
    if fault == "jump":
        # Fed to the engine, the jumped gauge would have looked like a leak: the routing is what stops it.
        assert watch.locator.locate(watch.readings_from_rings(rings, now)).leak_detected


def test_real_leak_still_raises_its_alarm_and_no_maintenance(site):
    net, events, alarms = site
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), FAULT_AT)], seed=11, start=T0, interval_s=20)
    watch = LeakWatch(net, alarms)
    hw = PointHealthWatch(net, events, locator=watch.locator)
    end = float(r.times[-1]) + 1
    raised = []
    for now in np.arange(end - LeakWatch.CONFIRM_S, end + 1, 30.0):  # the desktop checks every 30 s
        health, outcome = health_and_leaks(hw, watch, freeze(_rings(r)), float(now))
        raised += [outcome.alarm] if outcome.alarm is not None else []
    assert all(h.level == "good" for h in health.values()), health
    assert _maintenance(events) == []
    assert len(raised) == 1 and raised[0].kind == "leak_suspected"


def test_recovered_gauge_gets_an_info_event(site):
    net, events, alarms = site
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    watch = LeakWatch(net, alarms)
    hw = PointHealthWatch(net, events, locator=watch.locator)
    now = float(r.times[-1]) + 1
    health_and_leaks(hw, watch, freeze(_rings(r, "flat")), now)
    health_and_leaks(hw, watch, freeze(_rings(r)), now)
    ev = _maintenance(events)
    assert [e.severity for e in ev] == ["info", "warning"] and "恢复" in ev[0].title


def test_bad_inflow_meter_does_not_make_every_gauge_look_drifted(site):
    net, events, alarms = site
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    rings = _rings(r, "flat", point="FT-IN")
    watch = LeakWatch(net, alarms)
    health, outcome = health_and_leaks(PointHealthWatch(net, events, locator=watch.locator), watch, freeze(rings),
                                       float(r.times[-1]) + 1)
    assert health["FT-IN"].level == "bad"
    assert all(h.level == "good" for p, h in health.items() if p != "FT-IN")
    assert outcome.result is None and "inlet flow" in outcome.message  # no localization without the inflow
    assert alarms.active() == [] and [e.location["sensors"] for e in _maintenance(events)] == [["FT-IN"]]


def test_suspect_points_are_down_weighted_and_the_leak_watch_passes_it_to_the_engine(site, monkeypatch):
    from anran_desktop.ingest.quality import PointHealth
    from anran_desktop.services.point_health import SUSPECT_SIGMA_KPA, suspect_sigmas

    health = {"PT-01": PointHealth("PT-01", 100.0, "good"), "PT-04": PointHealth("PT-04", 60.0, "degraded"),
              "PT-05": PointHealth("PT-05", 10.0, "bad")}
    assert suspect_sigmas(health) == {"PT-04": SUSPECT_SIGMA_KPA}
    net, events, alarms = site
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    watch = LeakWatch(net, alarms)
    hw = PointHealthWatch(net, events, locator=watch.locator)
    monkeypatch.setattr(hw, "assess", lambda series, now: health)
    seen = {}
    real = watch.locator.locate
    monkeypatch.setattr(watch.locator, "locate", lambda rd, ev=(), **kw: seen.update(points=rd.points, **kw) or real(rd, ev, **kw))
    health_and_leaks(hw, watch, freeze(_rings(r)), float(r.times[-1]) + 1)
    assert seen["point_sigma_kpa"] == {"PT-04": SUSPECT_SIGMA_KPA}
    assert "PT-05" not in seen["points"] and "PT-04" in seen["points"]  # bad left out, suspect kept


def test_a_boiler_house_meter_at_zero_is_live_and_its_switching_on_raises_nothing(site, monkeypatch):
    """A consumer's own meter reads a flat 0 while its boiler house is off: no maintenance event. When the
    boiler house starts, its meter explains the new withdrawal: no leak alarm — fed without the meter, the
    same readings raise one."""
    from anran_desktop.services import site_confidence

    def no_calibration(*_a, **_k):  # this network has no stored calibration: none is computed here (minutes
        raise RuntimeError("not calibrated in this test")  # of CPU in a thread that outlives the test)

    monkeypatch.setattr(site_confidence, "calibrate_site", no_calibration)
    net, events, alarms = site
    net = with_boiler(net)
    r = simulate(net, 60, seed=12, start=T0, interval_s=20,
                 demand_steps=[ScheduledDemand("BH", 0.12 * net.total_demand_m3h, FAULT_AT)])
    rings = _rings(r)
    assert np.all(r.column("FT-BH")[r.times < FAULT_AT] == 0.0)

    def watch_it(rings):
        watch = LeakWatch(net, alarms)
        hw = PointHealthWatch(net, events, locator=watch.locator)
        end = float(r.times[-1]) + 1
        raised = []
        for now in np.arange(end - LeakWatch.CONFIRM_S, end + 1, 60.0):  # a check a minute
            health, outcome = health_and_leaks(hw, watch, freeze(rings), float(now))
            raised += [outcome.alarm] if outcome.alarm is not None else []
        return health, raised

    # at the start the meter has read 0 for half an hour: live, not stuck
    early = {p: ring for p, ring in _rings(simulate(net, 30, seed=12, start=T0, interval_s=20)).items()}
    hw = PointHealthWatch(net, events)
    assert hw.assess({p: ring.arrays() for p, ring in early.items()}, T0 + 1801)["FT-BH"].level == "good"
    health, raised = watch_it(rings)
    assert all(h.level == "good" for h in health.values()), health
    assert _maintenance(events) == [] and raised == []
    health, raised = watch_it({p: ring for p, ring in rings.items() if p != "FT-BH"})
    assert len(raised) == 1 and raised[0].kind == "leak_suspected"


def test_a_flat_zero_is_still_stuck_on_an_inlet_meter():
    from anran_desktop.ingest.quality import QualitySpec, assess_points

    t = np.arange(0.0, 900.0, 10.0)
    series = {"X": (t, np.zeros_like(t))}
    assert assess_points(series, 901.0, {"X": QualitySpec(expected_interval_s=10)})["X"].level == "bad"
    assert assess_points(series, 901.0, {"X": QualitySpec(expected_interval_s=10, zero_is_live=True)})["X"].level == "good"
    ones = {"X": (t, np.ones_like(t))}  # stuck at a value that is not 0: still stuck
    assert assess_points(ones, 901.0, {"X": QualitySpec(expected_interval_s=10, zero_is_live=True)})["X"].level == "bad"
