"""Metered consumers: a boiler house with its own meter switching on is no leak; without the meter it is."""

import json
import subprocess
import sys

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.consumer_meters import consumer_meters
from engine.locate import LocateSettings, Locator, inflow_sensors
from engine.network import Sensor
from engine.simulate import (
    LiveSimulator,
    Readings,
    ScheduledDemand,
    ScheduledLeak,
    parse_demand_step,
    parse_time,
    simulate,
)
from engine.solver import Leak
from tests.boiler_site import with_boiler

T0 = parse_time("2026-11-24T02:00:00Z")  # 10:00 local
ONSET = T0 + 20 * 60


@pytest.fixture(scope="module")
def site():
    net = with_boiler(engine.load_network(demo_site_path()))
    return net, Locator(net, LocateSettings(meter_detect=True))


def _drop(r: Readings, point: str) -> Readings:
    keep = [j for j, p in enumerate(r.points) if p != point]
    return Readings(r.times, [r.points[j] for j in keep], [r.quantities[j] for j in keep], r.values[:, keep])


def test_a_flow_sensor_on_a_dead_ends_pipe_is_that_consumers_meter_either_way_round():
    net = with_boiler(engine.load_network(demo_site_path()))
    (cm,) = consumer_meters(net)
    assert (cm.sensor, cm.node, cm.sign) == ("FT-BH", "BH", 1.0)
    assert "FT-BH" not in inflow_sensors(net) and all(s not in {c.sensor for c in consumer_meters(net)}
                                                       for s in inflow_sensors(net))
    back = with_boiler(engine.load_network(demo_site_path()), reverse=True)
    (cm,) = consumer_meters(back)
    assert (cm.node, cm.sign) == ("BH", -1.0)
    # a flow sensor between two junctions that carry on is no consumer's meter
    mid = next(p for p in net.pipes.values() if p.kind == "pipe" and p.from_node.startswith("N0")
               and p.to_node.startswith("N0") and p.id != "BH-P")
    net.sensors["FT-X"] = Sensor("FT-X", "flow_m3h", 0, 0, pipe=mid.id)
    assert [c.sensor for c in consumer_meters(net)] == ["FT-BH"]


def test_the_simulators_demand_step_shows_in_the_consumers_meter_and_the_inflow(site):
    net, _loc = site
    r = simulate(net, 40, seed=2, start=T0, demand_steps=[ScheduledDemand("BH", 60.0, ONSET)])
    bh = r.column("FT-BH")
    assert np.abs(bh[:20]).max() < 1e-6 and bh[21:].mean() == pytest.approx(60.0, rel=0.02)
    quiet = simulate(net, 40, seed=2, start=T0)
    assert (r.column("FT-IN") - quiet.column("FT-IN"))[21:].mean() == pytest.approx(60.0, rel=0.05)
    sim = LiveSimulator(net)
    with pytest.raises(ValueError, match="not a consumer node"):
        sim.add_demand_step(ScheduledDemand("SRC-1" if "SRC-1" in net.nodes else net.sources[0].id, 5.0, T0))


def test_a_boiler_house_switching_on_alarms_without_its_meter_and_not_with_it(site):
    net, loc = site
    r = simulate(net, 45, seed=5, start=T0, demand_steps=[ScheduledDemand("BH", 0.12 * net.total_demand_m3h, ONSET)])
    bare = loc.locate(_drop(r, "FT-BH"))
    assert bare.leak_detected  # what the localizer did before: a new withdrawal at one place is a leak
    metered = loc.locate(r)
    assert not metered.leak_detected, metered.statistic
    assert metered.statistic < 0.5 * metered.threshold
    # switching off again is explained as well
    off = simulate(net, 45, seed=6, start=T0, demand_steps=[ScheduledDemand("BH", 50.0, T0 - 3600),
                                                             ScheduledDemand("BH", -50.0, ONSET)])
    assert not loc.locate(off).leak_detected


