"""Image quality: sharpness, exposure, glare and resolution of the meter region."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

REVIEW_THRESHOLD = 0.45


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


def assess(image: np.ndarray, roi: tuple[int, int, int, int] | None = None) -> Quality:
    """Score an image (or its ``roi`` (x, y, w, h)) for reading: 1 is good, below 0.45 needs review."""
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
    glare = float(np.clip(1.0 - sat * 8.0, 0, 1))
    resolution = float(np.clip(side / 160.0, 0, 1))
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
