"""How noisy the readings fed to the localizer are, measured from the feed itself.

The localizer's likelihood counts the white noise of one reading (``LocateSettings.sensor_sigma_kpa``, the
inlet meter's ``meter_sigma_frac``), and a site's confidence is calibrated on simulated windows with that
noise. Issue 3's figures assume one reading a minute carrying σ 0.03 kPa (meter 0.5 %). A feed sampled
faster and averaged into 1-minute means (the desktop's leak watch; the demo site's simulator feeds 1 Hz)
gives means √n times less noisy. Assuming 0.03 kPa for them throws that information away and states
confidences for data it does not see.

:func:`estimate_feed_noise` measures it: per point the spread of the samples within the bins, divided by
the square root of a low bin count (the 10th percentile: a window partly filled by a slower history is as
noisy as its sparsest bins). The median point's value is put on a ladder of classes a quarter-octave apart
(:func:`noise_class`), the quietest class not below it by more than two standard errors of the measurement,
so a site is calibrated once per class and a steady feed does not switch between classes. Pressure and meter
share one class, each as a fraction of issue 3's noise of one reading: the pressure points', or the meter's
when it is clearly noisier (a 1 Hz feed's minutes are class 7 for both, :func:`averaged`). ``MIN_CLASS`` (an eighth of one reading's noise, as from 64
independent samples a minute) bounds what is trusted.

Real feeds are not always independent samples, and a mean is only as quiet as its samples are independent:
a poller reading a transmitter faster than it updates repeats values, pressure wobbles for tens of seconds
behind a regulator, a register holds whole steps of 0.01 kPa. So the spread is taken about a straight line
through each minute (a flow that moves within the minute is followed by the minute's mean, not noise of it),
and the count is an *effective* one: the lag-1 autocorrelation ρ of the samples about their minute's line
(pooled, corrected for the bias of removing the line, and 0 unless it is clear of its standard error) makes
n samples count as n²/1ᵀΣ1 for an AR(1) correlation Σ (held values count as fewer samples than they are,
which errs on the noisy side); and a mean is never taken as finer than a quarter of the feed's resolution
(the smallest step between distinct values), which averaging noise smaller than a step does not remove.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

#: issue 3's noise of one reading: pressure σ (kPa) and the inlet meter's σ (fraction of the flow)
NOISE_KPA = 0.03
METER_FRAC = 0.005
#: class k is ``base × 2^(−k/4)``; classes run from MAX_CLASS (noisier than issue 3) to MIN_CLASS
STEPS_PER_OCTAVE = 4
MIN_CLASS = 12  # 2^(−3): an eighth of one reading's noise, i.e. about 64 independent samples a minute
MAX_CLASS = -8  # four times one reading's noise
#: how much noisier than the pressure points (as fractions of issue 3's noise) the meter must measure to set
#: the feed's class: two classes
METER_MARGIN = 2.0 ** (2 / STEPS_PER_OCTAVE)
MIN_BINS = 10  # bins whose spread can be measured (two or more samples) needed for a point


@dataclass(frozen=True)
class FeedNoise:
    """The noise of one reading as the localizer sees it (after any binning)."""

    pressure_kpa: float = NOISE_KPA
    meter_frac: float = METER_FRAC

    @property
    def is_default(self) -> bool:
        return math.isclose(self.pressure_kpa, NOISE_KPA) and math.isclose(self.meter_frac, METER_FRAC)

    def simulator_errors(self) -> dict[str, float]:
        """:class:`engine.simulate.LiveSimulator` keywords simulating readings this noisy."""
        return {"noise_kpa": self.pressure_kpa, "flow_noise_frac": self.meter_frac}

    def describe(self) -> str:
        return f"pressure σ {self.pressure_kpa:.4g} kPa, inlet meter σ {100 * self.meter_frac:.3g} %"


def class_value(base: float, k: int) -> float:
    return base * 2.0 ** (-k / STEPS_PER_OCTAVE)


def noise_class(sigma: float, base: float, current: int | None = None) -> int:
    """The ladder class for a measured ``sigma``: the quietest class still at least ``sigma``. With
    ``current`` given, it is kept while ``sigma`` stays within 5 % of its band (no flapping at a boundary)."""
    if not math.isfinite(sigma) or sigma <= 0:
        return 0 if current is None else current
    k = math.floor(STEPS_PER_OCTAVE * math.log2(base / sigma) + 1e-9)
    k = min(max(k, MAX_CLASS), MIN_CLASS)
    if current is not None and current != k:
        upper, lower = class_value(base, current), class_value(base, current + 1)
        if lower * 0.95 <= sigma <= upper * 1.05:
            return current
    return k


@dataclass(frozen=True)
class Spread:
    """One point's samples binned into minutes (see :func:`bin_spread`)."""

    sd: float  # pooled standard deviation of the samples about their bin's line (nan: not measurable)
    low_count: float  # 10th percentile of the sample counts of the non-empty bins
    multi: int  # bins whose spread was measured (two or more samples)
    rho: float = 0.0  # lag-1 autocorrelation of the samples about their bin's line (bias-corrected; 0 if not shown)
    step: float = 0.0  # the feed's resolution: smallest difference between distinct values (0: continuous)
    fit_count: float = 0.0  # harmonic mean sample count of the bins ``sd`` was measured on
    dof: float = 0.0  # degrees of freedom of ``sd``

    @property
    def relative_error(self) -> float:
        """Standard error of ``sd`` as a fraction of it (of a variance estimate with ``dof`` degrees)."""
        return 1.0 / math.sqrt(2.0 * self.dof) if self.dof > 0 else math.inf

    @property
    def effective_count(self) -> float:
        """The samples of a sparse minute counted as independent ones: n²/1ᵀΣ1 for an AR(1) correlation Σ (one
        when ρ is over ``TRUSTED_RHO``)."""
        if self.rho > TRUSTED_RHO:
            return 1.0
        n = max(int(round(self.low_count)), 1)
        return n * _independent_share(n, self.rho)

    @property
    def mean_sigma(self) -> float:
        """The noise of one (sparse) minute's mean, never under a quarter of the resolution. Removing each
        minute's line takes the part of correlated samples' variance that the line carries, so the spread is
        scaled back by that part (exact for an AR(1) series; 1 for independent samples)."""
        sigma = self.sd / math.sqrt(_kept_share(self.fit_count, self.rho))
        return max(sigma / math.sqrt(self.effective_count), self.step / 4.0)


