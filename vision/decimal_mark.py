"""Decimal mark between two register digits, found when blur joins it to a digit.

The mark (an LCD's decimal point, the dot printed between a counter's drums) is a small round blob at the
foot of the digit row, in the gap after the last integer digit. Each digit's horizontal extent is measured
on the *middle* rows of its own ink components, where the mark never is, so a mark fused to the foot of a
neighbouring digit still lies outside both extents. In each gap (from the left digit's right edge, at most
half a digit pitch wide: the mark belongs to the lower right of the digit before it) the foot rows are
searched for a round blob; its area, in units of ``(0.1 × glyph height)²``, scores the gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

# common register layouts (integer, decimal digits): a reading whose mark falls elsewhere is doubtful
DESIGNS = ((5, 3), (5, 2), (4, 3), (6, 3))
MIN_AREA = 0.3  # a blob smaller than this (units of (0.1 gh)²) is no clear mark
MIN_CONTRAST = 0.3  # nor a grey foot contrast (0–1) below this
WEAK = 0.5  # down to this share of those floors, the best gap is still reported, as unclear
CLEAR_RATIO = 2.0  # the best gap's blob must be this much larger than any other gap's


class _Span(Protocol):
    x0: int
    x1: int


@dataclass(frozen=True)
class MarkGuess:
    """Decimals implied by the best gap, whether that is clear, and the score of every gap."""

    n_dec: int
    clear: bool
    blob: tuple[float, ...]  # binary blob area per gap
    contrast: tuple[float, ...]  # grey foot contrast per gap


def _mid_extents(ink: np.ndarray, cells: Sequence[_Span], top: float, bot: float, gh: float
                 ) -> list[tuple[int, int]]:
    """Per cell, the leftmost and rightmost column of its own components' ink in the middle rows."""
    n, lab, st, cents = cv2.connectedComponentsWithStats(ink, 8)
    m0, m1 = int(top + 0.3 * gh), int(bot - 0.3 * gh)
    mid = lab[m0:max(m1, m0 + 1)]
    out = []
    for c in cells:
        # the window frame can be one component with its centroid inside a cell: not the cell's own ink
        own = [i for i in range(1, n) if c.x0 <= cents[i][0] <= c.x1 and st[i][2] < 1.5 * gh and st[i][3] < 1.3 * gh]
        cols = np.nonzero(np.isin(mid, own).any(axis=0))[0] if own else np.array([], int)
        out.append((int(cols.min()), int(cols.max())) if cols.size else (c.x0, c.x1))
    return out


def _blob_area(foot: np.ndarray, gh: float) -> float:
    """Area of the largest round blob in a foot-row window, in units of (0.1 gh)²."""
    if foot.size == 0 or not foot.any():
        return 0.0
    n, _, st, _ = cv2.connectedComponentsWithStats(foot.astype(np.uint8), 8)
    best = 0.0
    for i in range(1, n):
        w, h, a = int(st[i][2]), int(st[i][3]), int(st[i][4])
        if w >= 2 and h >= 2 and 0.4 <= h / w <= 2.5 and max(w, h) <= 0.3 * gh:
            best = max(best, a / (0.1 * gh) ** 2)
    return best


def _soft_ink(strip: np.ndarray, light_on_dark: bool, top: float, bot: float) -> np.ndarray:
    """Ink strength 0 (background) … 1 (stroke) from the grey levels of the glyph band."""
    g = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY).astype(np.float32)
    d = g if light_on_dark else 255 - g
    band = d[int(top) : max(int(bot), int(top) + 1)]
    lo, hi = np.percentile(band, 50), np.percentile(band, 97)
    return np.clip((d - lo) / max(hi - lo, 1.0), 0, 1)


def gap_scores(strip: np.ndarray, ink: np.ndarray, light_on_dark: bool, cells: Sequence[_Span],
               top: float, bot: float, gh: float) -> tuple[list[float], list[float]]:
    """Per gap between consecutive cells: the binary blob score and the grey-level foot contrast.

    The grey contrast (darkest foot pixel of a column minus the darkest pixel just above it, best column
    of the gap) still sees a mark that the binary mask has merged into a neighbouring digit or lost.
    """
    if len(cells) < 2:
        return [], []
    # the window frame's bottom edge runs across the foot rows: drop ink runs much longer than a digit
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, int(1.2 * gh))), np.uint8))
    ink = cv2.subtract(ink, lines)
    ext = _mid_extents(ink, cells, top, bot, gh)
    pitch = float(np.median(np.diff([(a + b) / 2 for a, b in ext])))
    soft = _soft_ink(strip, light_on_dark, top, bot)
    h = ink.shape[0]
    f0, f1 = int(max(0, bot - 0.2 * gh)), int(min(h, bot + 0.2 * gh + 1))
    s0, s1 = int(max(0, bot - 0.22 * gh)), int(min(h, bot + 0.04 * gh + 1))  # not down to the frame
    u0, u1 = int(max(0, bot - 0.5 * gh)), int(max(1, bot - 0.28 * gh))
    blob, contrast = [], []
    for k in range(1, len(cells)):
        a = ext[k - 1][1] + 1
        b = min(ext[k][0], int(a + 0.5 * pitch))
        blob.append(_blob_area(ink[f0:f1, a:b] > 0, gh) if b > a else 0.0)
        a, b = a + 1, b - 1  # off the digits' blurred edges
        if b > a:
            col = soft[s0:s1, a:b].max(axis=0) - soft[u0:u1, a:b].max(axis=0)
            contrast.append(float(col.max()))
        else:
            contrast.append(0.0)
    return blob, contrast


def _pick(sc: list[float], floor: float) -> tuple[int, bool] | None:
    """Index of the best gap and whether it is clear (above ``floor`` and ≥ CLEAR_RATIO × every other);
    None below ``WEAK × floor``."""
    if not sc or max(sc) < WEAK * floor:
        return None
    k = int(np.argmax(sc))
    rest = sc[:k] + sc[k + 1 :]
    return k, sc[k] >= floor and (not rest or sc[k] >= CLEAR_RATIO * max(rest))


def guess_decimals(strip: np.ndarray, ink: np.ndarray, light_on_dark: bool, cells: Sequence[_Span],
                   top: float, bot: float, gh: float) -> MarkGuess | None:
    """The gap holding the decimal mark, or None when no gap holds a mark.

    The binary blob decides when one gap clearly stands out, else the grey foot contrast. ``clear`` is
    False when neither stands out clearly (the caller also doubts a layout that is none of ``DESIGNS``).
    """
    blob, contrast = gap_scores(strip, ink, light_on_dark, cells, top, bot, gh)
    pb, pc = _pick(blob, MIN_AREA), _pick(contrast, MIN_CONTRAST)
    if pb is None and pc is None:
        return None
    if pb and pc and pb[1] and pc[1] and pb[0] != pc[0]:  # two clear marks in different gaps
        k, clear = pb[0], False
    elif pb and (pb[1] or not pc or (not pc[1] and blob[pb[0]] / MIN_AREA >= contrast[pc[0]] / MIN_CONTRAST)):
        k, clear = pb
    else:
        assert pc is not None
        k, clear = pc
    return MarkGuess(len(cells) - (k + 1), clear, tuple(blob), tuple(contrast))
