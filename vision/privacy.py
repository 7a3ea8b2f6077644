"""Mask faces and people before an image is stored or leaves the machine.

Detectors: OpenCV's bundled Haar face cascades (frontal and profile) and HOG people detector;
pyproject pins opencv-python < 5 because 5.0 dropped both and ships no face model. Should an
OpenCV without them be installed anyway, the fallback masks skin-coloured regions (YCrCb skin
range, blobs above a minimum size), which errs towards masking too much rather than too little.
"""

from __future__ import annotations

import functools
import os

import cv2
import numpy as np

DETECT_SIDE = 800  # long side (pixels) of the copy the detectors run on


@functools.lru_cache(maxsize=1)
def _detectors() -> tuple[list, object | None]:
    cascades: list = []
    hog = None
    base = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if hasattr(cv2, "CascadeClassifier") and base:
        # "alt" rather than "default": default fires on most dial faces (a ring with a hub)
        for name in ("haarcascade_frontalface_alt.xml", "haarcascade_profileface.xml"):
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


def _is_grey(image: np.ndarray) -> bool:
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    return int(np.abs(b - g).max()) < 8 and int(np.abs(g - r).max()) < 8


def _skin_fraction(image: np.ndarray, box: tuple[int, int, int, int]) -> float:
    x, y, w, h = box
    sub = image[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4]
    if sub.size == 0:
        return 0.0
    ycc = cv2.cvtColor(sub, cv2.COLOR_BGR2YCrCb)
    m = cv2.inRange(ycc, np.array([40, 133, 77], np.uint8), np.array([255, 173, 127], np.uint8))
    return float((m > 0).mean())


def mask_people(image: np.ndarray) -> tuple[np.ndarray, int]:
    """Return a copy with faces and people covered by solid blocks, and how many were masked."""
    if image is None or image.size == 0:
        raise ValueError("mask_people: empty image")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    out = image.copy()
    # Detect on a copy at most DETECT_SIDE pixels on its long side (a 12 MP phone photo would take tens of
    # seconds at full size); boxes are scaled back to the original.
    scale = min(1.0, DETECT_SIDE / max(image.shape[:2]))
    small = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    cascades, hog = _detectors()
    found: list[tuple[int, int, int, int]] = []
    colour = not _is_grey(small)
    for c in cascades:
        for x, y, w, h in c.detectMultiScale(gray, 1.1, 8, minSize=(24, 24)):
            box = (int(x), int(y), int(w), int(h))
            # in a colour photo a face has skin in its middle; printed meter details do not
            if not colour or _skin_fraction(small, box) >= 0.2:
                found.append(box)
    if hog is not None and min(gray.shape[:2]) >= 128:
        rects, weights = hog.detectMultiScale(gray, winStride=(8, 8), padding=(8, 8), scale=1.05)  # type: ignore[attr-defined]
        for (x, y, w, h), wt in zip(rects, np.ravel(weights) if len(rects) else [], strict=False):
            # a person in a meter photo stands tall in the frame; small HOG hits are dial printing
            if wt > 1.0 and h >= 0.5 * gray.shape[0]:
                found.append((int(x), int(y), int(w), int(h)))
    if not cascades:
        found.extend(_skin_boxes(small))
    boxes = [(int(x / scale), int(y / scale), int(np.ceil(w / scale)), int(np.ceil(h / scale))) for x, y, w, h in found]
    for x, y, w, h in boxes:
        px, py = int(w * 0.15), int(h * 0.15)
        cv2.rectangle(out, (max(0, x - px), max(0, y - py)), (x + w + px, y + h + py), (128, 128, 128), -1)
    return out, len(boxes)