#: ρ is estimated up to MAX_RHO; over TRUSTED_RHO a minute holds too few independent stretches for the
#: correction to be trusted (synthetic ρ 0.95 read 0.57–1.07 of the truth) and counts as one sample
MAX_RHO = 0.95
TRUSTED_RHO = 0.9
#: a smallest step under this fraction of the values' size is no register's resolution
_FLOAT_GRID = 1e-9
#: bins with at least this many samples measure the correlation (a line leaves too little of fewer)
_RHO_MIN_COUNT = 6
#: correlation matrices are built for at most this many samples a bin (a longer bin is counted as this long)
_MAX_N = 600


def _ar1(n: int, rho: float) -> np.ndarray:
    """Correlation matrix of n consecutive samples of an AR(1) series."""
    k = np.arange(min(n, _MAX_N))
    return min(max(rho, 0.0), MAX_RHO) ** np.abs(k[:, None] - k[None, :])


def _independent_share(n: int, rho: float) -> float:
    """n_eff / n for the mean of n AR(1) samples, n/1ᵀΣ1 (past ``_MAX_N`` samples the inflation of the
    mean's variance is taken as at ``_MAX_N``, close to its asymptote)."""
    if rho <= 0 or n < 2:
        return 1.0
    m = min(n, _MAX_N)
    return m / float(_ar1(m, rho).sum())


def _kept_share(n: float, rho: float) -> float:
    """E[Σr²] / ((n − p)σ²) for the residuals r of n AR(1) samples about their least-squares line (p = 2; about
    their mean, p = 1, for bins of two): 1 for independent samples, less as they wander together."""
    m = int(round(n))
    if m < 2 or rho <= 0:
        return 1.0
    m = min(m, _MAX_N)
    x = np.ones((m, 1)) if m < 3 else np.column_stack([np.ones(m), np.arange(m) - (m - 1) / 2])
    hat = x @ np.linalg.solve(x.T @ x, x.T)
    return float(np.trace((np.eye(m) - hat) @ _ar1(m, rho))) / (m - x.shape[1])


