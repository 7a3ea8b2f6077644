"""Per-digit register reader: glyph classifier, rolling drum cells, strip segmentation and decimals."""

import cv2
import numpy as np
import pytest

from vision import digits as DG
from vision import register as RG
from vision.register_cells import read_strip
from vision.synth import make_register
from vision.synth.register import _digit_cell


def _ink(img: np.ndarray) -> np.ndarray:
    return (img > 100).astype(np.uint8) * 255


@pytest.mark.parametrize("d", range(10))
def test_classifier_reads_a_font_it_has_no_template_of(d):
    # HERSHEY_SIMPLEX is deliberately not among the templates
    canvas = np.zeros((90, 70), np.uint8)
    cv2.putText(canvas, str(d), (12, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 255, 4, cv2.LINE_AA)
    g = DG.classify(_ink(canvas))
    assert g.digit == d and g.score > 0.7


@pytest.mark.parametrize("d", range(10))
def test_classifier_reads_seven_segment_digits(d):
    canvas = np.zeros((80, 50), np.uint8)
    DG.draw_seven_segment(canvas, 8, 6, 30, 64, d, (255,))
    assert DG.classify(_ink(canvas)).digit == d


@pytest.mark.parametrize(("d", "shift"), [(3, 0.35), (7, 0.5), (9, 0.65), (0, 0.45)])
def test_rolling_cell_gives_the_outgoing_lower_digit(d, shift):
    cell = _digit_cell(d, 48, 72, (235, 235, 235), (20, 20, 20), shift)
    ink = _ink(cv2.cvtColor(cell, cv2.COLOR_BGR2GRAY))
    rows = np.nonzero(ink.any(axis=1))[0]
    gaps = [y for y in range(rows.min(), rows.max()) if not ink[y].any()]
    assert gaps, "the test cell must show two partial digits"
    # glyph height of a whole digit in the same cell geometry
    full = _ink(cv2.cvtColor(_digit_cell(d, 48, 72, (235, 235, 235), (20, 20, 20), 0.0), cv2.COLOR_BGR2GRAY))
    fr = np.nonzero(full.any(axis=1))[0]
    guess, roll = DG.classify_rolling(ink, float(fr.max() - fr.min() + 1), int(np.median(gaps)))
    assert guess.digit == d
    assert 0.0 < roll < 1.0


def test_strip_cells_count_decimals_from_red_drums_and_read_every_digit():
    img, t = make_register(0, "clear")
    det = RG.find_register(img)
    sr = read_strip(det.strip)
    assert len(sr.cells) == t.n_int + t.n_dec
    assert sr.n_dec == t.n_dec
    assert int("".join(str(c.digit) for c in sr.cells)) / 10**t.n_dec == pytest.approx(t.value)
    assert all(c.trusted for c in sr.cells) and not sr.problems


def test_lcd_decimal_mark_sets_the_decimals():
    img, t = make_register(1, "clear")
    assert t.style == "lcd"
    sr = read_strip(RG.find_register(img).strip)
    assert sr.n_dec == t.n_dec


def test_a_blotted_digit_is_flagged_not_guessed(reader):
    img, t = make_register(0, "clear")
    clean = reader.read(img, kind="register")
    assert not clean.needs_review
    box = clean.digits[2].box
    x, y, w, h = box
    blot = img.copy()
    cv2.rectangle(blot, (x + 2, y + h // 6), (x + w - 2, y + 5 * h // 6), (128, 128, 128), -1)  # digit gone
    r = reader.read(blot, kind="register")
    assert r.needs_review
    assert any("digit" in why for why in r.reasons), r.reasons
