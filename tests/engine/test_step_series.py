"""The multi-snapshot step likelihood (engine/step_series.py) against a dense GLS and the two-means case."""

import numpy as np
import pytest

from engine.step_series import ar1_kernel, step_glrt, step_series


def _dense_stat(R, times, M, N, tau, h, g, k, s):
    """χ² improvement of the step q·s from reading k on, baseline per sensor profiled, by brute force."""
    T, n = R.shape
    C = np.kron(ar1_kernel(times, tau) * np.outer(g, g), M) + np.kron(np.eye(T), N)
    Ci = np.linalg.inv(C)
    X = np.kron(np.ones((T, 1)), np.eye(n))
    u = h * (np.arange(T) >= k)
    x = np.kron(u[:, None], s[:, None])[:, 0]
    W = Ci - Ci @ X @ np.linalg.solve(X.T @ Ci @ X, X.T @ Ci)
    r = R.reshape(-1)
    return (x @ W @ r) ** 2 / (x @ W @ x), (x @ W @ r) / (x @ W @ x)


@pytest.mark.parametrize("seed", [0, 1])
def test_kronecker_statistics_equal_a_dense_gls(seed):
    rng = np.random.default_rng(seed)
    T, n = 14, 4
    times = np.sort(rng.uniform(0, 3000, T))
    X = rng.normal(size=(n, n))
    M = X @ X.T * 0.02
    N = np.diag(rng.uniform(0.5, 2.0, n)) * 1e-3
    h = rng.uniform(0.7, 1.3, T)
    g = h**2
    S = rng.normal(size=(n, 3))
    R = rng.normal(size=(T, n)) * 0.05 + np.outer(h * (np.arange(T) >= 6), S[:, 0]) * 0.3
    series = step_series(R, times, M, N, 1800.0, gain=h, drift_gain=g)
    for k in (3, 6, 11):
        stats, q = step_glrt(*series.at(k), S)
        for j in range(3):
            want, q_want = _dense_stat(R, times, M, N, 1800.0, h, g, k, S[:, j])
            if q_want > 0:
                assert stats[j] == pytest.approx(want, rel=1e-6)
                assert q[j] == pytest.approx(q_want, rel=1e-6)
            else:
                assert stats[j] == 0.0 and q[j] == 0.0


def test_white_noise_only_reduces_to_the_difference_of_two_means():
    rng = np.random.default_rng(3)
    T, n, k, sigma = 20, 3, 8, 0.05
    R = rng.normal(size=(T, n)) * sigma
    s = np.array([1.0, -0.5, 0.2])
    series = step_series(R, np.arange(T) * 60.0, np.zeros((n, n)), sigma**2 * np.eye(n), 1800.0)
    stat, _q = step_glrt(*series.at(k), s[:, None])
    delta = R[k:].mean(axis=0) - R[:k].mean(axis=0)
    both = 1 / k + 1 / (T - k)
    expected = max(s @ delta, 0.0) ** 2 / (sigma**2 * both * (s @ s))
    assert stat[0] == pytest.approx(expected, rel=1e-9)


def test_a_drifting_error_weighs_the_readings_next_to_the_onset_most():
    # A slow drift (AR(1)) that happens to move like a step over the window: the two-means view sees a large
    # step, the series view knows a drift changes little between adjacent readings and finds much less.
    T, n = 40, 1
    times = np.arange(T) * 60.0
    ramp = np.linspace(0.0, 0.4, T)[:, None]
    M, N = np.eye(n) * 0.1**2, np.eye(n) * 0.01**2
    series = step_series(ramp, times, M, N, 1800.0)
    s = np.ones((1, 1))
    drift_only = step_glrt(*series.at(20), s)[0][0]
    stepped = ramp + 0.2 * (np.arange(T) >= 20)[:, None]
    with_step = step_glrt(*step_series(stepped, times, M, N, 1800.0).at(20), s)[0][0]
    assert with_step > 10 * max(drift_only, 1e-9)
    assert with_step > 25


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="shapes"):
        step_series(np.zeros((5, 2)), np.arange(5.0), np.eye(3), np.eye(2), 100.0)


def test_series_localization_keeps_the_two_means_detection_and_finds_the_leak():
    """Detection (statistic, onset) is the two-means GLRT either way; the series likelihood only changes
    the posterior, and on a demo-site leak its interval still holds the leak pipe and is no longer."""
    import engine
    from anran_desktop.resources import demo_site_path
    from engine.locate import LocateSettings, Locator
    from engine.simulate import ScheduledLeak, parse_time, simulate
    from engine.solver import Leak

    net = engine.load_network(demo_site_path())
    t0 = parse_time("2026-11-24T01:00:00Z")
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 45, leaks=[ScheduledLeak(Leak(pipe, 20.0), t0 + 1500)], seed=21, start=t0)
    means, series = Locator(net, LocateSettings(series=False)), Locator(net, LocateSettings(series=True))
    a, b = means.scan(r), series.scan(r)
    assert a.stat_max == pytest.approx(b.stat_max) and a.k == b.k
    assert not np.allclose(a.stats, b.stats)
    ra, rb = means.result(a, temperature=0.6), series.result(b, temperature=0.6)
    assert rb.leak_detected and pipe in rb.interval_pipes
    assert rb.interval_length_m <= ra.interval_length_m
