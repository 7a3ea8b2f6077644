"""Gas-meter register reading: find the counter window, straighten it, read digits, detect rolling."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

STRIP_H = 64


@dataclass
class RegisterDetection:
    """Counter window corners (image px, tl,tr,br,bl), straightened strip and homography."""

    corners: np.ndarray
    strip: np.ndarray
    H: np.ndarray  # image -> strip


def _order(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def find_register(image: np.ndarray) -> RegisterDetection | None:
    """Largest rectangular window with a counter-like aspect (2.5–10) among the printing."""
    g = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    g = cv2.GaussianBlur(g, (5, 5), 0)
    cands = []
    _, otsu = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(g, 40, 120), np.ones((3, 3), np.uint8))
    for mask in (otsu, edges):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for cnt in contours:
            area = cv2.contourArea(cnt)
            if area < 0.01 * g.size or area > 0.5 * g.size:
                continue
            (cx, cy), (w, h), ang = cv2.minAreaRect(cnt)
            if min(w, h) < 10:
                continue
            aspect = max(w, h) / min(w, h)
            if not 2.5 <= aspect <= 10 or area / (w * h) < 0.85:
                continue
            cands.append((area, cnt))
    if not cands:
        return None
    cands.sort(key=lambda c: -c[0])
    cnt = cands[0][1]
    box = cv2.boxPoints(cv2.minAreaRect(cnt))
    approx = cv2.approxPolyDP(cv2.convexHull(cnt), 0.02 * cv2.arcLength(cnt, True), True)
    quad = approx.reshape(-1, 2).astype(np.float32) if len(approx) == 4 else box
    q = _order(quad)
    w = float(np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    h = float(np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    W = int(round(STRIP_H * w / max(h, 1)))
    dst = np.array([[0, 0], [W, 0], [W, STRIP_H], [0, STRIP_H]], np.float32)
    Hm = cv2.getPerspectiveTransform(q, dst)
    strip = cv2.warpPerspective(image, Hm, (W, STRIP_H), flags=cv2.INTER_CUBIC)
    return RegisterDetection(q, strip, Hm)


def glyph_columns(ink: np.ndarray) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Digit-like glyphs: (x0, x1, [(y0, y1) ink runs]) from a binary ink mask of the strip."""
    n, lab, stats, _ = cv2.connectedComponentsWithStats(ink, 8)
    h = ink.shape[0]
    # digit-sized components; a window frame edge spans the strip and would merge every column into one
    # and a component reaching from the top cut to the bottom cut is a piece of the frame, not a digit
    b = STRIP_H // 16 + 1

    def frame(st: np.ndarray) -> bool:
        return bool(st[1] <= b and st[1] + st[3] >= h - b)

    comps = [stats[i] for i in range(1, n)
             if stats[i][4] > 12 and 0.12 * h < stats[i][3] < 0.95 * h and stats[i][2] < 1.5 * h
             and not frame(stats[i])]
    comps.sort(key=lambda s: s[0])
    cols: list[list] = []
    for x, y, w, hh, _ in comps:
        if cols and x < cols[-1][1] - 0.3 * w:  # overlaps the previous column: same drum
            cols[-1][1] = max(cols[-1][1], x + w)
            cols[-1][2].append((y, y + hh))
        else:
            cols.append([x, x + w, [(y, y + hh)]])
    return [(a, b, runs) for a, b, runs in cols]


def ink_mask(strip: np.ndarray) -> tuple[np.ndarray, bool]:
    """Binary mask of the digits (white 255) and whether the digits are light on dark."""
    g = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    light_on_dark = float(np.median(g)) < 110
    src = g if light_on_dark else 255 - g
    m = cv2.adaptiveThreshold(src, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, -15)
    # cut the frame border
    b = max(2, STRIP_H // 16)
    m[:b] = 0
    m[-b:] = 0
    m[:, :b] = 0
    m[:, -b:] = 0
    return m, light_on_dark


def red_fraction_columns(strip: np.ndarray) -> np.ndarray:
    """Per column, the fraction of strongly red pixels (decimal drums are red)."""
    hsv = cv2.cvtColor(strip, cv2.COLOR_BGR2HSV)
    red = ((hsv[..., 0] < 10) | (hsv[..., 0] > 165)) & (hsv[..., 1] > 90) & (hsv[..., 2] > 60)
    return red.mean(axis=0)
