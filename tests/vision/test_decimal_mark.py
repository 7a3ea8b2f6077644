"""Decimal mark of LCD registers when blur joins it to a digit or the binary mask loses it."""

import cv2
import numpy as np
import pytest

from vision import register as RG
from vision.digits import draw_seven_segment
from vision.register_cells import read_strip
from vision.synth import make_register


def _lcd_strip(digits: str, n_dec: int | None, blur: float, seed: int = 0) -> np.ndarray:
    """A 64 px LCD strip (dark segments on a light green-grey ground) with the point before the last
    ``n_dec`` digits, centred in the gap at the foot of the digits like a real LCD's point."""
    cw, gap, gh = 30, 5, 42
    w = 12 + len(digits) * (cw + gap)
    strip = np.full((RG.STRIP_H, w, 3), (150, 185, 165), np.uint8)
    y = (RG.STRIP_H - gh) // 2
    for i, d in enumerate(digits):
        draw_seven_segment(strip, 8 + i * (cw + gap) + 3, y, cw - 6, gh, int(d), (40, 50, 40), 5)
    if n_dec is not None:
        k = len(digits) - n_dec
        x = 8 + k * (cw + gap) - gap // 2
        cv2.circle(strip, (x, y + gh - 3), 3, (40, 50, 40), -1)
    img = cv2.GaussianBlur(strip.astype(np.float32), (0, 0), blur)
    img += np.random.default_rng(seed).normal(0, 4, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("digits", "n_dec"), [("45288886", 3), ("9221146", 2), ("3999902", 3), ("1285345", 2)])
def test_a_point_blurred_into_its_neighbours_still_sets_the_decimals(digits, n_dec):
    strip = _lcd_strip(digits, n_dec, blur=2.0)
    sr = read_strip(strip)
    assert "".join(str(c.digit) for c in sr.cells) == digits
    assert sr.n_dec == n_dec, sr.problems
    assert "decimal_unclear" not in sr.problems


def test_a_point_outside_the_known_register_layouts_is_read_but_flagged():
    sr = read_strip(_lcd_strip("9221146", 4, blur=2.0))  # 3+4 is none of 5+3, 5+2, 4+3, 6+3
    assert sr.n_dec == 4
    assert "decimal_unclear" in sr.problems


@pytest.mark.parametrize("digits", ["45288886", "9221146", "3999902"])
def test_no_point_is_invented_where_the_lcd_shows_none(digits):
    sr = read_strip(_lcd_strip(digits, None, blur=2.0))
    assert "".join(str(c.digit) for c in sr.cells) == digits
    assert sr.n_dec == 0


@pytest.mark.parametrize("seed", [100001, 100046, 100132])
def test_blurred_lcd_photos_whose_point_was_missed_read_exactly(reader, seed):
    # development seeds (not the benchmark's) where the point is fused with a digit after blur
    img, t = make_register(seed, "degraded")
    assert t.style == "lcd"
    r = reader.read(img, kind="register")
    assert r.value == pytest.approx(t.value)
    assert not {"no_decimal", "decimal_unclear"} & set(r.reasons), r.reasons
