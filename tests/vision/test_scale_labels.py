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


def test_two_labels_read_exactly_on_a_poor_photo_give_the_range_for_review():
    # 0–40 kPa, most labels unread: "20" and "25" where they belong fit no other standard scale
    hi, q = fit_scale(["", "", "", "", "20", "25", "", "", ""])
    assert hi == 40.0 and q <= 0.4  # proposed, and flagged by its low quality
    hi, q = fit_scale(["", "2", "", "", "", "10", "", "1", ""])
    assert hi == 16.0 and q <= 0.4  # "10" is only printed on 0–16


def test_few_labels_that_another_scale_prints_with_a_point_give_none():
    # "2" and "16" are exact on 0–16 and the same digits as 0.2 and 1.6 with their points lost
    assert fit_scale(["", "2", "6", "0", "0", "", "", "1", "16"]) is None
    # "0.5" (a point read) backs 0–2.5, "15" and "25" back 0–25: a tie is no answer
    assert fit_scale(["", "0.5", "", "15", "", "25"]) is None


def test_a_lone_end_label_names_a_full_scale_only_when_no_lost_point_could_change_it():
    from vision.scale_labels import unambiguous_full_scale as one

    assert [one("25", 5), one("16", 8), one("4", 8), one("1", 5)] == [None, None, None, None]  # 2.5? 1.6? 0.4? 0.1?
    assert [one("2.5", 5), one("0.4", 8), one("40", 8), one("250", 5), one("10", 10)] == [2.5, 0.4, 40.0, 250.0, 10.0]
    assert one("46") is None and one("") is None  # not a standard full-scale value
    assert one("40", 5) is None  # 40 in 5 major steps is a step of 8: no printed scale


@pytest.mark.parametrize("seed, truth", [(60011, (0.0, 16.0)), (60028, None)])
def test_degraded_photos_propose_the_right_range_or_none(reader, seed, truth):
    """Development photos: on 60011 two labels read give 0–16 bar for review; on 60028 the end label read
    "25" for 2.5 and the labels tie, where the old fallback proposed 0–25 without flagging it."""
    img, t = make_gauge(seed, "degraded")
    r = reader.read(img, kind="dial")
    assert r.value_range == truth and r.needs_review
    if truth is None:
        assert "scale_unreadable" in r.reasons and r.value is None and t.value_range == (0.0, 2.5)
    else:
        assert r.confidence <= 0.4 and abs(r.value - t.value) / 16.0 < 0.05