def test_at_night_the_inlet_meters_rise_is_no_leak_when_the_boiler_house_metered_it(site):
    net, loc = site
    night = parse_time("2026-11-24T19:00:00Z")  # 03:00 local
    r = simulate(net, 45, seed=7, start=night,
                 demand_steps=[ScheduledDemand("BH", 0.06 * net.total_demand_m3h, night + 20 * 60)])
    assert loc.locate(_drop(r, "FT-BH")).leak_detected
    assert not loc.locate(r).leak_detected


def test_a_leak_is_still_found_while_a_metered_boiler_house_switches_on_and_its_rate_is_the_leaks(site):
    net, loc = site
    rate = 0.08 * net.total_demand_m3h
    leak = ScheduledLeak(Leak("P039", rate), ONSET)
    r = simulate(net, 45, seed=8, start=T0, leaks=[leak],
                 demand_steps=[ScheduledDemand("BH", 0.10 * net.total_demand_m3h, T0 + 30 * 60)])
    res = loc.locate(r)
    assert res.leak_detected and "P039" in res.interval_pipes
    assert res.leak_m3h == pytest.approx(rate, rel=0.3)


def test_a_consumer_meter_with_a_gap_is_left_out_not_the_window(site):
    net, loc = site
    r = simulate(net, 45, seed=9, start=T0)
    r.values[10, r.points.index("FT-BH")] = np.nan
    res = loc.locate(r)  # no LocateError: the boiler house is then modelled as any consumer
    assert not res.leak_detected


def test_parse_demand_step_names_what_is_wrong(site):
    net, _loc = site
    assert parse_demand_step("BH:40@20", net, T0 + 600, T0) == ScheduledDemand("BH", 40.0, T0 + 1200)
    assert parse_demand_step("BH:-40", net, T0 + 600, T0) == ScheduledDemand("BH", -40.0, T0 + 600)
    with pytest.raises(ValueError, match="NODE:M3H"):
        parse_demand_step("BH", net, T0, T0)
    with pytest.raises(ValueError, match="no consumer node 'NOPE'"):
        parse_demand_step("NOPE:4", net, T0, T0)
    with pytest.raises(ValueError, match="non-zero"):
        parse_demand_step("BH:0", net, T0, T0)


def test_simulate_and_locate_on_the_command_line_with_a_metered_boiler_house(tmp_path):
    net = with_boiler(engine.load_network(demo_site_path()))
    path = tmp_path / "site.geojson"
    engine.save_network(net, path)
    out = tmp_path / "r.csv"
    cmd = [sys.executable, "-m", "anran_desktop", "simulate", str(path), "--consumer-step",
           f"BH:{0.12 * net.total_demand_m3h:.1f}@20", "--minutes", "45", "--seed", "5", "--start",
           "2026-11-24T02:00:00Z", "--out", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["consumer_steps"] == [{"node": "BH", "m3h": round(0.12 * net.total_demand_m3h, 1),
                                        "onset": "2026-11-24T02:20:00Z"}]
    locate = [sys.executable, "-m", "anran_desktop", "locate", str(path)]
    metered = subprocess.run(locate + [str(out)], capture_output=True, text=True, timeout=180)
    assert metered.returncode == 0, metered.stderr
    assert json.loads(metered.stdout)["leak_detected"] is False
    bare = tmp_path / "bare.csv"
    bare.write_text("".join(line for line in out.read_text().splitlines(keepends=True) if ",FT-BH," not in line))
    unmetered = subprocess.run(locate + [str(bare)], capture_output=True, text=True, timeout=180)
    assert json.loads(unmetered.stdout)["leak_detected"] is True
    bad_cmd = [c if not c.startswith("BH:") else "NOPE:5" for c in cmd]
    bad = subprocess.run(bad_cmd, capture_output=True, text=True, timeout=180)
    assert bad.returncode != 0 and "no consumer node 'NOPE'" in bad.stderr
