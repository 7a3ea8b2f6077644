"""The posterior temperature rule: isotonic coverage curve, Wilson margin, fallback to the least gap."""

import pytest

from engine.confidence import choose_temperature, isotonic, wilson_lower


def test_isotonic_fit_is_non_decreasing_and_keeps_the_mean():
    values = [0.5, 0.7, 0.6, 0.9, 0.85, 1.0]
    fit = isotonic(values)
    assert fit == sorted(fit) and len(fit) == len(values)
    assert sum(fit) == pytest.approx(sum(values))
    assert fit[1] == fit[2] == pytest.approx(0.65)
    assert isotonic([0.1, 0.2, 0.3]) == [0.1, 0.2, 0.3]


def test_wilson_lower_bound_shrinks_with_fewer_cases_and_more_margin():
    assert wilson_lower(0.95, 60, 1.0) < 0.95
    assert wilson_lower(0.95, 30, 1.0) < wilson_lower(0.95, 300, 1.0)
    assert wilson_lower(0.95, 60, 2.0) < wilson_lower(0.95, 60, 1.0)
    assert wilson_lower(1.0, 60, 1.0) < 1.0
    assert wilson_lower(0.5, 0, 1.0) == 0.0


def test_a_lucky_point_of_a_noisy_curve_is_not_chosen():
    # (temperature, coverage, stated confidence, detected cases): at 0.5 the 60 calibration cases happened to
    # cover 0.92 ≈ the stated 0.91, but 0.6 covers less; the old rule (least gap) took 0.5, which covered
    # 0.86 out of sample on the meshed grid. The margin rule needs the smoothed curve's lower bound ≥ 0.9.
    rows = [(0.4, 0.85, 0.91, 60), (0.5, 0.92, 0.91, 60), (0.6, 0.90, 0.91, 60), (0.75, 0.95, 0.91, 60),
            (1.0, 0.97, 0.91, 60), (1.25, 1.0, 0.91, 60)]
    assert choose_temperature(rows, 0.9, margin_z=0.0)[0] == 0.5
    chosen = choose_temperature(rows, 0.9, margin_z=1.0)
    assert chosen == (0.75, 0.95, 0.91, 60)  # Wilson lower bound of 0.95 on 60 cases: 0.914
    assert wilson_lower(0.92, 60, 1.0) < 0.9 <= wilson_lower(0.95, 60, 1.0)


def test_a_spike_before_a_dip_is_smoothed_away():
    # Raw coverage 0.97 at 0.5 would pass the margin alone; the dip right after it says it was luck.
    rows = [(0.5, 0.97, 0.91, 60), (0.6, 0.85, 0.91, 60), (0.75, 0.93, 0.91, 60), (1.0, 0.96, 0.91, 60)]
    assert choose_temperature(rows, 0.9, margin_z=1.0)[0] == 1.0


def test_no_temperature_reaching_the_margin_falls_back_to_the_least_gap():
    rows = [(0.5, 0.70, 0.90, 20), (1.0, 0.85, 0.90, 20), (2.0, 0.88, 0.90, 20)]
    assert choose_temperature(rows, 0.9, margin_z=1.0)[0] == 2.0
