"""MeterReader on generated photos with exact ground truth."""

import numpy as np
import pytest

from vision import DialProfile, MeterReading
from vision.synth import make_gauge, make_register


@pytest.mark.parametrize("seed", [2, 3, 5])
def test_dial_with_given_range_is_within_one_and_a_half_percent(reader, seed):
    img, t = make_gauge(seed, "clear")
    r = reader.read(img, kind="dial", value_range=t.value_range, unit=t.unit)
    span = t.value_range[1] - t.value_range[0]
    assert r.kind == "dial" and r.unit == t.unit
    assert abs(r.value - t.value) / span < 0.015
    g = r.geometry
    assert g.dial_center is not None and g.needle_tip is not None and g.scale_start and g.scale_end


def test_dial_auto_calibration_reads_range_and_unit(reader):
    img, t = make_gauge(1, "clear")
    r = reader.read(img)  # auto kind, no range
    assert r.kind == "dial"
    assert r.value_range == t.value_range and r.unit == t.unit
    assert abs(r.value - t.value) / (t.value_range[1] - t.value_range[0]) < 0.015


def test_register_drum_reads_exactly_among_other_printing(reader):
    img, t = make_register(0, "clear")
    r = reader.read(img, kind="register")
    assert r.kind == "register" and r.value == t.value and not r.rolling
    assert len(r.digits) == t.n_int + t.n_dec
    assert [d.decimal for d in r.digits].count(True) == t.n_dec
    assert r.geometry.register_box is not None and len(r.geometry.digit_boxes) == len(r.digits)


def test_register_lcd(reader):
    img, t = make_register(1, "clear")
    assert t.style == "lcd"
    r = reader.read(img)
    assert r.kind == "register" and r.value == t.value


def test_rolling_drum_reports_lower_digit_and_says_rolling(reader):
    img, t = make_register(2, "degraded")
    assert t.rolling
    r = reader.read(img, kind="register")
    assert r.rolling and r.digits[-1].rolling
    assert r.value in (t.value, t.value_upper)


def test_blank_image_needs_review_without_value(reader):
    img = np.full((300, 400, 3), 128, np.uint8)
    r = reader.read(img, kind="register")
    assert r.value is None and r.needs_review and r.reasons


def test_bad_inputs_are_clear_errors(reader, tmp_path):
    bad = tmp_path / "x.jpg"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="not a readable image"):
        reader.read(bad)
    with pytest.raises(ValueError, match="no such file"):
        reader.read(tmp_path / "none.png")
    with pytest.raises(ValueError, match="kind"):
        reader.read(np.zeros((10, 10, 3), np.uint8), kind="gauge")
    with pytest.raises(ValueError, match="max must exceed min"):
        reader.read(np.zeros((10, 10, 3), np.uint8), value_range=(1.0, 1.0))


def test_fixed_camera_profile_fast_path(reader):
    from benchmarks.meters import fixed_camera_frames

    frames = fixed_camera_frames(777, [0.5, 0.1, 0.9])
    from vision.synth.gauge import draw_gauge

    _, truth = draw_gauge(np.random.default_rng(777), value_frac=0.5)
    prof = reader.calibrate(frames[0][0], truth.value_range, truth.unit)
    prof = DialProfile.from_dict(prof.to_dict())
    span = truth.value_range[1] - truth.value_range[0]
    for img, v in frames[1:]:
        r = reader.read(img, profile=prof)
        assert abs(r.value - v) / span < 0.015 and r.unit == truth.unit


def test_profile_validation():
    with pytest.raises(ValueError, match="value_range"):
        DialProfile((1, 1), 10, 0, 270, (2.0, 1.0))
    with pytest.raises(ValueError, match="radius"):
        DialProfile((1, 1), 0, 0, 270, (0.0, 1.0))
    with pytest.raises(ValueError, match="value_range"):
        DialProfile.from_dict({"center": [0, 0], "radius": 10, "start_angle": 0, "end_angle": 1})


def test_cli_object_has_exactly_the_issue_fields():
    r = MeterReading("dial", 1.0, "MPa", 0.9, 0.8, False)
    assert set(r.cli_object("a.jpg")) == {"file", "kind", "value", "unit", "confidence", "quality", "needs_review", "rolling"}


def test_dial_with_range_but_no_unit_reads_the_printed_unit(reader):
    img, t = make_gauge(2, "clear")
    r = reader.read(img, kind="dial", value_range=t.value_range)
    assert r.unit == t.unit == "kPa"
