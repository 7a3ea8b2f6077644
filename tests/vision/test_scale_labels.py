"""Automatic calibration: major ticks and a scale fit that survives OCR dropping decimal points."""

import cv2
import pytest

from vision import dial as D
from vision.scale_labels import fit_scale, major_tick_angles
from vision.synth.gauge import RANGES, make_gauge


def test_dropped_decimal_points_still_give_one_point_six():
    # what RapidOCR returned on a 0–1.6 MPa dial: every point lost, the first label unread
    hi, q = fit_scale(["", "02", "04", "06", "08", "1", "12", "14", "16"])
    assert hi == 1.6 and q >= 0.5


def test_labels_read_correctly_give_the_range_with_full_quality():
    hi, q = fit_scale(["0", "5", "10", "15", "20", "25", "30", "35", "40"])
    assert hi == 40.0 and q == pytest.approx(1.0)


def test_a_misread_last_label_is_outvoted_by_the_others():
    hi, _ = fit_scale(["", "5", "10", "15", "20", "25", "30", "35", "4"])
    assert hi == 40.0


def test_labels_that_fit_no_standard_scale_give_none():
    assert fit_scale(["0", "7", "3", "9", "1"]) is None
    assert fit_scale(["0", "5"]) is None  # too few labels to tell


def test_one_full_scale_label_alone_is_not_enough():
    # "16" alone could be 1.6 or 16: the other labels are needed, so this is left for review
    assert fit_scale(["", "", "", "", "", "", "", "", "16"]) is None
    hi, _ = fit_scale(["", "2", "4", "6", "8", "10", "12", "14", "16"])
    assert hi == 16.0  # "10" only fits 0–16


@pytest.mark.parametrize("seed", [10000, 10001, 10004])
def test_major_ticks_match_the_printed_scale(seed):
    img, t = make_gauge(seed, "clear")
    det = D.detect(img)
    n_major = next(round((r[1] - r[0]) / r[3]) for r in RANGES if (r[0], r[1]) == t.value_range)
    majors = major_tick_angles(cv2.cvtColor(det.rectified, cv2.COLOR_BGR2GRAY), det.start, det.end)
    assert len(majors) == n_major + 1


def test_unit_names_in_latin_letters_and_in_chinese():
    from vision.scale_labels import unit_of

    assert [unit_of(t) for t in ("kPa", "KPA", " MPa", "bar", "单位 MPa")] == ["kPa", "kPa", "MPa", "bar", "MPa"]
    assert [unit_of(t) for t in ("千帕", "兆帕", "帕", "单位：千帕", "巴")] == ["kPa", "MPa", "Pa", "kPa", "bar"]
    assert unit_of("单位") is None and unit_of("") is None and unit_of("压力表") is None


def test_chinese_unit_printed_on_the_face_is_read(reader):
    import numpy as np

    from vision.synth.gauge import ZH_UNIT, draw_gauge
    from vision.synth.photo import degrade

    rng = np.random.default_rng(90005)
    card, t = draw_gauge(rng)  # 0–1.6 MPa printed with the unit as 兆帕
    assert t.unit == "MPa" and ZH_UNIT[t.unit] == "兆帕"
    photo, _ = degrade(card, rng, "clear")
    auto = reader.read(photo, kind="dial")
    assert auto.unit == "MPa" and auto.value_range == t.value_range
    assert reader.read(photo, kind="dial", value_range=t.value_range).unit == "MPa"
