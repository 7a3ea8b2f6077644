"""Mask faces and people before an image is stored or leaves the machine.

Detectors: OpenCV's bundled Haar face cascades and HOG people detector when the installed
OpenCV ships them (4.x). OpenCV 5.0 (installed here) dropped both and ships no face model,
so the fallback masks skin-coloured regions (YCrCb skin range, blobs above a minimum size),
which errs towards masking too much rather than too little.
"""

from __future__ import annotations

import functools
import os

import cv2
import numpy as np


@functools.lru_cache(maxsize=1)
def _detectors() -> tuple[list, object | None]:
    cascades: list = []
    hog = None
    base = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if hasattr(cv2, "CascadeClassifier") and base:
        for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"):
            path = os.path.join(base, name)
            if os.path.isfile(path):
                c = cv2.CascadeClassifier(path)
                if not c.empty():
                    cascades.append(c)
    if hasattr(cv2, "HOGDescriptor"):
        hog = cv2.HOGDescriptor()
        hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    return cascades, hog


def detector_names() -> list[str]:
    """Which detectors this installation uses (for the self-test and the docs)."""
    cascades, hog = _detectors()
    names = ["haar-face"] * bool(cascades) + ["hog-people"] * (hog is not None)
    return names or ["skin-regions"]


def _skin_boxes(image: np.ndarray) -> list[tuple[int, int, int, int]]:
    ycc = cv2.cvtColor(image, cv2.COLOR_BGR2YCrCb)
    m = cv2.inRange(ycc, np.array([40, 138, 80], np.uint8), np.array([245, 173, 125], np.uint8))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(m, 8)
    min_area = max(400, int(0.004 * m.size))
    return [tuple(int(v) for v in stats[i][:4]) for i in range(1, n) if stats[i][4] >= min_area]  # type: ignore[misc]


def mask_people(image: np.ndarray) -> tuple[np.ndarray, int]:
    """Return a copy with faces and people covered by solid blocks, and how many were masked."""
    if image is None or image.size == 0:
        raise ValueError("mask_people: empty image")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    out = image.copy()
    gray = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    cascades, hog = _detectors()
    boxes: list[tuple[int, int, int, int]] = []
    for c in cascades:
        for x, y, w, h in c.detectMultiScale(gray, 1.1, 5, minSize=(24, 24)):
            boxes.append((int(x), int(y), int(w), int(h)))
    if hog is not None and min(gray.shape[:2]) >= 128:
        rects, weights = hog.detectMultiScale(gray, winStride=(8, 8), padding=(8, 8), scale=1.05)  # type: ignore[attr-defined]
        for (x, y, w, h), wt in zip(rects, np.ravel(weights) if len(rects) else [], strict=False):
            if wt > 0.5:
                boxes.append((int(x), int(y), int(w), int(h)))
    if not cascades:
        boxes.extend(_skin_boxes(image))
    for x, y, w, h in boxes:
        px, py = int(w * 0.15), int(h * 0.15)
        cv2.rectangle(out, (max(0, x - px), max(0, y - py)), (x + w + px, y + h + py), (128, 128, 128), -1)
    return out, len(boxes)
