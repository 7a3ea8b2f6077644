"""Point health: each failure mode lowers the score with its reason; a healthy gauge scores high."""

from __future__ import annotations

import numpy as np

from anran_desktop.ingest.quality import QualitySpec, assess_point, assess_points, maintenance_events, weights

RNG = np.random.default_rng(7)
T = np.arange(0.0, 1800.0, 1.0)
NOW = T[-1] + 1
SPEC = QualitySpec(valid_min=0, valid_max=600)


def healthy() -> np.ndarray:
    return 300 + 2 * np.sin(T / 300) + RNG.normal(0, 0.2, T.size)


def test_healthy_point_is_good():
    h = assess_point("P", T, healthy(), NOW, SPEC, model=300 + 2 * np.sin(T / 300), neighbours=healthy())
    assert h.score == 100 and h.level == "good" and h.reasons == []


def test_each_failure_mode_has_its_reason():
    v = healthy()
    stale = assess_point("P", T, v, NOW + 3600, SPEC)
    assert stale.codes == ["stale"] and stale.level != "good" and "s 前" in stale.reasons[0]
    flat = v.copy()
    flat[-900:] = 301.0
    assert "flat" in assess_point("P", T, flat, NOW, SPEC).codes
    spiky = v.copy()
    spiky[[200, 700, 1300]] += 40
    h = assess_point("P", T, spiky, NOW, SPEC)
    assert h.codes == ["spikes"] and "3 次" in h.reasons[0]
    oor = v.copy()
    oor[-100:] = 700
    assert "out_of_range" in assess_point("P", T, oor, NOW, SPEC).codes
    drift = v + np.linspace(0, 30, T.size)
    h = assess_point("P", T, drift, NOW, SPEC, model=v)
    assert h.codes == ["drift"] and h.score < 80
    h = assess_point("P", T, v + 15, NOW, SPEC, neighbours=v)
    assert "neighbours" in h.codes


def test_drift_and_disagreement_name_the_points_unit():
    v = healthy()
    spec = QualitySpec(valid_min=0, valid_max=600, unit="kPa")
    h = assess_point("P", T, v + 12, NOW, spec, model=v, neighbours=v)
    assert h.codes == ["drift", "neighbours"]
    assert h.reasons == ["偏离模型估计 +12.0 kPa", "与相邻点位不一致（中位差 12.0 kPa）"]
    assert h.params == [{"bias": "+12.0 kPa"}, {"diff": "12.0 kPa"}]


def test_dead_sensor_is_bad_and_suggests_maintenance_not_alarm():
    before = assess_points({"P": (T, healthy())}, NOW, {"P": SPEC})
    dead = np.full(T.size, 0.0)
    after = assess_points({"P": (T, dead)}, NOW + 600, {"P": SPEC}, model={"P": healthy()})
    assert after["P"].level == "bad"
    ev = maintenance_events(before, after)
    assert len(ev) == 1 and ev[0].kind == "maintenance" and ev[0].point == "P" and "僵直" in ev[0].reason
    assert maintenance_events(after, after) == []  # raised once, not on every assessment
    back = maintenance_events(after, before)
    assert back[0].kind == "recovered"
    assert weights(after)["P"] == 0.0 and weights(before)["P"] == 1.0


def test_no_data_scores_zero():
    h = assess_point("P", np.array([]), np.array([]), NOW)
    assert h.score == 0 and h.codes == ["no_data"]