def _resolution(values: np.ndarray) -> float:
    """The smallest step between distinct values when the values lie on a grid of it (a register's
    resolution), else 0 (a continuous feed)."""
    u = np.unique(values)
    if len(u) < 3:
        return 0.0
    d = np.diff(u)
    step = float(d.min())
    scale = max(float(np.max(np.abs(u))), 1.0)
    if step <= _FLOAT_GRID * scale:  # no register is that fine: a continuous feed
        return 0.0
    ratio = d / step
    # a scaled register's values are multiples of its step up to the rounding of floats of this size
    return step if np.all(np.abs(ratio - np.round(ratio)) < 1e-3 + 1e-12 * scale / step) else 0.0


def bin_spread(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> Spread:
    """How one point's samples, binned by ``edges``, spread about a straight line through each bin (so the
    quantity moving within a minute, which the minute's mean follows, is not taken for noise; about the
    mean in bins of two samples)."""
    order = np.argsort(times, kind="stable")
    t, v = np.asarray(times, float)[order], np.asarray(values, float)[order]
    idx = np.digitize(t, edges) - 1
    ok = (idx >= 0) & (idx < len(edges) - 1) & np.isfinite(v) & np.isfinite(t)
    idx, t, v = idx[ok], t[ok], v[ok]
    nb = len(edges) - 1
    counts = np.bincount(idx, minlength=nb)
    if not counts.any():
        return Spread(math.nan, 0.0, 0)
    n = np.maximum(counts, 1)
    tc = t - (np.bincount(idx, weights=t, minlength=nb) / n)[idx]
    vc = v - (np.bincount(idx, weights=v, minlength=nb) / n)[idx]
    stt = np.bincount(idx, weights=tc * tc, minlength=nb)
    line = (counts >= 3) & (stt > 0)
    slope = np.where(line, np.bincount(idx, weights=tc * vc, minlength=nb) / np.where(stt > 0, stt, 1.0), 0.0)
    r = vc - slope[idx] * tc
    dof = np.where(line, counts - 2, np.maximum(counts - 1, 0))
    ss = np.bincount(idx, weights=r * r, minlength=nb)
    measured = _steady(ss, dof)
    rho = _lag1(r, idx, np.where(measured, counts, 0))
    if rho > 0:  # correlated samples spread more from bin to bin: fewer bins are jumps than white noise says
        n = max(int(round(float(np.median(counts[dof > 0])))), 2)
        measured = _steady(ss, dof, _independent_share(n, rho))
        rho = _lag1(r, idx, np.where(measured, counts, 0))
    total = float(dof[measured].sum())
    sd = math.sqrt(float(ss[measured].sum()) / total) if total else math.nan
    fit = 1.0 / float(np.mean(1.0 / counts[measured])) if measured.any() else 0.0
    low = float(np.percentile(counts[counts > 0], 10))
    return Spread(sd, low, int(measured.sum()), rho, _resolution(v), fit, total)


#: a bin whose spread is beyond this quantile of the others' is a jump of the quantity, not noise
_JUMP_QUANTILE = 0.9999


def _steady(ss: np.ndarray, dof: np.ndarray, independent: float = 1.0) -> np.ndarray:
    """The bins whose spread can be measured (``dof`` > 0) and is not a jump: with σ² the median over the
    bins of ss/median(χ²_k), a bin beyond the χ²_k quantile ``_JUMP_QUANTILE`` of σ² is left out (a leak's
    onset, a valve, a demand step within the minute would otherwise count as noise of every mean). k is a
    bin's degrees of freedom times ``independent``, the share of its samples that count as independent."""
    measured = dof > 0
    if not measured.any():
        return measured
    dof = np.where(measured, np.maximum(np.round(dof * independent), 1), 0).astype(int)
    ks = np.unique(dof[measured])
    med = dict(zip(ks.tolist(), chi2.median(ks).tolist(), strict=True))
    top = dict(zip(ks.tolist(), chi2.ppf(_JUMP_QUANTILE, ks).tolist(), strict=True))
    d = dof[measured]
    sigma2 = float(np.median(ss[measured] / np.array([med[k] for k in d.tolist()])))
    if sigma2 <= 0:
        return measured
    limit = np.zeros(len(ss))
    limit[measured] = sigma2 * np.array([top[k] for k in d.tolist()])
    return measured & (ss <= limit)


def _lag1(r: np.ndarray, idx: np.ndarray, counts: np.ndarray) -> float:
    """Lag-1 autocorrelation of the residuals ``r`` (time order) about their bin's line, over pairs within
    bins of ``_RHO_MIN_COUNT`` or more samples, corrected for the bias of removing each bin's line (about
    −(2 + 5ρ)/n for n samples of an AR(1) series, so white noise reads about 0). A value within two standard
    errors of 0 is taken as 0: samples count as independent unless they show otherwise."""
    big = counts >= _RHO_MIN_COUNT
    use = big[idx]
    same = (idx[1:] == idx[:-1]) & use[1:]
    den = float(np.sum(r[use] ** 2))
    if not same.any() or den <= 0:
        return 0.0
    raw = float(np.sum(r[1:][same] * r[:-1][same])) / den
    # each bin's bias weighed by its share of the residuals (a few long bins among short ones bias little)
    share = np.bincount(idx[use], weights=r[use] ** 2, minlength=len(counts)) / den
    inv_n = float(np.sum(share[big] / counts[big]))
    gain = 1.0 / (1.0 - 5.0 * inv_n)
    rho = (raw + 2.0 * inv_n) * gain
    return min(rho, MAX_RHO) if rho > 2.0 * gain / math.sqrt(int(same.sum())) else 0.0


def estimate_feed_noise(series: Mapping[str, tuple[np.ndarray, np.ndarray]], quantities: Mapping[str, str],
                        edges: np.ndarray, current: FeedNoise | None = None) -> FeedNoise:
    """The noise of one bin mean for the pressure points and the inlet meter(s) of ``series`` (point →
    (times, values)), as one class of the ladder for both (see the module docstring): the pressure points'
    (their median) as a fraction of issue 3's noise of one reading, or the meter's if that is more than
    ``METER_MARGIN`` times noisier, so a feed has one class and a site one calibration for it (a meter noisier
    than its pressure transmitters makes the class noisier for both: on the safe side). With nothing
    measurable it keeps ``current`` (issue 3's default when None)."""
    current = current or FeedNoise()
    pressure: list[tuple[float, float]] = []  # (σ of a minute's mean / issue 3's σ, its relative standard error)
    meter: list[tuple[float, float]] = []
    for point, (t, v) in series.items():
        q = quantities.get(point)
        if q not in ("pressure_kpa", "flow_m3h"):
            continue
        t, v = np.asarray(t, float), np.asarray(v, float)
        spread = bin_spread(t, v, edges)
        if spread.multi < MIN_BINS or not math.isfinite(spread.sd) or spread.low_count < 1:
            continue
        sigma = spread.mean_sigma
        if q == "pressure_kpa":
            pressure.append((sigma / NOISE_KPA, spread.relative_error))
        else:
            level = float(np.nanmean(np.abs(v)))
            if level > 0:
                meter.append((sigma / level / METER_FRAC, spread.relative_error))
    p, m = _lowered(pressure), _lowered(meter)
    if p is None and m is None:
        return current
    # The meter's spread also holds the flow's own movement within the minute (which its mean follows), and
    # it is one point: it sets the class only when clearly noisier than the pressure points (two classes).
    factor = m if p is None or (m is not None and m > p * METER_MARGIN) else p
    now = round(STEPS_PER_OCTAVE * math.log2(NOISE_KPA / current.pressure_kpa))
    return at_class(noise_class(factor, 1.0, now))


def _lowered(measured: Sequence[tuple[float, float]]) -> float | None:
    """The median point's value, lowered by two standard errors of the measurement (the median of m points:
    about 1.25/√m of one point's), so that a feed whose true noise sits just under a class value is not put
    in the next noisier class by chance half of the time; None when nothing was measured."""
    if not measured:
        return None
    values, errors = zip(*measured, strict=True)
    # The median point: one noisier transmitter is the point-health watch's business, not the whole site's.
    se = min(float(np.median(errors)) * (1.25 if len(values) > 2 else 1.0) / math.sqrt(len(values)), 0.25)
    value = float(np.median(values)) * (1.0 - 2.0 * se)
    return value if math.isfinite(value) and value > 0 else None


def at_class(k: int) -> FeedNoise:
    """The noise of class ``k``: issue 3's noise of one reading times 2^(−k/4), pressure and meter alike."""
    return FeedNoise(class_value(NOISE_KPA, k), class_value(METER_FRAC, k))


def averaged(samples_per_reading: float) -> FeedNoise:
    """The class of readings that are means of ``samples_per_reading`` independent samples, each with issue
    3's noise (e.g. 60 for 1-minute means of a 1 Hz feed): the quietest class at least 1/√n of one reading's."""
    return at_class(noise_class(1.0 / math.sqrt(samples_per_reading), 1.0))
