"""Register strip → digit cells → digits: segmentation, per-cell classification, rolling drum, decimal mark."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision import digits as DG
from vision import register as RG

SCORE_REVIEW = 0.55  # a cell's correlation below this is not trusted
MARGIN_REVIEW = 0.04  # nor when the second-best digit is this close


@dataclass
class Cell:
    """One digit cell of the strip: x range, ink rows, the digit read and whether the drum rolls."""

    x0: int
    x1: int
    y0: int
    y1: int
    digit: int
    score: float
    margin: float
    rolling: bool = False

    @property
    def trusted(self) -> bool:
        return self.score >= SCORE_REVIEW and self.margin >= MARGIN_REVIEW


@dataclass
class StripRead:
    """Cells left to right, the count of decimals (red drums or decimal mark) and problems found."""

    cells: list[Cell]
    n_dec: int
    problems: list[str]


def _band(cols: list[tuple[int, int, list[tuple[int, int]]]]) -> tuple[float, float, float]:
    """Typical glyph top, bottom and height from the single-run columns (the non-rolling digits)."""
    tops = [c[2][0][0] for c in cols if len(c[2]) == 1]
    bots = [c[2][0][1] for c in cols if len(c[2]) == 1]
    if not tops:
        tops = [min(r[0] for r in c[2]) for c in cols]
        bots = [max(r[1] for r in c[2]) for c in cols]
    top, bot = float(np.median(tops)), float(np.median(bots))
    return top, bot, max(bot - top, 1.0)


def _dot_position(ink: np.ndarray, top: float, bot: float, gh: float) -> float | None:
    """x of a decimal mark: a small round blob in the lower half of the glyph band (or just below)."""
    n, _, stats, cents = cv2.connectedComponentsWithStats(ink, 8)
    best, best_y = None, -1.0
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if not (2 <= w <= 0.3 * gh and 2 <= h <= 0.3 * gh and area >= 4):
            continue
        if not 0.5 <= w / h <= 2.0 or area < 0.5 * w * h:
            continue
        cy = cents[i][1]
        if top + 0.6 * gh <= cy <= bot + 0.35 * gh and cy > best_y:
            best, best_y = float(cents[i][0]), cy
    return best


def _gap_row(col_ink: np.ndarray) -> int | None:
    """The middle of the longest empty row run between two inked parts of a column, if any."""
    rows = col_ink.any(axis=1)
    ys = np.nonzero(rows)[0]
    if ys.size == 0:
        return None
    best, best_len, run_start = None, 0, None
    for y in range(int(ys.min()), int(ys.max()) + 1):
        if not rows[y]:
            run_start = y if run_start is None else run_start
        elif run_start is not None:
            if y - run_start > best_len:
                best, best_len = (run_start + y) // 2, y - run_start
            run_start = None
    return best if best_len >= 2 else None


def read_strip(strip: np.ndarray) -> StripRead:
    """Segment the straightened register strip into digit cells and read each one."""
    ink, _ = RG.ink_mask(strip)
    cols = RG.glyph_columns(ink)
    problems: list[str] = []
    if not cols:
        return StripRead([], 0, ["no digit glyphs found"])
    top, bot, gh = _band(cols)
    ext = [(a, b, min(r[0] for r in runs), max(r[1] for r in runs), runs) for a, b, runs in cols]
    # keep digit-sized columns (drops the decimal mark, unit printing and specks) that do not touch
    # the strip's cut border (the window frame's edge is not a "1")
    edge, wmax = RG.STRIP_H // 16 + 1, ink.shape[1] - RG.STRIP_H // 16 - 2
    ext = [e for e in ext if e[3] - e[2] >= 0.55 * gh and e[0] > edge and e[1] < wmax]
    if not ext:
        return StripRead([], 0, ["no digit glyphs found"])
    widths = [b - a for a, b, y0, y1, runs in ext if len(runs) == 1]
    cw = float(np.median(widths)) if widths else float(np.median([e[1] - e[0] for e in ext]))
    cells: list[Cell] = []
    for a, b, y0, y1, _runs in ext:
        out_of_band = y0 < top - 0.15 * gh or y1 > bot + 0.15 * gh
        cx = (a + b) / 2
        half = max(b - a, cw) * 0.6
        xa, xb = int(max(0, cx - half)), int(min(ink.shape[1], cx + half + 1))
        col = ink[:, xa:xb]
        split = _gap_row(col[y0:y1]) if out_of_band else None
        if out_of_band and (split is not None or y1 - y0 < 0.9 * gh or y0 < top - 0.15 * gh):
            if split is not None:
                cut = y0 + split
            elif (y0 + y1) / 2 < (top + bot) / 2:
                cut = y1 + 1  # only the outgoing digit's lower part is visible
            else:
                cut = y0  # only the incoming digit's upper part
            guess, roll = DG.classify_rolling(col, gh, cut)
            cells.append(Cell(a, b, y0, y1, guess.digit, guess.score, guess.margin, rolling=True))
        else:
            g = DG.classify(ink[y0:y1, a:b])
            cells.append(Cell(a, b, y0, y1, g.digit, g.score, g.margin))
    centres = np.array([(c.x0 + c.x1) / 2 for c in cells])
    if len(centres) >= 3:
        pitch = float(np.median(np.diff(centres)))
        d = np.diff(centres)
        if (d > 1.6 * pitch).any():
            problems.append("a digit seems to be missing (uneven cell spacing)")
        if (d < 0.55 * pitch).any():
            problems.append("two glyphs in one cell (uneven cell spacing)")
    n_dec = _decimals(strip, ink, cells, top, bot, gh)
    return StripRead(cells, n_dec, problems)


def _decimals(strip: np.ndarray, ink: np.ndarray, cells: list[Cell], top: float, bot: float, gh: float) -> int:
    """Number of decimal cells: the red drums at the right end, else cells right of a decimal mark."""
    red = RG.red_fraction_columns(strip)
    is_red = [float(red[c.x0 : c.x1].mean()) > 0.05 or float(red[max(0, c.x0 - 3) : c.x1 + 3].max()) > 0.3
              for c in cells]
    n_red = 0
    for r in reversed(is_red):
        if not r:
            break
        n_red += 1
    if 0 < n_red < len(cells):
        return n_red
    x = _dot_position(ink, top, bot, gh)
    if x is None:
        return 0
    return sum(1 for c in cells if (c.x0 + c.x1) / 2 > x)
