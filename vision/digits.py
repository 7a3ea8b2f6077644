"""Per-digit reader for register cells: template matching against rendered glyphs.

Templates are rendered at first use (nothing downloaded, nothing stored): OpenCV's Hershey fonts
DUPLEX, COMPLEX, TRIPLEX and PLAIN at several stroke weights, and seven-segment digits at several
segment thicknesses. ``HERSHEY_SIMPLEX`` — the font the synthetic generator prints drums with — is
deliberately left out, so the benchmark measures a font the classifier has not seen.

A glyph is compared by its ink mask, scaled to a fixed height (aspect kept), as the best normalised
correlation within a few pixels of shift. A rolling drum cell (outgoing digit's lower part above,
incoming digit's upper part below) is matched part by part against the corresponding rows of the
templates of ``d`` and ``d + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

TH = 32  # template glyph height (px)
TW = 32  # template canvas width (px)
SLACK = 2  # shift tolerance in matching (px)
SEGMENTS = {  # a b c d e f g
    0: "abcdef", 1: "bc", 2: "abdeg", 3: "abcdg", 4: "bcfg", 5: "acdfg", 6: "acdefg", 7: "abc", 8: "abcdefg",
    9: "abcdfg",
}
_FONTS = (cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_PLAIN)


@dataclass(frozen=True)
class DigitGuess:
    """Best digit, its correlation score (−1…1), the margin to the best other digit and that digit."""

    digit: int
    score: float
    margin: float
    second: int = -1
    scores: tuple[float, ...] = ()  # per digit 0–9


def draw_seven_segment(img: np.ndarray, x: int, y: int, w: int, h: int, d: int, col: tuple[int, ...],
                       t: int | None = None) -> None:
    """Draw digit ``d`` as seven segments in the box (x, y, w, h) with segment thickness ``t``."""
    t = t or max(3, w // 6)
    segs = {
        "a": ((x + t, y), (x + w - t, y + t)), "d": ((x + t, y + h - t), (x + w - t, y + h)),
        "g": ((x + t, y + h // 2 - t // 2), (x + w - t, y + h // 2 + t // 2)),
        "f": ((x, y + t), (x + t, y + h // 2)), "b": ((x + w - t, y + t), (x + w, y + h // 2)),
        "e": ((x, y + h // 2), (x + t, y + h - t)), "c": ((x + w - t, y + h // 2), (x + w, y + h - t)),
    }
    for s in SEGMENTS[d]:
        cv2.rectangle(img, segs[s][0], segs[s][1], col, -1)


def _crop_ink(mask: np.ndarray) -> np.ndarray | None:
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return None
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def normalise(glyph: np.ndarray, height: int = TH, width: int = TW) -> np.ndarray:
    """Ink crop scaled to ``height`` (aspect kept, width capped), centred on a float canvas."""
    h, w = glyph.shape
    s = height / max(h, 1)
    nw = int(np.clip(round(w * s), 1, width))
    g = cv2.resize(glyph.astype(np.float32), (nw, height), interpolation=cv2.INTER_AREA)
    out = np.zeros((height, width), np.float32)
    x0 = (width - nw) // 2
    out[:, x0 : x0 + nw] = g
    return cv2.GaussianBlur(out, (0, 0), 1.0)


@lru_cache(maxsize=1)
def templates() -> list[tuple[int, np.ndarray, float]]:
    """(digit, normalised template, aspect w/h of the ink) for every rendered variant."""
    out: list[tuple[int, np.ndarray, float]] = []
    for d in range(10):
        for font in _FONTS:
            for thick in (2, 4, 7, 10):
                canvas = np.zeros((120, 100), np.uint8)
                cv2.putText(canvas, str(d), (20, 95), font, 2.4, 255, thick, cv2.LINE_AA)
                g = _crop_ink(canvas > 100)
                if g is not None:
                    out.append((d, normalise(g.astype(np.float32)), g.shape[1] / g.shape[0]))
        for t in (5, 7, 9):
            canvas = np.zeros((110, 80), np.uint8)
            draw_seven_segment(canvas, 10, 10, 40, 80, d, (255,), t)
            g = _crop_ink(canvas > 100)
            if g is not None:
                out.append((d, normalise(g.astype(np.float32)), g.shape[1] / g.shape[0]))
    return out


def _unit_rows(m: np.ndarray) -> np.ndarray:
    """Rows made zero-mean and unit-norm (flat rows stay zero)."""
    m = m - m.mean(axis=1, keepdims=True)
    n = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, n, out=np.zeros_like(m), where=n > 1e-6)


def _scores(sample: np.ndarray, rows: tuple[int, int] | None = None) -> dict[int, float]:
    """Best normalised correlation per digit over all templates (rows ``r0:r1`` of them) and all
    shifts within ``SLACK`` px of the ``sample`` (same shape as the template rows)."""
    h, w = sample.shape
    pad = cv2.copyMakeBorder(sample, SLACK, SLACK, SLACK, SLACK, cv2.BORDER_CONSTANT, value=0)
    k = 2 * SLACK + 1
    wins = np.lib.stride_tricks.sliding_window_view(pad, (h, w)).reshape(k * k, h * w)
    wins = _unit_rows(wins.astype(np.float32))
    r0, r1 = rows or (0, TH)
    tm = _template_matrix(r0, r1)
    # matrix-vector products one window at a time: a threaded BLAS matrix product is many times
    # slower on a busy 2-core machine than these small single-threaded ones
    corr = np.max([tm @ w for w in wins], axis=0)
    best: dict[int, float] = {}
    for d, c in zip(_template_digits(), corr, strict=True):
        best[d] = max(best.get(d, -1.0), float(c))
    return best


@lru_cache(maxsize=64)
def _template_matrix(r0: int, r1: int) -> np.ndarray:
    return _unit_rows(np.stack([t[r0:r1].ravel() for _, t, _ in templates()]).astype(np.float32))


@lru_cache(maxsize=1)
def _template_digits() -> tuple[int, ...]:
    return tuple(d for d, _, _ in templates())


def _rank(scores: dict[int, float]) -> DigitGuess:
    order = sorted(scores.items(), key=lambda kv: -kv[1])
    (d, s), (d2, s2) = order[0], order[1]
    return DigitGuess(d, s, s - s2, d2, tuple(float(scores.get(k, -1.0)) for k in range(10)))


def classify(glyph: np.ndarray) -> DigitGuess:
    """The digit of one whole glyph (binary ink mask crop, ink > 0)."""
    g = _crop_ink(glyph > 0)
    if g is None:
        return DigitGuess(0, 0.0, 0.0, -1)
    return _rank(_scores(normalise(g.astype(np.float32))))


def _part_scores(part: np.ndarray, glyph_h: float, rows: tuple[float, float]) -> dict[int, float]:
    """Score per digit of a partial glyph showing template rows ``rows`` (fractions 0–1 of the height).

    ``part`` is the ink of the visible part across the cell's width, centred on the glyph's centre.
    """
    s = TH / max(glyph_h, 1.0)
    r0, r1 = int(round(rows[0] * TH)), int(round(rows[1] * TH))
    if r1 - r0 < 4:
        return {}
    h = r1 - r0
    w = int(np.clip(round(part.shape[1] * s), 1, 2 * TW))
    sample = cv2.resize(part.astype(np.float32), (w, h), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((h, TW), np.float32)
    # place the cell centred: its centre is the glyph's centre
    if w >= TW:
        x = (w - TW) // 2
        canvas[:] = sample[:, x : x + TW]
    else:
        x = (TW - w) // 2
        canvas[:, x : x + w] = sample
    return _scores(cv2.GaussianBlur(canvas, (0, 0), 1.0), (r0, r1))


def classify_rolling(cell: np.ndarray, glyph_h: float, split: int) -> tuple[DigitGuess, float]:
    """Lower (outgoing) digit of a rolling drum cell and the roll fraction (0 = just left, 1 = arrived).

    ``cell`` is the binary ink of the drum cell (centred on the glyph), ``split`` the empty row between the
    outgoing digit's lower part (above) and the incoming digit's upper part (below).
    """
    up, lo = cell[:split], cell[split:]
    scores = {d: 0.0 for d in range(10)}
    weight = 0.0
    frac_up = frac_lo = 0.0
    ys = np.nonzero(up.any(axis=1))[0]
    if ys.size:
        hu = ys.max() - ys.min() + 1
        frac_up = min(1.0, hu / glyph_h)
        su = _part_scores(up[ys.min() : ys.max() + 1], glyph_h, (1 - frac_up, 1.0))
        if su:
            for d in range(10):
                scores[d] += frac_up * su[d]
            weight += frac_up
    ys = np.nonzero(lo.any(axis=1))[0]
    if ys.size:
        hl = ys.max() - ys.min() + 1
        frac_lo = min(1.0, hl / glyph_h)
        sl = _part_scores(lo[ys.min() : ys.max() + 1], glyph_h, (0.0, frac_lo))
        if sl:
            for d in range(10):
                scores[d] += frac_lo * sl[(d + 1) % 10]
            weight += frac_lo
    if weight == 0:
        return DigitGuess(0, 0.0, 0.0), 0.5
    guess = _rank({d: v / weight for d, v in scores.items()})
    roll = frac_lo / max(frac_up + frac_lo, 1e-6)
    return guess, roll
