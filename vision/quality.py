"""Image quality: sharpness, exposure, glare and resolution of the meter region.

For a register the sharpness and resolution are measured on its own printing (:class:`Detail`): the edge
spread (blur) against the digit height, both on the straightened strip, and the digit height in image
pixels, so a small but sharp register is not flagged while blur that fills the digits' counters still is.
(The stroke width of the binary mask is no measure of blur: it widens with the blur itself.) Dials and registers without a detail measure keep the
whole-region measures (Laplacian variance, region size). For a dial the caller passes glare measured over
its tick ring and needle (:mod:`vision.dial_glare`): a bright face or a glare spot elsewhere does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

REVIEW_THRESHOLD = 0.45
GLYPH_PX_OK = 16.0  # digit height in image px that counts as full resolution
EDGE_OK = 0.10  # edge spread / digit height at or below this is sharp
EDGE_BAD = 0.20  # … and at this the blur fills the counters of the digits (the hole of a 0 is ≈ 0.3 high)


@dataclass(frozen=True)
class Detail:
    """Size of the printing a reading depends on: digit height in image px, and the digit height and edge
    spread (blur) in the same px as each other (those of the straightened strip)."""

    glyph_px: float
    glyph_h: float
    edge: float


def edge_spread(gray: np.ndarray, rows: tuple[int, int], dark_ink: bool) -> float:
    """Edge spread (px) of the glyphs in ``rows`` of a grey strip: the ink contrast over the strongest
    horizontal grey gradients (98th percentile); a step blurred by a Gaussian of σ spreads over ≈ 2.5 σ."""
    band = gray[rows[0] : rows[1]].astype(np.float32)
    if band.size == 0:
        return 0.0
    d = 255.0 - band if dark_ink else band
    contrast = float(np.percentile(d, 97) - np.percentile(d, 50))
    grad = float(np.percentile(np.abs(cv2.Sobel(band, cv2.CV_32F, 1, 0, ksize=3)) / 8.0, 98))
    return contrast / max(grad, 1e-3)


@dataclass
class Quality:
    """Quality score 0–1 (min of the parts) with the parts and the reasons it is low."""

    score: float
    sharpness: float
    exposure: float
    glare: float
    resolution: float
    reasons: list[str] = field(default_factory=list)


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def assess(image: np.ndarray, roi: tuple[int, int, int, int] | None = None, detail: Detail | None = None,
           glare: float | None = None) -> Quality:
    """Score an image (or its ``roi`` (x, y, w, h)) for reading: 1 is good, below 0.45 needs review.

    With ``detail`` the sharpness and resolution are those of the printing itself (see the module doc).
    ``glare`` (0–1, 1 = none) replaces the region's saturated share by glare measured where it hides what
    is read (a dial's tick ring and needle, :mod:`vision.dial_glare`)."""
    if image is None or image.size == 0:
        raise ValueError("quality.assess: empty image")
    g = _gray(image)
    if roi is not None:
        x, y, w, h = roi
        x0, y0 = max(0, x), max(0, y)
        sub = g[y0 : y + h, x0 : x + w]
        if sub.size > 0:
            g = sub
    side = min(g.shape[:2])
    lap = cv2.Laplacian(cv2.resize(g, (256, 256)) if side > 0 else g, cv2.CV_64F)
    sharp = float(np.clip(lap.var() / 150.0, 0, 1))
    p2, p50, p98 = (float(v) for v in np.percentile(g, (2, 50, 98)))
    contrast = np.clip((p98 - p2) / 110.0, 0, 1)
    level = np.clip(1.0 - max(0.0, 40.0 - p98 * 0.5) / 40.0, 0, 1) * np.clip((250.0 - p2) / 60.0, 0, 1)
    exposure = float(contrast * level)
    sat = float((g >= 250).mean())
    glare = float(np.clip(1.0 - sat * 8.0, 0, 1)) if glare is None else float(np.clip(glare, 0, 1))
    resolution = float(np.clip(side / 160.0, 0, 1))
    if detail is not None and detail.glyph_h > 0 and detail.edge > 0:
        ratio = detail.edge / detail.glyph_h
        sharp = float(np.clip((EDGE_BAD - ratio) / (EDGE_BAD - EDGE_OK), 0, 1))
        resolution = float(np.clip(detail.glyph_px / GLYPH_PX_OK, 0, 1))
    reasons: list[str] = []
    if sharp < 0.3:
        reasons.append("blurred")
    if exposure < 0.3:
        reasons.append("badly exposed")
    if glare < 0.5:
        reasons.append("glare")
    if resolution < 0.5:
        reasons.append("meter too small in the image")
    score = float(min(sharp * 1.5, exposure * 1.5, glare, resolution, 1.0))
    return Quality(score, sharp, exposure, glare, resolution, reasons)
