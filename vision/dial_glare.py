"""Glare on a dial, measured where it hides what the reader uses: the tick ring and the needle.

A bright white face, or a glare spot on an empty part of the glass, is no harm to the reading; glare that
washes out the ticks of the scale arc or the needle is. Both are measured on a polar sampling around the
dial's centre (the rectified face, or a fixed camera's saved centre): a point of the tick arc is *washed
out* when the ring within ±8° of it (a tick interval or more) is brighter than the dial's face level, or
clipped, and its contrast has collapsed against the contrast the dial shows elsewhere; a radius of the
needle's path likewise. Blur or a coloured zone lowers contrast but does not brighten
the ink, so they do not count as glare (blur has its own measure in :mod:`vision.quality`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy.ndimage import maximum_filter1d, minimum_filter1d

WINDOW_DEG = 16.0  # a point of the tick arc is judged on the ring within ±8° of it (≥ one tick interval)
STEP_DEG = 0.5
HARM_DEG = 15.0  # this much of the tick arc washed out (beyond the ±8° around it) is glare
TICK_BAND = (0.86, 0.96)  # tick annulus, × face radius (ticks are drawn at 0.885–0.94)
NEEDLE_BAND = (0.25, 0.82)  # needle's path from the hub to the ticks, × face radius
NEEDLE_HALF_DEG = 4.0
CLIPPED = 250.0  # a face level at or above this is clipped
LOST = 0.4  # a neighbourhood keeping less than this share of the dial's own ink contrast is washed out
BRIGHTER = 20.0  # … if its face is also this much brighter than the dial's (or clipped)


@dataclass(frozen=True)
class DialGlare:
    """Shares (0–1) of the scale arc's ticks and of the needle's path that glare washed out."""

    ticks: float
    needle: float

    span: float = 270.0  # the tick arc looked at, deg

    @property
    def score(self) -> float:
        """1 is no harm; below 0.5 (15° of the tick arc or a fifth of the needle's path hidden) is glare."""
        hidden_deg = self.ticks * self.span
        return float(np.clip(1.0 - max(0.5 * hidden_deg / HARM_DEG, 2.5 * self.needle), 0.0, 1.0))


def _polar(gray: np.ndarray, center: tuple[float, float], radius: float, angles: np.ndarray,
           radii: np.ndarray) -> np.ndarray:
    t = np.deg2rad(angles)[:, None]
    mx = (center[0] + radii[None, :] * radius * np.sin(t)).astype(np.float32)
    my = (center[1] - radii[None, :] * radius * np.cos(t)).astype(np.float32)
    return cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)


def _washed(lo: np.ndarray, hi: np.ndarray, ref_hi: float, ref_con: float) -> np.ndarray:
    """Sectors (ink level ``lo``, face level ``hi``) brightened or clipped with their contrast collapsed
    against the dial's reference face level and contrast."""
    bright = (hi >= CLIPPED) | (hi > ref_hi + BRIGHTER)
    return bright & (hi - lo < LOST * max(ref_con, 1.0))


def measure(gray: np.ndarray, center: tuple[float, float], radius: float, start: float, end: float,
            needle: float) -> DialGlare:
    """Glare over the tick ring (scale arc ``start``→``end``) and along the ``needle`` (deg clockwise from
    up) of a dial of face ``radius`` px around ``center`` in the grey image ``gray``."""
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    span = (end - start) % 360 or 360.0
    angles = (start + np.arange(0.0, span, STEP_DEG)) % 360
    ring = _polar(gray, center, radius, angles, np.linspace(*TICK_BAND, 8))
    half = int(round(WINDOW_DEG / 2 / STEP_DEG))
    lo = minimum_filter1d(ring.min(axis=1), 2 * half + 1, mode="nearest")
    hi = maximum_filter1d(ring.max(axis=1), 2 * half + 1, mode="nearest")
    # reference from the better part of the arc, so glare over much of it does not become the norm
    ref_hi = float(np.median(ring.max(axis=1)))
    ref_con = float(np.median(hi - lo))
    ticks = float(_washed(lo, hi, ref_hi, ref_con).mean())
    na = needle + np.linspace(-NEEDLE_HALF_DEG, NEEDLE_HALF_DEG, 17)
    path = _polar(gray, center, radius, na, np.linspace(*NEEDLE_BAND, 24)).T  # rows: radius, cols: angle
    nlo, nhi = path.min(axis=1), path.max(axis=1)
    needle_share = float(_washed(nlo, nhi, ref_hi, ref_con).mean())
    return DialGlare(ticks, needle_share, span)
