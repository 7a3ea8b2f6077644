"""Dial face outlines: the bright elliptical regions a photo's face may be, and a check of a tick ring.

The face is the largest bright, filled ellipse at Otsu's threshold (:func:`face_at`). With a bright
background (glare on the wall behind, a light plate) that region can hold the bezel, the plate or the glare
as well; the face then sits off-centre in the rectified image and its scale is misread. Raising the
threshold towards the face's own brightness separates it again (:func:`face_candidates`). Which outline is
the face is decided by what is read inside it: :func:`ticks_regular` says whether found tick centres lie on
one even pitch, as printed ticks do.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["bright_contours", "face_at", "face_candidates", "smoothed_gray", "ticks_regular"]

Ellipse = tuple[tuple[float, float], tuple[float, float], float]

#: thresholds tried besides Otsu's, as fractions of the way from it to the image's 97th percentile
RAISED = (0.2, 0.4, 0.6)


def smoothed_gray(image: np.ndarray) -> np.ndarray:
    """The grey image the face is looked for in (5×5 Gaussian blur)."""
    return cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (5, 5), 0)


def bright_contours(gray: np.ndarray, level: float | None = None) -> list[np.ndarray]:
    """Outer contours of the regions of a smoothed grey image above ``level`` (Otsu's threshold when None),
    closed over gaps of 3 % of the image (ticks and printing on the face)."""
    if level is None:
        _, th = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    else:
        th = ((gray > level) * 255).astype(np.uint8)
    k = max(3, int(min(gray.shape) * 0.03)) | 1
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return list(contours)


def face_at(gray: np.ndarray, level: float | None = None) -> Ellipse | None:
    """The largest bright, filled elliptical region of a smoothed grey image above ``level`` (Otsu's
    threshold when None), as a cv2.fitEllipse tuple; None when there is none."""
    best, best_area = None, 0.0
    for cnt in bright_contours(gray, level):
        if len(cnt) < 20:
            continue
        hull = cv2.convexHull(cnt)
        area = cv2.contourArea(hull)
        if area < 0.02 * gray.size:
            continue
        ell = cv2.fitEllipse(hull)
        ea = np.pi * ell[1][0] * ell[1][1] / 4
        if ea <= 0 or not 0.85 < area / ea < 1.1 or min(ell[1]) / max(ell[1]) < 0.6:
            continue
        if area > best_area:
            best, best_area = ell, area
    return best


def face_candidates(image: np.ndarray) -> list[Ellipse]:
    """Face outlines at thresholds raised above Otsu's (:data:`RAISED`), brightest last; duplicates of
    each other (centre and axes within 2 px) are left out."""
    g = smoothed_gray(image)
    otsu, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    top = float(np.percentile(g, 97))
    out: list[Ellipse] = []
    for f in RAISED:
        e = face_at(g, otsu + f * (top - otsu))
        if e is None:
            continue
        if any(max(abs(e[0][0] - o[0][0]), abs(e[0][1] - o[0][1]), abs(e[1][0] - o[1][0]),
                   abs(e[1][1] - o[1][1])) < 2 for o in out):
            continue
        out.append(e)
    return out


def ticks_regular(angles: tuple[float, ...] | list[float], tol: float = 0.3) -> bool:
    """Whether tick centres (deg, in scale order) lie on one even pitch: every spacing a whole number of
    the smallest ones' pitch within ``tol`` of it (ticks lost to blur or glare leave whole multiples).
    Fewer than four ticks are not enough to tell: False."""
    if len(angles) < 4:
        return False
    s = np.degrees(np.diff(np.unwrap(np.radians(np.asarray(angles, float)))))
    if (s <= 0).any():
        return False
    pitch = float(np.median(s[s < 1.5 * s.min()]))
    m = np.maximum(np.round(s / pitch), 1)
    return bool(np.all(np.abs(s - m * pitch) <= tol * pitch))
