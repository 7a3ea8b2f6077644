"""Synthetic gas-meter registers: drum counters (rolling last drum) and LCD seven-segment."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.digits import draw_seven_segment
from vision.synth.cjk import draw_cjk
from vision.synth.photo import degrade

LAYOUTS = [(5, 3), (5, 2), (4, 3), (6, 3)]


@dataclass
class RegisterTruth:
    """Ground truth: value (lower digit when rolling), the upper alternative, layout and style."""

    value: float
    value_upper: float
    n_int: int
    n_dec: int
    style: str
    rolling: bool
    tier: str


def _digit_cell(d: int, w: int, h: int, fg: tuple[int, int, int], bg: tuple[int, int, int], shift: float) -> np.ndarray:
    """A drum cell showing digit d moved up by ``shift`` (0–1) with d+1 coming from below."""
    tall = np.zeros((3 * h, w, 3), np.uint8)
    tall[:] = bg
    for k, dd in enumerate(((d - 1) % 10, d, (d + 1) % 10)):
        txt = str(dd)
        (tw, th), _ = cv2.getTextSize(txt, cv2.FONT_HERSHEY_SIMPLEX, h / 34, max(2, h // 16))
        cv2.putText(tall, txt, ((w - tw) // 2, k * h + (h + th) // 2), cv2.FONT_HERSHEY_SIMPLEX, h / 34, fg,
                    max(2, h // 16), cv2.LINE_AA)
    off = int(round(h + shift * h))
    return tall[off : off + h]


def draw_register(rng: np.random.Generator, value: float | None = None) -> tuple[np.ndarray, RegisterTruth]:
    """Draw a frontal meter face card with the register among other printing.

    ``value`` (optional) is shown instead of random digits, zero-padded to the drawn layout, never rolling.
    """
    n_int, n_dec = LAYOUTS[int(rng.integers(len(LAYOUTS)))]
    n = n_int + n_dec
    style = "drum" if rng.random() < 0.7 else "lcd"
    digits = [int(v) for v in rng.integers(0, 10, n)]
    rolling = style == "drum" and rng.random() < 0.4
    if value is not None:
        shown = f"{value:0{n + 1}.{n_dec}f}".replace(".", "")
        if value < 0 or len(shown) != n:
            raise ValueError(f"register value {value} does not fit {n_int}+{n_dec} digits")
        digits, rolling = [int(c) for c in shown], False
    shift = float(rng.uniform(0.3, 0.7)) if rolling else 0.0
    W, H = 640, 400
    card = np.zeros((H, W, 3), np.uint8)
    card[:] = [int(v) for v in rng.choice([[200, 200, 200], [180, 200, 215], [215, 215, 200]])]
    ink = (30, 30, 30)
    f = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(card, "G4", (30, 60), f, 1.4, ink, 3, cv2.LINE_AA)
    cv2.putText(card, "Qmax 6 m3/h  Qmin 0.04 m3/h", (130, 55), f, 0.6, ink, 1, cv2.LINE_AA)
    cv2.putText(card, "Pmax 50 kPa", (30, 330), f, 0.6, ink, 1, cv2.LINE_AA)
    serial = "No. " + "".join(str(v) for v in rng.integers(0, 10, 10))
    cv2.putText(card, serial, (30, 370), f, 0.7, ink, 2, cv2.LINE_AA)
    cw = int(rng.integers(44, 54))
    ch = int(cw * 1.5)
    gap = 6
    rw = n * cw + (n - 1) * gap + 24
    rh = ch + 24
    x0 = (W - rw) // 2
    y0 = 110
    if style == "drum":
        cv2.rectangle(card, (x0 - 6, y0 - 6), (x0 + rw + 6, y0 + rh + 6), (90, 90, 90), -1)
        cv2.rectangle(card, (x0, y0), (x0 + rw, y0 + rh), (15, 15, 15), -1)
        for i, d in enumerate(digits):
            cx = x0 + 12 + i * (cw + gap)
            bg = (25, 25, 25) if i < n_int else (30, 30, 170)
            sh = shift if i == n - 1 else 0.0
            card[y0 + 12 : y0 + 12 + ch, cx : cx + cw] = _digit_cell(d, cw, ch, (235, 235, 235), bg, sh)
        dx = x0 + 12 + n_int * (cw + gap) - gap // 2
        cv2.circle(card, (dx, y0 + rh - 8), 3, (235, 235, 235), -1)
    else:
        lcd_bg = (150, 185, 165)
        cv2.rectangle(card, (x0 - 6, y0 - 6), (x0 + rw + 6, y0 + rh + 6), (60, 60, 60), -1)
        cv2.rectangle(card, (x0, y0), (x0 + rw, y0 + rh), lcd_bg, -1)
        for i, d in enumerate(digits):
            cx = x0 + 12 + i * (cw + gap)
            draw_seven_segment(card, cx + 4, y0 + 12, cw - 8, ch, d, (40, 50, 40))
        dx = x0 + 12 + n_int * (cw + gap) - gap // 2
        cv2.circle(card, (dx, y0 + 12 + ch - 3), 4, (40, 50, 40), -1)
    if digits[0] % 2 == 0:  # Chinese printing on half the meters (no extra random draw)
        draw_cjk(card, "燃气表", (540, 330), 26, ink)
        draw_cjk(card, "膜式", (540, 365), 20, ink)
    cv2.putText(card, "m3", (x0 + rw + 14, y0 + rh // 2 + 10), f, 0.9, ink, 2, cv2.LINE_AA)
    lower = int("".join(map(str, digits))) / 10**n_dec
    upper = lower + (1 / 10**n_dec if rolling else 0.0)
    return card, RegisterTruth(round(lower, n_dec), round(upper, n_dec), n_int, n_dec, style, rolling, "")


def make_register(seed: int, tier: str = "clear", value: float | None = None) -> tuple[np.ndarray, RegisterTruth]:
    """A synthetic register photo (BGR) and its ground truth, deterministic from ``seed`` (and ``value``)."""
    rng = np.random.default_rng(seed)
    card, truth = draw_register(rng, value)
    photo, _ = degrade(card, rng, tier)
    truth.tier = tier
    return photo, truth
