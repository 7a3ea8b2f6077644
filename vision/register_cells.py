"""Register strip → digit cells → digits: segmentation, per-cell classification, rolling drum, decimal mark."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision import decimal_mark as DM
from vision import digits as DG
from vision import register as RG
from vision.quality import Detail, edge_spread
from vision.reasons import reason

SCORE_REVIEW = 0.55  # a cell's correlation below this is not trusted
MARGIN_REVIEW = 0.04  # nor when the second-best digit is this close
SOLID_FILL = 0.8  # nor a cell whose digit-wide box is more than this share ink (digits fill about half)


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
    second: int = -1  # the runner-up digit
    scores: tuple[float, ...] = ()  # correlation per digit 0–9
    solid: bool = False  # its box is nearly all ink

    @property
    def trusted(self) -> bool:
        return self.score >= SCORE_REVIEW and self.margin >= MARGIN_REVIEW and not self.solid


@dataclass
class StripRead:
    """Cells left to right, the count of decimals (red drums or decimal mark) and problems found."""

    cells: list[Cell]
    n_dec: int
    problems: list[str]
    glyph_h: float = 0.0  # digit height, strip px
    edge: float = 0.0  # edge spread (blur), strip px


def _band(cols: list[tuple[int, int, list[tuple[int, int]]]]) -> tuple[float, float, float]:
    """Typical glyph top, bottom and height from the single-run columns (the non-rolling digits)."""
    tops = [c[2][0][0] for c in cols if len(c[2]) == 1]
    bots = [c[2][0][1] for c in cols if len(c[2]) == 1]
    if not tops:
        tops = [min(r[0] for r in c[2]) for c in cols]
        bots = [max(r[1] for r in c[2]) for c in cols]
    top, bot = float(np.median(tops)), float(np.median(bots))
    return top, bot, max(bot - top, 1.0)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the True runs of a 1-D bool array."""
    d = np.diff(np.r_[0, flags.astype(np.int8), 0])
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist(), strict=True))


