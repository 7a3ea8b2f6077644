"""Needle value by interpolation between the scale's ticks (robust to residual perspective)."""

import numpy as np
import pytest

from vision import dial as D
from vision.synth.gauge import make_gauge


def _warped(j: float) -> float:
    """A smooth, monotonic angular distortion of an evenly spaced 270° scale starting at 225°."""
    u = j / 40
    return (225 + 270 * (u + 0.06 * np.sin(np.pi * u))) % 360


def test_tick_interpolation_undoes_a_smooth_angular_distortion():
    ticks = tuple(_warped(j) for j in range(41))
    for j in (3.5, 17.25, 39.9):
        assert D.tick_fraction(_warped(j), ticks) == pytest.approx(j / 40, abs=2e-3)
    # the linear start–end mapping is off by several % of span on the same distortion
    assert abs(D.angle_to_fraction(_warped(17.25), ticks[0], ticks[-1]) - 17.25 / 40) > 0.03


def test_irregular_ticks_are_not_interpolated():
    ticks = [_warped(j) for j in range(41)]
    del ticks[20]  # a tick hidden by glare
    assert D.tick_fraction(_warped(10), tuple(ticks)) is None
    assert D.tick_fraction(_warped(1), tuple(ticks[:3])) is None  # too few


def test_tilted_degraded_gauge_reads_within_half_a_percent():
    # 10–30° tilt: the affine-rectified angle alone is 2.9 % of span off on this photo
    img, t = make_gauge(20004, "degraded")
    det = D.detect(img)
    span = t.value_range[1] - t.value_range[0]
    truth = (t.value - t.value_range[0]) / span
    assert abs(D.angle_to_fraction(det.needle, det.start, det.end) - truth) > 0.02
    assert det.needle_ring is not None
    assert D.tick_fraction(det.needle_ring, det.tick_angles) == pytest.approx(truth, abs=0.005)
