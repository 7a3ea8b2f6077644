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

__all__ = ["UNITS", "fit_scale", "full_scale_candidates", "is_step", "major_tick_angles", "unambiguous_full_scale",
           "unit_of"]

UNITS = ("MPa", "kPa", "bar", "Pa", "psi")
#: unit names printed on Chinese gauges (GB/T 1226), longest first: 千帕 before 帕
ZH_UNITS = (("千帕", "kPa"), ("兆帕", "MPa"), ("巴", "bar"), ("帕", "Pa"))

SERIES = (1.0, 1.6, 2.5, 4.0, 6.0)
STEPS = (1.0, 2.0, 2.5, 5.0)


def _label(v: float) -> str:
    return f"{round(v, 6):g}"


def _bare(t: str) -> str:
    return t.replace(".", "").lstrip("0") or "0"


def is_step(step: float) -> bool:
    """Whether ``step`` is a major-tick step a printed scale uses: 1, 2, 2.5 or 5 × 10ⁿ."""
    if step <= 0:
        return False
    sm = step / 10 ** np.floor(np.log10(step) + 1e-9)
    return any(abs(sm - s) < 1e-6 for s in STEPS)


def _points(text: str, want: str) -> tuple[int, bool, bool]:
    """How far the label read (``text``) supports the printed label ``want``: 2 read exactly, 1 read with a
    decimal point lost (or a leading zero read), else 0; whether it is an exact read of a label other than
    the scale's 0; and whether its digits match at all (with or without a point)."""
    digits = bool(text) and _bare(text) == _bare(want)
    if text == want:
        return 2, want != "0", True
    if digits and "." not in text:
        return 1, False, True  # OCR drops points often; it seldom adds one, so a point read is never "lost"
    return 0, False, digits


def full_scale_candidates(n: int, lo: float = 0.0) -> list[float]:
    """Standard full-scale values (1, 1.6, 2.5, 4, 6 × 10ⁿ) whose scale from ``lo`` in ``n`` major steps
    has a standard step; ``n`` 0 = any step."""
    out = []
    for e in range(-3, 5):
        for m in SERIES:
            hi = float(f"{m * 10.0**e:.6g}")
            if hi > lo and (n == 0 or is_step((hi - lo) / n)):
                out.append(hi)
    return out


def unambiguous_full_scale(text: str, n: int = 0, lo: float = 0.0) -> float | None:
    """The full-scale value a lone end label names, or None when it names none or could be another value
    with its decimal point lost ("16": 1.6 or 16; "4": 0.4 or 4) — ``n`` major steps, when counted, rule
    out values without a standard step."""
    cands = full_scale_candidates(n, lo)
    exact = [hi for hi in cands if _label(hi) == text]
    lost = [hi for hi in cands if "." not in text and text and _bare(_label(hi)) == _bare(text)]
    if len(exact) == 1 and set(lost) <= set(exact):
        return exact[0]
    return None


def fit_scale(texts: list[str], lo: float = 0.0) -> tuple[float, float] | None:
    """(full-scale value, fit quality 0–1) best explaining the labels ``texts`` read at the major ticks
    (first at the scale start, '' where nothing was read); None when no standard scale is supported.

    The quality is the share of the labels' points the scale earns (2 per exact label, 1 per label read
    with its decimal point lost). A scale that earns at least half wins outright. On a poor photo most labels
    go unread; then a scale is still taken when at least two of its labels besides 0 were read exactly and
    it leads every other full-scale value by two points and in labels whose digits match at all (so a scale
    printing the same digits with a decimal point is no rival) — with a quality of at most 0.4, so the
    reading is flagged for review."""
    n = len(texts) - 1
    if n < 2:
        return None
    # a label read as "02" is "0.2" with its point lost: no scale prints a leading zero otherwise
    texts = ["0." + t[1:] if len(t) > 1 and t[0] == "0" and t[1:].isdigit() else t for t in texts]
    cands: list[tuple[int, int, int, float]] = []  # (points, exact labels other than 0, digit matches, hi)
    for hi in full_scale_candidates(n, lo):
        got = [_points(t, _label(lo + j * (hi - lo) / n)) for j, t in enumerate(texts)]
        cands.append((sum(g[0] for g in got), sum(g[1] for g in got), sum(g[2] for g in got), hi))
    if not cands:
        return None
    cands.sort(key=lambda c: -c[0])
    points, exact, digits, hi = cands[0]
    q = points / (2 * (n + 1))
    others = cands[1:]
    if q >= 0.5:
        tie = bool(others) and others[0][0] == points
        return hi, (min(q, 0.4) if tie else q)  # a tie: e.g. every decimal point lost
    # Few labels read: the exact ones must not be the same digits another scale prints with a point
    # ("2", "16" fit 0–16 exactly and 0–1.6 with its points lost).
    if exact >= 2 and all(points - o[0] >= 2 and digits > o[2] for o in others):
        return hi, min(q, 0.4)
    return None


def unit_of(text: str) -> str | None:
    """Pressure unit named by the text read under the hub: kPa/MPa/bar/Pa/psi in Latin letters (any case)
    or the Chinese names 千帕, 兆帕, 帕, 巴; None when no unit is named."""
    t = text.strip()
    unit = next((u for u in UNITS if u.lower() == t.lower()), None)
    unit = unit or next((u for u in UNITS if u.lower() in t.lower()), None)
    return unit or next((u for zh, u in ZH_UNITS if zh in t), None)
