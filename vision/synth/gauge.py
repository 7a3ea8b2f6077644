"""Synthetic pointer gauges: ranges, sweeps, face/needle/bezel styles, coloured zones."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.synth.cjk import draw_cjk
from vision.synth.photo import degrade

# (min, max, unit, major step)
RANGES = [
    (0.0, 0.4, "MPa", 0.05), (0.0, 0.6, "MPa", 0.1), (0.0, 1.6, "MPa", 0.2), (0.0, 2.5, "MPa", 0.5),
    (0.0, 10.0, "kPa", 1.0), (0.0, 40.0, "kPa", 5.0), (0.0, 250.0, "kPa", 50.0), (0.0, 16.0, "bar", 2.0),
]
SIZE = 440
ZH_UNIT = {"kPa": "千帕", "MPa": "兆帕", "Pa": "帕"}  # unit names as printed on Chinese gauges


@dataclass
class GaugeTruth:
    """Ground truth of one synthetic gauge photo."""

    value: float
    value_range: tuple[float, float]
    unit: str
    sweep: float
    tier: str


def _pt(c: float, r: float, theta_deg: float) -> tuple[int, int]:
    t = np.deg2rad(theta_deg)
    return int(round(c + r * np.sin(t))), int(round(c - r * np.cos(t)))


def _fmt(v: float) -> str:
    return f"{v:g}"


def draw_gauge(rng: np.random.Generator, value_frac: float | None = None) -> tuple[np.ndarray, GaugeTruth]:
    """Draw a frontal gauge card (SIZE×SIZE, dial centred); returns (card BGR, truth without tier)."""
    lo, hi, unit, step = RANGES[int(rng.integers(len(RANGES)))]
    sweep = float(rng.choice([240.0, 270.0, 300.0]))
    frac = float(rng.uniform(0.02, 0.98) if value_frac is None else value_frac)
    value = lo + frac * (hi - lo)
    c = SIZE / 2
    R = SIZE * 0.42
    card = np.zeros((SIZE, SIZE, 3), np.uint8)
    card[:] = rng.integers(30, 90, 3).tolist()  # housing around the dial
    bezel = [int(v) for v in rng.choice([[40, 40, 40], [150, 150, 150], [30, 60, 110]])]
    cv2.circle(card, (int(c), int(c)), int(R * 1.12), bezel, -1, cv2.LINE_AA)
    face = [int(v) for v in rng.choice([[245, 245, 245], [215, 235, 245], [235, 240, 240]])]
    cv2.circle(card, (int(c), int(c)), int(R), face, -1, cv2.LINE_AA)
    start = -sweep / 2
    ink = (20, 20, 20)
    if rng.random() < 0.5:  # coloured zone on the upper part of the scale
        z0 = start + sweep * rng.uniform(0.75, 0.85)
        cv2.ellipse(card, (int(c), int(c)), (int(R * 0.8), int(R * 0.8)), -90, z0, start + sweep,
                    (40, 40, 200) if rng.random() < 0.5 else (60, 170, 60), int(R * 0.05), cv2.LINE_AA)
    n_major = int(round((hi - lo) / step))
    n_minor = 5 if n_major <= 8 else 2
    for i in range(n_major * n_minor + 1):
        th = start + sweep * i / (n_major * n_minor)
        major = i % n_minor == 0
        r0 = R * (0.84 if major else 0.88)
        cv2.line(card, _pt(c, r0, th), _pt(c, R * 0.95, th), ink, 3 if major else 1, cv2.LINE_AA)
    font = cv2.FONT_HERSHEY_SIMPLEX if rng.random() < 0.6 else cv2.FONT_HERSHEY_DUPLEX
    for j in range(n_major + 1):
        th = start + sweep * j / n_major
        txt = _fmt(lo + j * step)
        fs = 0.55
        (tw, tht), _ = cv2.getTextSize(txt, font, fs, 1)
        x, y = _pt(c, R * 0.66, th)
        cv2.putText(card, txt, (x - tw // 2, y + tht // 2), font, fs, ink, 1, cv2.LINE_AA)
    zh = int(frac * 1e6) % 2 == 0  # Chinese printing on half the designs (no extra random draw)
    if zh and unit in ZH_UNIT and int(frac * 1e6) % 4 == 0:  # the unit itself in Chinese (千帕, 兆帕)
        draw_cjk(card, ZH_UNIT[unit], (int(c), int(c + R * 0.45)), 24, ink)
    else:
        (tw, tht), _ = cv2.getTextSize(unit, font, 0.8, 2)
        cv2.putText(card, unit, (int(c - tw / 2), int(c + R * 0.5)), font, 0.8, ink, 2, cv2.LINE_AA)
    if zh:
        draw_cjk(card, "压力表", (int(c), int(c - R * 0.32)), 22, ink)
        draw_cjk(card, "单位", (int(c), int(c + R * 0.28)), 16, ink)
    th = start + sweep * frac
    ncol = (20, 20, 20) if rng.random() < 0.6 else (30, 30, 190)
    width = int(rng.integers(3, 6))
    cv2.line(card, _pt(c, R * 0.15, th + 180), _pt(c, R * 0.8, th), ncol, width, cv2.LINE_AA)
    cv2.circle(card, (int(c), int(c)), int(R * 0.07), ncol, -1, cv2.LINE_AA)
    return card, GaugeTruth(value, (lo, hi), unit, sweep, "")


def make_gauge(seed: int, tier: str = "clear") -> tuple[np.ndarray, GaugeTruth]:
    """A synthetic gauge photo (BGR) and its ground truth, deterministic from ``seed``."""
    rng = np.random.default_rng(seed)
    card, truth = draw_gauge(rng)
    photo, _ = degrade(card, rng, tier)
    truth.tier = tier
    return photo, truth
