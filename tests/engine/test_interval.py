"""The output interval's two rules (engine.interval): fixed mass and the calibrated density level."""

import numpy as np
import pytest

from engine.interval import IntervalRule, interval, level_for_mass

LENGTHS = np.array([100.0, 50.0, 200.0, 25.0, 400.0, 25.0])


def test_fixed_mass_is_the_shortest_set_holding_the_mass():
    prob = np.array([0.30, 0.25, 0.20, 0.10, 0.10, 0.05])
    chosen, mass = interval(prob, LENGTHS, IntervalRule(confidence=0.8))
    # Densest first: pipe 3 (0.004/m), 1 (0.005/m)… order by density: 1 (.005), 3 (.004), 0 (.003), 5 (.002), 2 (.001)
    assert chosen.tolist() == [1, 3, 0, 5, 2]
    assert mass == pytest.approx(0.90)
    # Without the last pipe it would hold less than asked.
    assert mass - prob[chosen[-1]] < 0.8


def test_density_level_gives_a_sharp_posterior_a_short_interval_holding_nearly_everything():
    sharp = np.array([0.97, 0.01, 0.01, 0.0, 0.01, 0.0])
    vague = np.array([0.2, 0.1, 0.3, 0.05, 0.3, 0.05])
    rule = IntervalRule(density_level=1.5, min_confidence=0.3)
    s_pipes, s_mass = interval(sharp, LENGTHS, rule)
    v_pipes, v_mass = interval(vague, LENGTHS, rule)
    assert s_pipes.tolist() == [0] and s_mass == pytest.approx(0.97)
    # Every pipe above 1.5 × the uniform density (1/800 m) is in, none below; it states what it holds.
    uniform = 1 / LENGTHS.sum()
    dens = vague / LENGTHS
    assert set(v_pipes.tolist()) == set(np.flatnonzero(dens >= 1.5 * uniform).tolist()) == {0, 1, 3, 5}
    assert v_mass == pytest.approx(0.4)


def test_density_level_never_holds_less_than_the_floor():
    flat = LENGTHS / LENGTHS.sum()  # uniform density: nothing is above twice it
    chosen, mass = interval(flat, LENGTHS, IntervalRule(density_level=2.0, min_confidence=0.6))
    assert mass >= 0.6 and mass - flat[chosen[-1]] < 0.6


def test_level_for_mass_makes_the_intervals_hold_the_target_on_average():
    rng = np.random.default_rng(3)
    lengths = rng.uniform(20, 200, 300)
    probs = []
    for _ in range(40):
        logits = rng.normal(0, rng.uniform(0.5, 4.0), 300)  # some sharp, some vague posteriors
        p = np.exp(logits - logits.max())
        probs.append(p / p.sum())
    lam = level_for_mass(probs, lengths, 0.93)
    rule = IntervalRule(density_level=lam)
    masses = [interval(p, lengths, rule)[1] for p in probs]
    assert np.mean(masses) == pytest.approx(0.93, abs=0.01)
    # The sharpest posteriors hold more than the vaguest ones.
    spread = [float(-np.sum(p * np.log(p + 1e-300))) for p in probs]
    order = np.argsort(spread)
    assert np.mean(np.array(masses)[order[:10]]) > np.mean(np.array(masses)[order[-10:]])


@pytest.mark.parametrize("kw", [{"confidence": 0.0}, {"confidence": 1.5}, {"density_level": -1.0},
                                {"density_level": float("nan")}, {"min_confidence": 2.0}])
def test_bad_rules_are_refused(kw):
    with pytest.raises(ValueError):
        IntervalRule(**kw)


def test_quoted_confidence_rounds_down_never_up_to_certainty():
    from engine.interval import quoted

    assert quoted(0.996) == 0.99 and f"{quoted(0.996):.0%}" == "99%"  # not "100%": the interval is not certain
    assert quoted(0.94) == 0.94 and quoted(0.949) == 0.94  # exact values survive float noise; no rounding up
    assert quoted(0.9966, 3) == 0.996 and quoted(1.0) == 1.0


def test_the_json_result_never_rounds_a_confidence_up_to_certainty():
    from engine.locate import LocateResult

    r = LocateResult(True, "2026-11-24T01:30:00Z", 30.0, ["P1"], 120.0, 0.99996, [])
    assert r.to_json()["interval"]["confidence"] == 0.9999