def _dot_positions(ink: np.ndarray, top: float, bot: float, gh: float) -> list[float]:
    """x of the decimal-mark candidates: small blobs at the foot of the glyph band with no glyph
    stroke above them.

    Works when the mark touches the neighbouring digit's foot (blur joins them into one component):
    the mark is where the foot rows are inked but the rows above them are not, at the edge of the
    inked foot run (a bare stretch in the middle of a run is a digit's bottom bar).
    """
    h = ink.shape[0]
    f0, f1 = int(max(0, bot - 0.2 * gh)), int(min(h, bot + 0.12 * gh + 1))
    u0, u1 = int(max(0, top + 0.25 * gh)), int(max(0, bot - 0.3 * gh))
    if f1 - f0 < 2 or u1 <= u0:
        return []
    # the window frame's bottom edge runs across the foot rows: drop ink runs much longer than a digit
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, int(1.2 * gh))), np.uint8))
    ink = cv2.subtract(ink, lines)
    foot = ink[f0:f1].any(axis=0)
    above = ink[u0:u1].any(axis=0)
    out = []
    for r0, r1 in _runs(foot):
        for b0, b1 in _runs(foot[r0:r1] & ~above[r0:r1]):
            b0, b1 = b0 + r0, b1 + r0
            if not (b0 == r0 or b1 == r1) or not max(2.0, 0.06 * gh) <= b1 - b0 <= 0.22 * gh:
                continue
            rows = np.nonzero(ink[f0:f1, b0:b1].any(axis=1))[0]
            dh = rows.max() - rows.min() + 1 if rows.size else 0
            if 2 <= dh <= 0.25 * gh and 0.4 <= dh / (b1 - b0) <= 2.5:  # round, not a line remnant
                out.append((b0 + b1) / 2)
    return out


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
    ink, light = RG.ink_mask(strip)
    cols = RG.glyph_columns(ink)
    problems: list[str] = []
    if not cols:
        return StripRead([], 0, ["no digit glyphs found"])
    top, bot, gh = _band(cols)
    cut = RG.CUT
    if top <= cut + 1 or bot >= strip.shape[0] - cut - 1 or RG.hugs_digits(ink, cut):
        # the digits reach the frame cut: the quad found is the digit row itself, not a framed window
        # (blurred digit edges merged into one filled blob); read the margin round it too
        cut = 2
        ink, light = RG.ink_mask(strip, cut)
        # the frame's edges now in the strip touch the digits: drop ink runs much longer than a digit
        ink = cv2.subtract(ink, cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, int(1.2 * gh)), np.uint8)))
        cols = RG.glyph_columns(ink, cut) or cols
        top, bot, gh = _band(cols)
    ext = [(a, b, min(r[0] for r in runs), max(r[1] for r in runs), runs) for a, b, runs in cols]
    # keep digit-sized columns (drops the decimal mark, unit printing and specks) that do not touch
    # the strip's cut border (the window frame's edge is not a "1")
    edge, wmax = cut + 1, ink.shape[1] - cut - 2

    def frame_edge(e: tuple) -> bool:
        return (e[0] <= edge or e[1] >= wmax) and (e[1] - e[0] < 0.2 * gh or e[3] - e[2] > 1.1 * gh)

    ext = [e for e in ext if e[3] - e[2] >= 0.55 * gh and not frame_edge(e)]
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
        split = _gap_row(col[y0:y1])
        # two parts with an empty row between them, reaching a little past the band: a drum that rolls
        # less far than out_of_band needs (no whole digit has an empty row inside it)
        parts = split is not None and y1 - y0 > 1.08 * gh
        if parts or (out_of_band and (split is not None or y1 - y0 < 0.9 * gh or y0 < top - 0.15 * gh)):
            if split is not None:
                split_row = y0 + split
            elif (y0 + y1) / 2 < (top + bot) / 2:
                split_row = y1 + 1  # only the outgoing digit's lower part is visible
            else:
                split_row = y0  # only the incoming digit's upper part
            guess, roll = DG.classify_rolling(col, gh, split_row)
            whole = DG.classify(ink[y0:y1, a:b])
            if not out_of_band and whole.score >= guess.score:  # a whole digit with a speck beside it
                guess = whole
            cells.append(Cell(a, b, y0, y1, guess.digit, guess.score, guess.margin, guess is not whole, guess.second,
                              guess.scores))
        else:
            g = DG.classify(ink[y0:y1, a:b])
            cells.append(Cell(a, b, y0, y1, g.digit, g.score, g.margin, False, g.second, g.scores))
        # a solid block of ink (a blot, a sticker, a glare patch on a drum) is no digit, whatever it matches
        # (over a digit-wide box: a narrow "1" fills its own box)
        wa, wb = int(max(0, cx - max(b - a, cw) / 2)), int(cx + max(b - a, cw) / 2 + 1)
        cells[-1].solid = float(ink[y0:y1, wa:wb].mean()) / 255 > SOLID_FILL
    centres = np.array([(c.x0 + c.x1) / 2 for c in cells])
    if len(centres) >= 3:
        pitch = float(np.median(np.diff(centres)))
        d = np.diff(centres)
        if (d > 1.6 * pitch).any():
            problems.append("a digit seems to be missing (uneven cell spacing)")
        if (d < 0.55 * pitch).any():
            problems.append("two glyphs in one cell (uneven cell spacing)")
    n_dec = _decimals(strip, ink, light, cells, top, bot, gh)
    if n_dec < 0:
        n_dec = -n_dec
        problems.append(reason("decimal_unclear"))
    gray = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    edge = edge_spread(gray, (int(top), int(np.ceil(bot))), not light)
    return StripRead(cells, n_dec, problems, gh, edge)


def _decimals(strip: np.ndarray, ink: np.ndarray, light: bool, cells: list[Cell], top: float, bot: float,
              gh: float) -> int:
    """Number of decimal cells: the red drums at the right end, else cells right of a decimal mark
    (negative when doubtful: an unclear mark or a layout none of ``decimal_mark.DESIGNS``; 0: none found)."""
    n = _marked_decimals(strip, ink, light, cells, top, bot, gh)
    if n > 0 and (len(cells) - n, n) not in DM.DESIGNS:
        return -n
    return n


def _marked_decimals(strip: np.ndarray, ink: np.ndarray, light: bool, cells: list[Cell], top: float, bot: float,
                     gh: float) -> int:
    """Decimals from red drums or a decimal mark, negative when the mark is unclear, 0 when none."""
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
    # a decimal mark sits between two cells, nearer their boundary than either centre
    centres = np.array([(c.x0 + c.x1) / 2 for c in cells])
    for x in _dot_positions(ink, top, bot, gh):
        k = int(np.searchsorted(centres, x))
        if 0 < k < len(cells):
            gap = centres[k] - centres[k - 1]
            if abs(x - (centres[k - 1] + centres[k]) / 2) < 0.3 * gap:
                return len(cells) - k
    # a mark blur has joined to a digit, or lost in the binary mask: gap by gap (vision/decimal_mark.py)
    g = DM.guess_decimals(strip, ink, light, cells, top, bot, gh)
    if g is None or g.n_dec == 0:
        return 0
    return g.n_dec if g.clear else -g.n_dec


def register_detail(det: RG.RegisterDetection, sr: StripRead) -> Detail | None:
    """The register's printing for the quality score: digit height in image px, stroke and blur."""
    if sr.edge <= 0 or sr.glyph_h <= 0:
        return None
    c = det.corners
    h_img = float(np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2
    return Detail(sr.glyph_h * h_img / RG.WINDOW_H, sr.glyph_h, sr.edge)
