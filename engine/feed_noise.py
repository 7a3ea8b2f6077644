"""How noisy the readings fed to the localizer are, measured from the feed itself.

The localizer's likelihood counts the white noise of one reading (``LocateSettings.sensor_sigma_kpa``, the
inlet meter's ``meter_sigma_frac``), and a site's confidence is calibrated on simulated windows with that
noise. Issue 3's figures assume one reading a minute carrying σ 0.03 kPa (meter 0.5 %). A feed sampled
faster and averaged into 1-minute means (the desktop's leak watch; the demo site's simulator feeds 1 Hz)
gives means √n times less noisy. Assuming 0.03 kPa for them throws that information away and states
confidences for data it does not see.

:func:`estimate_feed_noise` measures it: per point the spread of the samples about their bin's mean (pooled
over the bins with two or more samples), divided by the square root of a low bin count (the 10th percentile:
a window partly filled by a slower history is as noisy as its sparsest bins). The value is put on a ladder
of classes a quarter-octave apart (:func:`noise_class`), never below the measured value, so a site is
calibrated once per class and a steady feed does not switch between classes. It assumes the noise of the
samples within a minute is independent; ``MIN_CLASS`` (an eighth of one reading's noise, as from 64 independent
samples a minute) bounds what is trusted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: issue 3's noise of one reading: pressure σ (kPa) and the inlet meter's σ (fraction of the flow)
NOISE_KPA = 0.03
METER_FRAC = 0.005
#: class k is ``base × 2^(−k/4)``; classes run from MAX_CLASS (noisier than issue 3) to MIN_CLASS
STEPS_PER_OCTAVE = 4
MIN_CLASS = 12  # 2^(−3): an eighth of one reading's noise, i.e. about 64 independent samples a minute
MAX_CLASS = -8  # four times one reading's noise
MIN_BINS = 10  # bins with two or more samples needed to measure a point's spread


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


def bin_spread(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> tuple[float, float, int]:
    """(pooled standard deviation of the samples about their bin's mean, 10th percentile of the counts of the
    non-empty bins, number of bins with two or more samples) for one point's samples binned by ``edges``."""
    idx = np.digitize(times, edges) - 1
    ok = (idx >= 0) & (idx < len(edges) - 1) & np.isfinite(values)
    idx, v = idx[ok], values[ok]
    nb = len(edges) - 1
    counts = np.bincount(idx, minlength=nb)
    if not counts.any():
        return math.nan, 0.0, 0
    means = np.bincount(idx, weights=v, minlength=nb) / np.maximum(counts, 1)
    ss = np.bincount(idx, weights=(v - means[idx]) ** 2, minlength=nb)
    multi = counts >= 2
    dof = float(np.sum(counts[multi] - 1))
    sd = math.sqrt(float(ss[multi].sum()) / dof) if dof > 0 else math.nan
    return sd, float(np.percentile(counts[counts > 0], 10)), int(multi.sum())


def estimate_feed_noise(series: Mapping[str, tuple[np.ndarray, np.ndarray]], quantities: Mapping[str, str],
                        edges: np.ndarray, current: FeedNoise | None = None) -> FeedNoise:
    """The noise of one bin mean for the pressure points and the inlet meter(s) of ``series`` (point →
    (times, values)), as ladder classes (see the module docstring). A quantity with too few multi-sample
    bins to measure keeps ``current``'s value (issue 3's default when None)."""
    current = current or FeedNoise()
    pressure: list[float] = []
    meter: list[float] = []
    for point, (t, v) in series.items():
        q = quantities.get(point)
        if q not in ("pressure_kpa", "flow_m3h"):
            continue
        t, v = np.asarray(t, float), np.asarray(v, float)
        sd, low_count, n_multi = bin_spread(t, v, edges)
        if n_multi < MIN_BINS or not math.isfinite(sd) or low_count < 1:
            continue
        sigma = sd / math.sqrt(low_count)
        if q == "pressure_kpa":
            pressure.append(sigma)
        else:
            level = float(np.nanmean(np.abs(v)))
            if level > 0:
                meter.append(sigma / level)
    return FeedNoise(_classed(pressure, NOISE_KPA, current.pressure_kpa),
                     _classed(meter, METER_FRAC, current.meter_frac))


def _classed(sigmas: Sequence[float], base: float, current_value: float) -> float:
    if not sigmas:
        return current_value
    current = round(STEPS_PER_OCTAVE * math.log2(base / current_value))
    # The median point: one noisier transmitter is the point-health watch's business, not the whole site's.
    return class_value(base, noise_class(float(np.median(sigmas)), base, current))


def averaged(samples_per_reading: float) -> FeedNoise:
    """The classes of readings that are means of ``samples_per_reading`` independent samples, each with issue
    3's noise (e.g. 60 for 1-minute means of a 1 Hz feed), as :func:`estimate_feed_noise` would put them."""
    f = math.sqrt(samples_per_reading)
    return FeedNoise(class_value(NOISE_KPA, noise_class(NOISE_KPA / f, NOISE_KPA)),
                     class_value(METER_FRAC, noise_class(METER_FRAC / f, METER_FRAC)))
