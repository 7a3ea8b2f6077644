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


def test_a_scale_arc_no_dial_has_is_flagged(reader):
    """Development photo 310119: blur left few ticks and the scale finder took part of the scale for its
    gap, a 120° arc (no other face outline gives a believable one), read 1.32 for 1.78 bar. No dial scale
    is that short: the reading is flagged, with the arc found."""
    img, t = make_gauge(310119, "degraded")
    r = reader.read(img, kind="dial", value_range=t.value_range)
    (arc,) = [x for x in r.reasons if x.startswith("scale_arc_unusual:")]
    assert r.needs_review and int(arc.split("=")[1]) < D.SCALE_ARC[0]


def test_an_outline_off_the_face_is_replaced_by_one_with_a_believable_scale(reader):
    """Development photo 60283: the face outline sat off the face, the tick ring missed one side and the
    scale finder took 190° of the scale for its gap — a 170° arc, read 0.277 for 0.161 MPa. The outline
    at a raised threshold gives a believable scale, and the right reading."""
    img, t = make_gauge(60283, "degraded")
    r = reader.read(img, kind="dial", value_range=t.value_range)
    assert not any(x.startswith("scale_arc_unusual") for x in r.reasons)
    assert r.value == pytest.approx(t.value, abs=0.015 * (t.value_range[1] - t.value_range[0]))


def test_every_clear_development_dial_has_a_believable_arc():
    for seed in range(50000, 50040):
        det = D.detect(make_gauge(seed, "clear")[0])
        assert D.SCALE_ARC[0] <= (det.end - det.start) % 360 <= D.SCALE_ARC[1], seed
