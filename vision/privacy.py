"""Mask faces and people before an image is stored or leaves the machine."""

from __future__ import annotations

import functools
import os

import cv2
import numpy as np


@functools.lru_cache(maxsize=1)
def _detectors() -> tuple[list[cv2.CascadeClassifier], cv2.HOGDescriptor]:
    base = cv2.data.haarcascades
    cascades = []
    for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"):
        c = cv2.CascadeClassifier(os.path.join(base, name))
        if c.empty():
            raise RuntimeError(f"privacy: OpenCV cascade {name} missing from {base}")
        cascades.append(c)
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    return cascades, hog


def mask_people(image: np.ndarray) -> tuple[np.ndarray, int]:
    """Return a copy with faces and people covered by solid blocks, and how many were masked."""
    if image is None or image.size == 0:
        raise ValueError("mask_people: empty image")
    out = image.copy()
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    gray = cv2.equalizeHist(gray)
    cascades, hog = _detectors()
    boxes: list[tuple[int, int, int, int]] = []
    for c in cascades:
        for x, y, w, h in c.detectMultiScale(gray, 1.1, 5, minSize=(24, 24)):
            boxes.append((int(x), int(y), int(w), int(h)))
    if min(gray.shape[:2]) >= 128:
        rects, weights = hog.detectMultiScale(gray, winStride=(8, 8), padding=(8, 8), scale=1.05)
        for (x, y, w, h), wt in zip(rects, np.ravel(weights) if len(rects) else [], strict=False):
            if wt > 0.5:
                boxes.append((int(x), int(y), int(w), int(h)))
    for x, y, w, h in boxes:
        px, py = int(w * 0.15), int(h * 0.15)
        cv2.rectangle(out, (max(0, x - px), max(0, y - py)), (x + w + px, y + h + py), (128, 128, 128), -1)
    return out, len(boxes)
