"""The leak rate as the inlet meter sees it: the step in the measured inflow at the onset.

A leak downstream of the inlet meter adds its rate to the metered inflow from its onset on, while the
consumers' own demand follows the diurnal curve (smooth over a window of an hour or less) plus a slow
random drift. :func:`inflow_step` fits the inflow with a cubic trend in time plus a step at the onset by
least squares; the step is the meter's estimate of the leak rate, independent of the pressures. The
localizer combines it with each candidate's pressure fit as a Gaussian prior on the rate
(:func:`rate_prior_stats`) for the rate it reports; on the locate benchmark's leak cases that brought the
median error of the reported rate from 16 % to 9 % on the demo site (docs/benchmarks.md). The posterior
over candidates uses it too, with a wider σ: a leak far downstream and one near the inlet give drops of
the same shape but of different size per m³/h (docs/engine.md, "Leak rate").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

TREND_DEGREE = 3  # the consumers' demand over the window: a cubic in time


def inflow_step(inflow_m3h: np.ndarray, times_s: np.ndarray, onset: int) -> tuple[float, float]:
    """The step (m³/h) in the metered inflow from reading ``onset`` on, and its least-squares standard
    error (from the fit's residuals, which include the consumers' drift). ``(0.0, inf)`` when the window is
    too short for the fit or the onset leaves no reading on one side."""
    f = np.asarray(inflow_m3h, dtype=float)
    t = np.asarray(times_s, dtype=float)
    n = len(f)
    if len(t) != n:
        raise ValueError(f"inflow has {n} readings but times has {len(t)}")
    cols = TREND_DEGREE + 2
    if not 0 < onset < n or n <= cols or not (np.all(np.isfinite(f)) and np.all(np.isfinite(t))):
        return 0.0, float("inf")
    span = max(float(np.ptp(t)), 1.0)
    u = (t - t.mean()) / span
    X = np.column_stack([u**d for d in range(TREND_DEGREE + 1)] + [(np.arange(n) >= onset).astype(float)])
    beta, *_ = np.linalg.lstsq(X, f, rcond=None)
    res = f - X @ beta
    s2 = float(res @ res) / (n - cols)
    try:
        var = float(np.linalg.inv(X.T @ X)[-1, -1]) * s2
    except np.linalg.LinAlgError:
        return 0.0, float("inf")
    return float(beta[-1]), float(np.sqrt(max(var, 0.0)))


def rate_prior_stats(num: np.ndarray, den: np.ndarray, q0: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: the best rate q ≥ 0 and the χ² improvement over no leak when the rate also has a
    Gaussian prior N(q0, sigma²): ``max_q [2 q num − q² den − (q − q0)²/σ²] + q0²/σ²`` (``num = sᵀC⁻¹δ``,
    ``den = sᵀC⁻¹s``). With ``sigma`` infinite this is the plain statistic ``num²/den`` (q ≥ 0)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    prec = 1.0 / sigma**2 if np.isfinite(sigma) and sigma > 0 else 0.0  # no prior: precision 0
    q = np.maximum((num + q0 * prec) / (den + prec), 0.0)
    return 2 * q * num - q * q * den - ((q - q0) ** 2 - q0 * q0) * prec, q


@dataclass(frozen=True)
class MeterStep:
    """The largest rise in the metered inflow of a window (:func:`scan_inflow_step`)."""

    k: int  # the first reading after the step
    step_m3h: float  # its size (m³/h), as :func:`inflow_step` fits it
    se_m3h: float  # its least-squares standard error
    base_m3h: float  # the mean inflow before it

    @property
    def z(self) -> float:
        """The step in standard errors (a scan statistic: the best of every split)."""
        return self.step_m3h / self.se_m3h if self.se_m3h > 0 and np.isfinite(self.se_m3h) else 0.0

    @property
    def frac(self) -> float:
        """The step as a share of the inflow before it."""
        return self.step_m3h / self.base_m3h if self.base_m3h > 0 else 0.0


def scan_inflow_step(inflow_m3h: np.ndarray, times_s: np.ndarray, splits: Iterable[int]) -> MeterStep | None:
    """The split of ``splits`` where the inflow rises most in standard errors (:func:`inflow_step` at each,
    all at once: the trend is projected out of the inflow and of every split's step column), or None when it
    rises at none. A leak at night shows here and may hardly show in the pressures: the flows are small,
    and pressure drops grow with their square."""
    f = np.asarray(inflow_m3h, dtype=float)
    t = np.asarray(times_s, dtype=float)
    n = len(f)
    ks = np.array([k for k in splits if 0 < k < n], dtype=int)
    cols = TREND_DEGREE + 2
    if not len(ks) or n <= cols or len(t) != n or not (np.all(np.isfinite(f)) and np.all(np.isfinite(t))):
        return None
    u = (t - t.mean()) / max(float(np.ptp(t)), 1.0)
    U = np.column_stack([u**d for d in range(TREND_DEGREE + 1)])
    H = (np.arange(n)[:, None] >= ks[None, :]).astype(float)  # one step column per split
    proj = U @ np.linalg.pinv(U)
    fr = f - proj @ f
    Hr = H - proj @ H
    hh = np.einsum("ij,ij->j", Hr, Hr)
    hf = Hr.T @ fr
    ok = hh > 1e-12
    step = np.where(ok, hf / np.where(ok, hh, 1.0), 0.0)
    rss = np.maximum(float(fr @ fr) - np.where(ok, hf * step, 0.0), 0.0)
    se = np.where(ok, np.sqrt(rss / (n - cols) / np.where(ok, hh, 1.0)), np.inf)
    z = np.where((step > 0) & (se > 0) & np.isfinite(se), step / np.where(se > 0, se, 1.0), 0.0)
    if not np.any(z > 0):
        return None
    i = int(np.argmax(z))
    k = int(ks[i])
    return MeterStep(k, float(step[i]), float(se[i]), float(np.mean(f[:k])))
