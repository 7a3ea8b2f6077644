"""Dial glare counts only where it hides the tick ring or the needle (vision.dial_glare)."""

import cv2
import numpy as np
import pytest

from vision.synth.gauge import SIZE, _pt, draw_gauge

FRAC = 0.3  # needle position; the glare spots below are placed away from it


def _photo(rng_seed: int) -> tuple[np.ndarray, tuple[float, float], float, float]:
    """A frontal clear dial (card on a dark background), its truth range, value and sweep."""
    card, t = draw_gauge(np.random.default_rng(rng_seed), value_frac=FRAC)
    img = np.full((SIZE + 80, SIZE + 80, 3), 50, np.uint8)
    img[40:-40, 40:-40] = card
    return img, t.value_range, t.value, t.sweep


def _spot(img: np.ndarray, theta: float, r: float, radius: float) -> np.ndarray:
    """Add a clipped glare spot (a saturated disc with a soft edge) at polar (theta, r × face radius)."""
    c, R = SIZE / 2, SIZE * 0.42
    x, y = _pt(c, r * R, theta)
    yy, xx = np.mgrid[0 : img.shape[0], 0 : img.shape[1]]
    d = np.hypot(xx - (x + 40), yy - (y + 40))
    add = 255.0 * np.clip((radius * R + 6 - d) / 6.0, 0, 1)
    return np.clip(img.astype(np.float32) + add[..., None], 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [11, 12])
def test_glare_spot_on_empty_glass_is_not_flagged(reader, seed):
    img, vr, value, sweep = _photo(seed)
    needle = -sweep / 2 + sweep * FRAC
    spot = _spot(img, needle + 150, 0.45, 0.33)  # between hub and ticks, away from the needle
    lo, hi = int(40 + SIZE / 2 - SIZE * 0.42), int(40 + SIZE / 2 + SIZE * 0.42)
    sat = (cv2.cvtColor(spot[lo:hi, lo:hi], cv2.COLOR_BGR2GRAY) >= 250).mean()
    assert sat > 1 / 16  # the dial's whole-region saturated share would call this glare
    r = reader.read(spot, kind="dial", value_range=vr)
    assert abs(r.value - value) / (vr[1] - vr[0]) < 0.005
    assert "glare" not in [x.split(":")[0] for x in r.reasons]
    assert not r.needs_review, r.reasons


@pytest.mark.parametrize("seed", [11, 12])
def test_glare_over_the_tick_ring_is_flagged(reader, seed):
    img, vr, _, sweep = _photo(seed)
    spot = _spot(img, -sweep / 2 + sweep * 0.5, 0.9, 0.33)  # over ≈ 45° of ticks mid-scale
    r = reader.read(spot, kind="dial", value_range=vr)
    assert "glare" in [x.split(":")[0] for x in r.reasons]
    assert r.needs_review


def test_glare_over_the_needle_is_flagged(reader):
    img, vr, _, sweep = _photo(11)
    needle = -sweep / 2 + sweep * FRAC
    r = reader.read(_spot(img, needle, 0.55, 0.2), kind="dial", value_range=vr)
    assert "glare" in [x.split(":")[0] for x in r.reasons]
    assert r.needs_review
