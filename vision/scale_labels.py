"""Automatic dial calibration from the printed scale: major ticks, one label per tick, a consistent fit.

OCR of small scale labels often drops the decimal point ("1.6" → "16") or a digit. Reading only the
full-scale label cannot tell 1.6 from 16; reading every major label can: the labels of a real scale
form an arithmetic series ``lo + j·step`` whose full-scale value belongs to the EN 837-1 / GB/T 1226
series (1, 1.6, 2.5, 4, 6 × 10ⁿ) and whose step is 1, 2, 2.5 or 5 × 10ⁿ. :func:`fit_scale` scores every
such candidate against all labels read, tolerating dropped decimal points.
"""

from __future__ import annotations

import numpy as np

from vision.dial import major_tick_angles

__all__ = ["UNITS", "fit_scale", "major_tick_angles", "unit_of"]

UNITS = ("MPa", "kPa", "bar", "Pa", "psi")
#: unit names printed on Chinese gauges (GB/T 1226), longest first: 千帕 before 帕
ZH_UNITS = (("千帕", "kPa"), ("兆帕", "MPa"), ("巴", "bar"), ("帕", "Pa"))

SERIES = (1.0, 1.6, 2.5, 4.0, 6.0)
STEPS = (1.0, 2.0, 2.5, 5.0)


def _label(v: float) -> str:
    return f"{round(v, 6):g}"


def _bare(t: str) -> str:
    return t.replace(".", "").lstrip("0") or "0"


def fit_scale(texts: list[str], lo: float = 0.0) -> tuple[float, float] | None:
    """(full-scale value, fit quality 0–1) best explaining the labels ``texts`` read at the major ticks
    (first at the scale start, '' where nothing was read); None when no candidate fits at least half."""
    n = len(texts) - 1
    if n < 2:
        return None
    # a label read as "02" is "0.2" with its point lost: no scale prints a leading zero otherwise
    texts = ["0." + t[1:] if len(t) > 1 and t[0] == "0" and t[1:].isdigit() else t for t in texts]
    cands: list[tuple[float, float]] = []
    for e in range(-3, 5):
        for m in SERIES:
            hi = float(f"{m * 10.0**e:.6g}")
            if hi <= lo:
                continue
            step = (hi - lo) / n
            sm = step / 10 ** np.floor(np.log10(step) + 1e-9)
            if not any(abs(sm - s) < 1e-6 for s in STEPS):
                continue
            score = 0
            for j, t in enumerate(texts):
                want = _label(lo + j * step)
                if t == want:
                    score += 2
                elif t and _bare(t) == _bare(want):
                    score += 1  # decimal point dropped (or a leading zero read)
            cands.append((score / (2 * (n + 1)), hi))
    if not cands:
        return None
    cands.sort(key=lambda c: -c[0])
    q, hi = cands[0]
    if q < 0.5:
        return None
    if len(cands) > 1 and cands[1][0] == q:
        q = min(q, 0.4)  # two ranges explain the labels equally well (e.g. every decimal point lost)
    return hi, q


def unit_of(text: str) -> str | None:
    """Pressure unit named by the text read under the hub: kPa/MPa/bar/Pa/psi in Latin letters (any case)
    or the Chinese names 千帕, 兆帕, 帕, 巴; None when no unit is named."""
    t = text.strip()
    unit = next((u for u in UNITS if u.lower() == t.lower()), None)
    unit = unit or next((u for u in UNITS if u.lower() in t.lower()), None)
    return unit or next((u for zh, u in ZH_UNITS if zh in t), None)
