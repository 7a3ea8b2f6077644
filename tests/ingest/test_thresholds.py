"""Baseline threshold / rate-of-change alarms and their comparison with a known event."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from anran_desktop.ingest.thresholds import ThresholdRule, compare, evaluate

T = np.arange(0.0, 3600.0, 1.0)


def test_low_alarm_with_hysteresis_and_delay():
    v = np.full(T.size, 300.0)
    v[1000:1010] = 240  # brief dip: shorter than the delay
    v[2000:2500] = 240  # real drop
    v[2500:2510] = 252  # back above low but within hysteresis: still in alarm
    rule = ThresholdRule(point="P", low=250, hysteresis=5, delay_s=30)
    alarms = evaluate(rule, T, v)
    assert len(alarms) == 1
    a = alarms[0]
    assert a.kind == "low" and a.start == 2030 and a.end == 2510 and a.extreme == 240


def test_high_alarm_still_active_at_end():
    v = np.full(T.size, 300.0)
    v[3000:] = 420
    a = evaluate(ThresholdRule(point="P", high=400), T, v)
    assert len(a) == 1 and a[0].kind == "high" and a[0].start == 3000 and a[0].end is None


def test_rate_of_change_alarm_and_comparison():
    v = np.full(T.size, 300.0)
    v[1800:1830] = 300 - np.arange(30) * 1.0  # 30 kPa in 30 s
    v[1830:] = 270
    v[600] = 330  # a one-sample glitch trips the windowed rate rule twice (in, and out a window later)
    alarms = evaluate(ThresholdRule(point="P", rate_per_min=10), T, v)
    kinds = [a.kind for a in alarms]
    assert kinds == ["rate", "rate", "rate"] and [a.start for a in alarms[:2]] == [600, 660]
    cmp_ = compare(alarms, onset=1800)
    assert cmp_.detected and cmp_.detection_delay_s == pytest.approx(alarms[2].start - 1800)
    assert cmp_.detection_delay_s < 20 and cmp_.false_alarms == 2
    assert compare(alarms, onset=None).false_alarms == 3
    assert not compare([], onset=1800).detected


def test_rule_validation():
    with pytest.raises(ValidationError):
        ThresholdRule(point="P", rate_per_min=-1)


def test_baseline_rules_on_the_demo_site_detect_a_big_leak_and_not_a_quiet_day():
    from anran_desktop.ingest.thresholds import evaluate_all, rules_from_baseline
    from anran_desktop.resources import demo_site_path
    from engine.geojson_io import load_network
    from engine.simulate import simulate
    from engine.solver import Leak

    net = load_network(demo_site_path())
    inlet = sum(n.demand_m3h for n in net.nodes.values())
    pipe = "V-S3S4"  # the 南区 branch between S3 and S4
    from engine.simulate import ScheduledLeak, parse_time

    start = parse_time("2026-11-24T02:00:00Z")
    onset = start + 90 * 60
    quiet = simulate(net, 180, seed=5, start=start, interval_s=60)
    leak = simulate(net, 180, seed=5, start=start, interval_s=60,
                    leaks=[ScheduledLeak(Leak(pipe, 0.5 * inlet), onset)])

    def as_series(r, until=None):
        out = {}
        for j, p in enumerate(r.points):
            if r.quantities[j] != "pressure_kpa":
                continue
            keep = r.times < until if until else np.ones(r.times.size, bool)
            out[p] = (r.times[keep], r.values[keep, j])
        return out

    rules = rules_from_baseline(as_series(quiet, start + 60 * 60), low_margin=1.0, delay_s=120)
    assert rules and all(r.low is not None for r in rules)
    assert evaluate_all(rules, as_series(quiet)) == []  # a quiet night: no alarm
    alarms = evaluate_all(rules, as_series(leak))
    res = compare(alarms, onset)
    assert res.detected and res.false_alarms == 0 and res.detection_delay_s <= 600
