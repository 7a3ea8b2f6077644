"""Face outlines at raised thresholds when the bright region at Otsu's is not the face; tick pitch check."""

import pytest

from vision import dial as D
from vision.dial_faces import face_candidates, ticks_regular
from vision.synth.gauge import make_gauge


def _frac(t) -> float:  # noqa: ANN001 - GaugeTruth
    lo, hi = t.value_range
    return (t.value - lo) / (hi - lo)


def test_ticks_on_one_pitch_with_lost_ticks_are_regular():
    pitch = [200 + 9 * k for k in range(31)]  # 270° of ticks, 9° apart, across 0°
    ticks = [a % 360 for i, a in enumerate(pitch) if i not in (3, 4, 11, 20, 21, 22)]  # blur lost some
    assert ticks_regular(ticks)
    assert ticks_regular([a % 360 + (1.5 if i % 2 else -1.5) for i, a in enumerate(pitch)])  # perspective


def test_ticks_off_one_pitch_are_not_regular():
    # what a scale start misplaced into a sector of lost ticks looks like (photo 300081 before the refit)
    assert not ticks_regular([95.9, 105.7, 154.5, 216.2, 226.8, 237.2, 247.6, 267.9, 315.6, 3.2])
    assert not ticks_regular([10.0, 20.0, 30.0])  # too few to tell
    assert not ticks_regular([10.0, 20.0, 15.0, 40.0])  # not in order


@pytest.mark.parametrize("seed", [300055, 300080, 300109])
def test_a_bright_background_merged_with_the_face_is_left_out_at_a_raised_threshold(seed):
    photo, t = make_gauge(seed, "degraded")
    first = D._detect_from(photo, D.find_dial(photo))
    assert first is not None and not D.plausible(first)  # arc or ticks not believable: the outline is wrong
    assert abs(D.scale_fraction(first)[0] - _frac(t)) > 0.02  # beyond the degraded target of 1.5 %
    assert len(face_candidates(photo)) >= 1
    det = D.detect(photo)
    assert D.plausible(det)
    assert D.scale_fraction(det)[0] == pytest.approx(_frac(t), abs=0.015)


def test_a_believable_first_outline_is_kept():
    photo, t = make_gauge(340000, "clear")
    first = D._detect_from(photo, D.find_dial(photo))
    assert D.plausible(first)
    det = D.detect(photo)
    assert det.ellipse == first.ellipse
    assert D.scale_fraction(det)[0] == pytest.approx(_frac(t), abs=0.005)
