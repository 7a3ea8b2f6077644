import json
import subprocess
import sys

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.locate import LocateError, Locator, OdorReport, ValveTest
from engine.simulate import ScheduledLeak, parse_time, simulate
from engine.solver import Leak

T0 = parse_time("2026-11-24T01:00:00Z")


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


@pytest.fixture(scope="module")
def locator(net):
    return Locator(net)


def _s4(net):
    return [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]


def test_a_leak_on_the_nanqu_branch_is_detected_and_located(net, locator):
    pipe = _s4(net)
    r = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 1800)], seed=11, start=T0)
    res = locator.locate(r)
    assert res.leak_detected
    assert res.onset == "2026-11-24T01:30:00Z"
    assert pipe in res.interval_pipes
    assert res.interval_length_m < 0.1 * net.total_length_m
    assert res.leak_m3h == pytest.approx(30.0, rel=0.5)
    assert res.candidates[0].probability >= res.candidates[-1].probability
    assert sum(res.pipe_probability.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_leak_means_no_alarm(net, locator, seed):
    res = locator.locate(simulate(net, 60, seed=seed, start=T0))
    assert not res.leak_detected and res.interval_pipes == [] and res.onset is None


def test_a_demand_swing_is_not_a_leak(net, locator):
    from engine.simulate import LiveSimulator, Readings

    sim = LiveSimulator(net, seed=4, start_time=T0, resolve_s=0.0)
    times = T0 + np.arange(0, 3600, 60.0)
    rows = []
    for t in times:
        if t >= T0 + 1800:  # every consumer +5 %: a cold snap, not a leak
            sim.nominal = np.array([net.nodes[c].demand_m3h for c in sim.consumers]) * 1.05
        rows.append(dict((p, v) for p, _q, v in sim.step(float(t))))
    points = list(net.sensors)
    r = Readings(times, points, [net.sensors[p].quantity for p in points],
                 np.array([[row[p] for p in points] for row in rows]))
    assert not locator.locate(r).leak_detected


def test_evidence_narrows_the_interval(net, locator):
    pipe = _s4(net)
    r = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 25.0), T0 + 1800)], seed=12, start=T0)
    plain = locator.locate(r)
    node = net.pipes[pipe].to_node
    odor = locator.locate(r, [OdorReport(node=node)])
    assert odor.pipe_probability[pipe] > plain.pipe_probability[pipe]
    # Closing the valves around S4 isolated it and the pressures came back: the leak is in S4.
    valve = locator.locate(r, [OdorReport(node=node), ValveTest(("V-S3S4", "V-S4S5"), True)])
    assert pipe in valve.interval_pipes
    assert valve.interval_length_m < plain.interval_length_m


def test_readings_without_an_inlet_meter_are_refused(net, locator):
    r = simulate(net, 20, seed=1, start=T0)
    keep = [i for i, p in enumerate(r.points) if p != "FT-IN"]
    r.points = [r.points[i] for i in keep]
    r.quantities = [r.quantities[i] for i in keep]
    r.values = r.values[:, keep]
    with pytest.raises(LocateError, match="inlet flow"):
        locator.locate(r)


