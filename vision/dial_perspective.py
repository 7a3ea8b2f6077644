"""Undo the perspective residual of an affine-rectified dial, from the needle hub.

The affine map of :mod:`vision.dial` turns the face's ellipse into a circle, but a tilted photo is a
perspective image: the rectified face is the true face seen through a homography that maps the circle
onto itself. Such a homography is an isometry of the Klein disc model, fixed up to a rotation by the
point ``a`` where the true centre landed (normalised by the face radius). Undoing it (a Lorentz boost by
``-a``) gives true angles, in which the scale is linear again — whatever ticks glare or blur hid.

``a`` is found on the needle's line (a needle points through its pivot) at the middle of the hub: the
stretch of the line where the dark ink is much wider than the needle.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["hub_centre", "true_angle", "unboost"]


def unboost(x: np.ndarray, a: np.ndarray) -> np.ndarray:
    """The disc isometry taking ``a`` to 0, applied to points ``x`` (…×2, normalised to the face radius)."""
    a = np.asarray(a, float)
    na = float(np.linalg.norm(a))
    if na < 1e-9:
        return np.asarray(x, float)
    x = np.asarray(x, float)
    u = a / na
    gamma = 1.0 / np.sqrt(1.0 - na * na)
    along = (x @ u)[..., None] * u
    return (along - a + (x - along) / gamma) / (1.0 - x @ a)[..., None]


def true_angle(angle: float, r: float, a: np.ndarray) -> float:
    """True angle (deg clockwise from up, up to a common rotation) of the rectified point at ``angle``, ``r``."""
    t = np.deg2rad(angle)
    p = unboost(np.array([r * np.sin(t), -r * np.cos(t)]), a)
    return float(np.degrees(np.arctan2(p[0], -p[1])) % 360)


def hub_centre(gray: np.ndarray, p_in: np.ndarray, p_out: np.ndarray, centre: tuple[float, float],
               radius: float) -> np.ndarray | None:
    """Position of the dial's true centre, relative to the rectified ``centre`` over the face ``radius``:
    the hub's middle on the needle's line through ``p_in`` (inner) and ``p_out`` (outer needle point,
    rectified px). None without a clear hub."""
    rad, c0 = radius, np.asarray(centre, float)
    d = p_out - p_in
    if np.linalg.norm(d) < 1e-6:
        return None
    d = d / np.linalg.norm(d)
    n = np.array([-d[1], d[0]])
    # from the inner needle point, inwards through the rectified centre and 0.25 R beyond it
    s0 = float((p_in - c0) @ d)
    s = np.arange(-0.25 * rad, s0, 0.5)
    w = np.arange(-0.2 * rad, 0.2 * rad + 0.1, 0.5)
    base = c0 + ((p_in - c0) - s0 * d)  # foot of the line nearest the centre
    pts = base[None, None, :] + s[:, None, None] * d + w[None, :, None] * n
    samp = cv2.remap(gray, pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    face = float(np.percentile(samp, 90))
    ink = float(np.percentile(samp[:, np.abs(w) < 1.5], 10))
    if face - ink < 30:
        return None
    dark = samp < (face + ink) / 2
    width = dark.sum(axis=1) * 0.5  # px of dark ink across the line, per position along it
    needle_w = float(np.median(width[s > 0.3 * s0])) if (s > 0.3 * s0).any() else float(np.median(width))
    wmax = float(width.max())
    if wmax < max(2.0 * needle_w, 0.06 * rad):
        return None
    on = np.nonzero(width > (wmax + needle_w) / 2)[0]
    runs = np.split(on, np.nonzero(np.diff(on) > 2)[0] + 1)
    run = max(runs, key=len)
    if len(run) * 0.5 < 0.04 * rad or len(run) * 0.5 > 0.3 * rad:
        return None
    mid = float(s[run].mean())
    a = (base + mid * d - c0) / rad
    if np.linalg.norm(a) > 0.2:
        return None
    return a
