"""Time grid alignment, skew estimation and gap filling with flags."""

from __future__ import annotations

import numpy as np
import pytest

from anran_desktop.ingest.align import (
    align,
    correct_skew,
    estimate_offset_by_arrival,
    estimate_offset_by_xcorr,
)
from anran_desktop.ingest.base import Sample, SampleFlag


def test_arrival_offset_recovers_a_clock_running_ahead():
    rng = np.random.default_rng(1)
    true_t = np.arange(1000.0)
    stamps = true_t + 37.5  # source clock 37.5 s ahead
    arrivals = true_t + rng.exponential(0.3, true_t.size) + 0.01
    assert estimate_offset_by_arrival(stamps, arrivals) == pytest.approx(37.5, abs=0.05)
    with pytest.raises(ValueError):
        estimate_offset_by_arrival(np.array([]), np.array([]))


def test_xcorr_offset_between_two_gauges_seeing_the_same_process():
    rng = np.random.default_rng(2)
    t = np.arange(0.0, 3600.0, 1.0)
    process = np.cumsum(rng.normal(0, 1, t.size))
    ref = (t, process + rng.normal(0, 0.05, t.size))
    other = (t + 12.0, process + 3 + rng.normal(0, 0.05, t.size))  # stamps 12 s ahead
    assert estimate_offset_by_xcorr(ref, other, 1.0, 60) == pytest.approx(12.0, abs=0.5)


def test_correct_skew_keeps_flags():
    s = correct_skew([Sample(100.0, "P", "pressure_kpa", 1.0, SampleFlag.SUSPECT)], 10.0)
    assert s[0].time == 90.0 and s[0].flags == SampleFlag.SUSPECT


def test_grid_measured_interpolated_model_and_missing_are_told_apart():
    t = np.array([0.0, 1.0, 2.0, 5.0, 6.0, 20.0])  # gap 2→5 (short), 6→20 (long)
    v = np.array([10.0, 11.0, 12.0, 15.0, 16.0, 30.0])
    model = (np.arange(0.0, 30.0), np.full(30, 99.0))
    f = align({"A": (t, v), "B": (t, v)}, 0, 22, 1.0, max_interp_gap_s=4, model={"A": model})
    a, fa = f.column("A")
    assert np.array_equal(fa[[0, 1, 2, 5, 6, 20]], [0] * 6)
    assert np.allclose(a[[3, 4]], [13, 14]) and np.all(fa[[3, 4]] == SampleFlag.INTERPOLATED)
    assert np.all(a[7:20] == 99) and np.all(fa[7:20] == SampleFlag.MODEL)
    assert fa[21] == SampleFlag.MODEL  # after the last measurement: model only
    b, fb = f.column("B")
    assert np.all(np.isnan(b[7:20])) and f.missing[7:20, 1].all()
    assert np.all(fb[7:20] == 0)
    fr = f.filled_fraction()
    assert fr["A"] == pytest.approx(16 / 22) and fr["B"] == pytest.approx(16 / 22)
    filled = f.filled_samples({"A": "pressure_kpa"})
    assert all(s.flags in (SampleFlag.INTERPOLATED, SampleFlag.MODEL) for s in filled)
    assert len([s for s in filled if s.point == "A"]) == 16 and len([s for s in filled if s.point == "B"]) == 2


def test_bins_average_faster_sources_and_offsets_apply():
    t = np.arange(0.0, 10.0, 0.25)  # 4 Hz
    v = t.copy()
    f = align({"F": (t + 3.0, v)}, 0, 9, 1.0, offsets={"F": 3.0})
    vals, flags = f.column("F")
    assert np.allclose(vals[1:], np.arange(1.0, 9.0), atol=0.2) and not flags.any()


def test_bad_grid_refused():
    with pytest.raises(ValueError):
        align({}, 10, 0, 1)