def test_locate_cli_prints_the_documented_json(tmp_path, net):
    readings = tmp_path / "r.csv"
    simulate(net, 60, leaks=[ScheduledLeak(Leak(_s4(net), 30.0), T0 + 1800)], seed=11, start=T0).write_csv(readings)
    res = subprocess.run([sys.executable, "-m", "anran_desktop", "locate", str(demo_site_path()), str(readings)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"leak_detected", "detected_by", "onset", "leak_m3h", "interval", "candidates"}
    assert out["leak_detected"] is True and out["detected_by"] == "pressure" and set(out["interval"]) == {"pipes", "length_m", "confidence"}
    assert {"pipe", "position_m", "probability"} == set(out["candidates"][0])
    bad = subprocess.run([sys.executable, "-m", "anran_desktop", "locate", str(demo_site_path()), str(tmp_path / "no.csv")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "no.csv" in bad.stderr


def test_no_leak_model_follows_the_quadratic_growth_of_pressure_drops(net, locator):
    # At twice the nominal demand, interpolating between solved levels must match a direct solve,
    # where a model linear around nominal demand would be off by about the nominal drop itself.
    nodes = [s.node for s in net.sensors.values() if s.quantity == "pressure_kpa"]
    direct = engine.solve(net, demand_scale=2.0)
    model = locator.no_leak_pressures(nodes, np.array([2.0 * net.total_demand_m3h]))[0]
    want = np.array([direct.pressure_kpa[n] for n in nodes])
    assert np.max(np.abs(model - want)) < 0.01


def test_confidence_calibration_picks_a_temperature_that_covers(net):
    from engine.confidence import calibrate_temperature, leak_cases

    loc = Locator(net)
    cases = leak_cases(net, 6, seed=5, minutes=30, rate_frac=(0.08, 0.10))
    rep = calibrate_temperature(loc, cases, temperatures=(0.5, 1.0, 2.0))
    assert rep.temperature == loc.settings.temperature
    assert rep.temperature in (0.5, 1.0, 2.0) and len(rep.table) == 3
    # A hotter posterior spreads its mass over more pipes: on these cases coverage does not fall with it.
    covs = [c for _t, c, _m in rep.table]
    assert covs == sorted(covs)


def test_density_calibration_sets_a_level_whose_intervals_hold_the_target_on_average(net):
    from engine.confidence import calibrate_temperature, leak_cases

    loc = Locator(net)
    cases = leak_cases(net, 8, seed=6, minutes=30, rate_frac=(0.06, 0.10))
    rep = calibrate_temperature(loc, cases, temperatures=(0.5, 1.0), target_mass=0.9)
    assert rep.density_level > 0 and loc.settings.density_level == rep.density_level
    assert loc.settings.temperature == rep.temperature
    assert rep.mean_confidence == pytest.approx(0.9, abs=0.03)
    # Applied: the localizer's intervals now follow the level (every pipe above it is in).
    res = loc.locate(cases[0].readings)
    if res.leak_detected:
        uniform = 1 / loc.pipe_lengths.sum()
        above = {p for p, pr in res.pipe_probability.items()
                 if pr / max(net.pipes[p].length_m, 1.0) >= rep.density_level * uniform}
        assert above <= set(res.interval_pipes)


def test_locate_cli_takes_the_sites_calibrated_temperature(tmp_path, net):
    """--calibrations with the shipped file states the calibrated confidence; an unknown network says so."""
    from anran_desktop.services.site_confidence import bundled_path
    from engine.confidence import load_calibrations, network_fingerprint

    shipped = bundled_path()
    cal = load_calibrations(shipped)[network_fingerprint(net)]
    readings = tmp_path / "r.csv"
    simulate(net, 60, leaks=[ScheduledLeak(Leak(_s4(net), 30.0), T0 + 1800)], seed=11, start=T0).write_csv(readings)

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "anran_desktop", "locate", str(demo_site_path()), str(readings),
                               *extra], capture_output=True, text=True, timeout=120)

    calibrated = run("--calibrations", str(shipped))
    explicit = run("--temperature", str(cal.temperature), "--density-level", str(cal.density_level))
    assert calibrated.returncode == 0 and explicit.returncode == 0, calibrated.stderr + explicit.stderr
    assert json.loads(calibrated.stdout) == json.loads(explicit.stdout)
    assert cal.temperature != 1.0 and json.loads(calibrated.stdout) != json.loads(run().stdout)
    # The shipped calibration uses the density-level interval; --confidence asks for the fixed-mass one.
    assert cal.density_level > 0
    fixed = json.loads(run("--calibrations", str(shipped), "--confidence", "0.9").stdout)
    assert fixed["interval"]["confidence"] >= 0.9 and fixed != json.loads(calibrated.stdout)
    both = run("--confidence", "0.9", "--density-level", "3")
    assert both.returncode != 0 and "not both" in both.stderr
    other = tmp_path / "other.json"
    other.write_text("{}", encoding="utf-8")
    unknown = run("--calibrations", str(other))
    assert unknown.returncode == 0 and "no calibration for this network" in unknown.stderr
    assert "older localizer" not in calibrated.stderr
    # A calibration made by the localizer before (method 1) is used, with a warning to recalibrate.
    old = tmp_path / "old.json"
    old.write_text(json.dumps({cal.fingerprint: {**cal.__dict__, "method": 1}}), encoding="utf-8")
    stale = run("--calibrations", str(old))
    assert stale.returncode == 0 and "older localizer" in stale.stderr and "recalibrate" in stale.stderr
    assert json.loads(stale.stdout) == json.loads(calibrated.stdout)
    bad = run("--temperature", "-1")
    assert bad.returncode != 0 and "--temperature" in bad.stderr


def test_a_doubtful_point_given_a_larger_sigma_counts_less(net, locator):
    """A gauge that steps by −3 kPa with no leak alarms at full weight; given a 3 kPa σ it does not,
    while a real leak seen by the other gauges is still found with that gauge down-weighted."""
    r = simulate(net, 60, seed=5, start=T0)
    j = r.points.index("PT-04")
    r.values[30:, j] -= 3.0
    assert locator.locate(r).leak_detected
    assert not locator.locate(r, point_sigma_kpa={"PT-04": 3.0}).leak_detected
    pipe = _s4(net)
    leak = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 1800)], seed=11, start=T0)
    far = next(p for p in leak.points if p.startswith("PT-") and p not in ("PT-04", "PT-05"))
    res = locator.locate(leak, point_sigma_kpa={far: 3.0})
    assert res.leak_detected and pipe in res.interval_pipes
    with pytest.raises(LocateError, match="point_sigma_kpa"):
        locator.locate(leak, point_sigma_kpa={"PT-04": -1.0})


def test_an_onset_needs_min_after_readings_after_it(net, locator):
    """No onset is put fewer than ``min_after`` readings before the end of the window (two or three readings of
    sensor and meter noise alone can look like a step); a leak that young is judged on the last five readings."""
    from engine.locate import LocateSettings

    pipe = _s4(net)
    young = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 58 * 60)], seed=11, start=T0)  # 61 readings
    assert len(young.times) == 61
    loose = Locator(net, LocateSettings(min_after=2)).locate(young)
    assert loose.leak_detected and loose.onset == "2026-11-24T01:58:00Z"
    strict = locator.locate(young)  # min_after = 5: the split can be no later than 01:56
    assert strict.statistic < loose.statistic
    assert not strict.leak_detected or strict.onset <= "2026-11-24T01:56:00Z"
    held = simulate(net, 60, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 54 * 60)], seed=11, start=T0)
    res = locator.locate(held)
    assert res.leak_detected and res.onset == "2026-11-24T01:54:00Z"
    with pytest.raises(LocateError, match="at least 10 complete readings"):
        locator.locate(simulate(net, 8, seed=1, start=T0))
