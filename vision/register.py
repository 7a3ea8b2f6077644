"""Gas-meter register reading: find the counter window, straighten it, read digits, detect rolling."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

STRIP_H = 76
MARGIN = 6  # strip px kept outside the window found, above, below and at both ends
WINDOW_H = STRIP_H - 2 * MARGIN  # the window's own height in the strip
CUT = MARGIN + WINDOW_H // 16  # ink this near the strip's border is the window's frame, not digits


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
    strip, Hm = _warp(image, q, w / max(h, 1), MARGIN)
    return RegisterDetection(q, strip, Hm)


def _warp(image: np.ndarray, q: np.ndarray, aspect: float, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Strip of the quad ``q`` (tl, tr, br, bl) with ``m`` px of its surroundings kept on every side."""
    W = int(round((STRIP_H - 2 * m) * aspect)) + 2 * m
    dst = np.array([[m, m], [W - m, m], [W - m, STRIP_H - m], [m, STRIP_H - m]], np.float32)
    Hm = cv2.getPerspectiveTransform(q, dst)
    return cv2.warpPerspective(image, Hm, (W, STRIP_H), flags=cv2.INTER_CUBIC), Hm


def _window_edge(strip: np.ndarray, m: int) -> bool:
    """Whether the quad found is a window with a frame: the grey level changes across its top and bottom
    edges. The rectangle found is sometimes the digit row itself (blurred digit edges merge into one
    filled blob): then the same background lies on both sides and the margin is kept, or the digits
    would touch the strip's cut border and be lost."""
    g = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY).astype(np.float32)
    k = max(2, m // 2)
    outside = np.r_[g[:k].ravel(), g[-k:].ravel()]
    inside = np.r_[g[m : m + k].ravel(), g[-m - k : -m].ravel()]
    return abs(float(np.median(outside)) - float(np.median(inside))) > 25


def glyph_columns(ink: np.ndarray, cut: int = CUT) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Digit-like glyphs: (x0, x1, [(y0, y1) ink runs]) from a binary ink mask of the strip cut ``cut`` px
    from its border."""
    n, lab, stats, _ = cv2.connectedComponentsWithStats(ink, 8)
    h, wh = ink.shape[0], WINDOW_H
    # digit-sized components; a window frame edge spans the strip and would merge every column into one
    # and a component reaching from the top cut to the bottom cut is a piece of the frame, not a digit
    b = cut + 1

    W = ink.shape[1]

    def frame(st: np.ndarray) -> bool:
        top_or_bottom = st[1] <= b or st[1] + st[3] >= h - b
        side = st[0] <= b or st[0] + st[2] >= W - b
        # reaching from cut to cut, a corner of the frame, or a piece of its top or bottom edge
        return bool((st[1] <= b and st[1] + st[3] >= h - b) or (top_or_bottom and (side or st[2] > 3 * st[3])))

    comps = [stats[i] for i in range(1, n)
             if stats[i][4] > 12 and 0.12 * wh < stats[i][3] < 0.95 * h and stats[i][2] < 1.5 * wh
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


def hugs_digits(ink: np.ndarray, cut: int = CUT) -> bool:
    """Whether digit-wide glyphs reach from the top cut to the bottom cut: the quad found is then the digit
    row itself, not a framed window (blurred digit edges merged into one filled blob)."""
    n, _, st, _ = cv2.connectedComponentsWithStats(ink, 8)
    h, w = ink.shape

    def digit_like(s: np.ndarray) -> bool:  # not a piece of the frame's side edges, not a thin corner
        return bool(s[0] > cut + 1 and s[0] + s[2] < w - cut - 1 and 0.25 * WINDOW_H <= s[2] <= WINDOW_H
                    and s[4] >= 0.15 * s[2] * s[3])

    return any(st[i][1] <= cut + 1 and st[i][1] + st[i][3] >= h - cut - 1 and digit_like(st[i]) for i in range(1, n))


def ink_mask(strip: np.ndarray, cut: int = CUT) -> tuple[np.ndarray, bool]:
    """Binary mask of the digits (white 255), ``cut`` px from the border left blank (the window's frame),
    and whether the digits are light on dark."""
    g = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    light_on_dark = float(np.median(g[MARGIN:-MARGIN, MARGIN:-MARGIN])) < 110  # the window, not its frame
    src = g if light_on_dark else 255 - g
    # threshold the window alone when its frame is cut off (the frame would shift the local means)
    o = MARGIN if cut >= MARGIN else 0
    m = np.zeros_like(src)
    m[o : src.shape[0] - o, o : src.shape[1] - o] = cv2.adaptiveThreshold(
        np.ascontiguousarray(src[o : src.shape[0] - o, o : src.shape[1] - o]), 255, cv2.ADAPTIVE_THRESH_MEAN_C,
        cv2.THRESH_BINARY, 31, -15)
    m[:cut] = 0
    m[-cut:] = 0
    m[:, :cut] = 0
    m[:, -cut:] = 0
    return m, light_on_dark


def red_fraction_columns(strip: np.ndarray) -> np.ndarray:
    """Per column, the fraction of strongly red pixels (decimal drums are red)."""
    hsv = cv2.cvtColor(strip, cv2.COLOR_BGR2HSV)
    red = ((hsv[..., 0] < 10) | (hsv[..., 0] > 165)) & (hsv[..., 1] > 90) & (hsv[..., 2] > 60)
    return red.mean(axis=0)
