"""State estimation: WLS at one time and an extended Kalman filter (filterpy) over time.

The state is a vector of demand factors, one per demand group (``"global"``: one factor for every
consumer; ``"area"``: one per area). Measurements are the pressure sensors (minus known offsets) and the
inlet flow meter(s). The measurement model is the steady-state solve; its Jacobian comes from the same
one-factorization sensitivities the localizer uses (∂p_sensor/∂d_node, aggregated over each group's
nominal demands; ∂inflow/∂d = 1).

Residuals per sensor are what the desktop plots. :func:`cusum_onset` turns the filter's normalised
innovations into an onset: with the *global* state a demand change is absorbed by the factor (the inflow
tells the filter the total), so the innovations stay white, while a leak withdraws gas where the
consumers are not and leaves a persistent pattern in the pressures — the CUSUM rises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.locate import _pressure_points, inflow_sensors
from engine.network import Network
from engine.sensitivity import pressure_sensitivity
from engine.simulate import Readings
from engine.solver import Solution, SolverError, solve


@dataclass
class StateEstimate:
    factors: dict[str, float]  # demand group → factor on nominal demand
    pressure_kpa: dict[str, float]  # every node
    residual: dict[str, float]  # sensor → measured − estimated (kPa or m³/h)
    chi2: float


@dataclass
class FilterTrack:
    times: np.ndarray
    factors: np.ndarray  # times × groups
    innovations: np.ndarray  # times × measurements (measured − predicted)
    nis: np.ndarray  # normalised innovation squared per time
    points: list[str]
    groups: list[str]
    onset_index: int | None = None
    extra: dict[str, float] = field(default_factory=dict)


class StateModel:
    """The measurement model h(x) and its Jacobian for a network and a set of measured points."""

    def __init__(self, network: Network, points: Sequence[str], *, grouping: str = "global",
                 offsets: Mapping[str, float] | None = None, sigma_kpa: float = 0.05,
                 sigma_flow_frac: float = 0.01) -> None:
        self.network = network
        consumers = [n for n in network.nodes.values() if n.demand_m3h > 0]
        key = (lambda n: n.area or "*") if grouping == "area" else (lambda _n: "global")
        self.groups = sorted({key(n) for n in consumers})
        self.member = {n.id: self.groups.index(key(n)) for n in consumers}
        self.nominal = {n.id: n.demand_m3h for n in consumers}
        r = Readings(np.zeros(0), list(points), [network.sensors[p].quantity if p in network.sensors
                                                 else "pressure_kpa" for p in points], np.zeros((0, len(points))))
        self.pressure = _pressure_points(network, r)
        self.inflow = [p for p in inflow_sensors(network) if p in points]
        self.points = [p for p, _n in self.pressure] + self.inflow
        self.offsets = dict(offsets or {})
        self.sigma = np.array([sigma_kpa] * len(self.pressure)
                              + [sigma_flow_frac * network.total_demand_m3h] * len(self.inflow))
        self._last: Solution | None = None

    def solve_at(self, x: np.ndarray) -> Solution:
        d = {nid: v * max(float(x[self.member[nid]]), 0.0) for nid, v in self.nominal.items()}
        try:
            sol = solve(self.network, demands=d, initial=self._last)
        except SolverError:
            sol = solve(self.network, demands=d)
        self._last = sol
        return sol

    def h(self, sol: Solution) -> np.ndarray:
        p = [sol.pressure_kpa[n] + self.offsets.get(pid, 0.0) for pid, n in self.pressure]
        f = [sol.flow_m3h[self.network.sensors[s].pipe or ""] for s in self.inflow]
        return np.array(p + [abs(v) for v in f])

    def jacobian(self, sol: Solution) -> np.ndarray:
        nodes = [n for _p, n in self.pressure]
        sens = pressure_sensitivity(sol, nodes)
        H = np.zeros((len(self.points), len(self.groups)))
        idx = {n: i for i, n in enumerate(sens.node_ids)}
        for nid, v in self.nominal.items():
            H[: len(nodes), self.member[nid]] += sens.G[:, idx[nid]] * v
            H[len(nodes):, self.member[nid]] += v / max(len(self.inflow), 1)
        return H

    def measurements(self, readings: Readings, i: int) -> np.ndarray:
        return np.array([readings.column(p)[i] for p in self.points])


def wls(network: Network, readings: Readings, index: int = -1, *, grouping: str = "global",
        offsets: Mapping[str, float] | None = None, iterations: int = 4) -> StateEstimate:
    """Weighted least-squares state at one reading time (Gauss–Newton on the demand factors)."""
    model = StateModel(network, readings.points, grouping=grouping, offsets=offsets)
    if not model.inflow or len(model.pressure) < 1:
        raise ValueError("state estimation needs the inlet flow meter and at least one pressure sensor")
    z = model.measurements(readings, index)
    if not np.all(np.isfinite(z)):
        raise ValueError(f"readings at index {index} are incomplete")
    W = 1.0 / model.sigma**2
    x = np.ones(len(model.groups))
    for _ in range(iterations):
        sol = model.solve_at(x)
        r = z - model.h(sol)
        H = model.jacobian(sol)
        A = H.T @ (H * W[:, None]) + 1e-9 * np.eye(len(x))
        x = np.maximum(x + np.linalg.solve(A, H.T @ (W * r)), 0.01)
    sol = model.solve_at(x)
    r = z - model.h(sol)
    return StateEstimate(dict(zip(model.groups, x.tolist(), strict=True)), dict(sol.pressure_kpa),
                         dict(zip(model.points, r.tolist(), strict=True)), float(np.sum(W * r * r)))


def track(network: Network, readings: Readings, *, grouping: str = "global",
          offsets: Mapping[str, float] | None = None, baseline: int = 5, q_per_s: float = 1e-6,
          cusum_drift: float = 1.0, cusum_threshold: float = 25.0) -> FilterTrack:
    """Extended Kalman filter over every reading time; innovations, NIS and a CUSUM onset.

    Without ``offsets`` the constant sensor offsets are taken as the mean WLS residuals of the first
    ``baseline`` readings (sensor biases are larger than their noise: changes against a recent baseline
    carry the signal).
    """
    from filterpy.kalman import ExtendedKalmanFilter

    if offsets is None:
        n0 = min(baseline, len(readings.times))
        res = [wls(network, readings, i, grouping=grouping).residual for i in range(n0)]
        offsets = {p: float(np.mean([r[p] for r in res])) for p in res[0]
                   if p in network.sensors and network.sensors[p].quantity == "pressure_kpa"}

    model = StateModel(network, readings.points, grouping=grouping, offsets=offsets)
    if not model.inflow or len(model.pressure) < 1:
        raise ValueError("state estimation needs the inlet flow meter and at least one pressure sensor")
    n, m = len(model.groups), len(model.points)
    ekf = ExtendedKalmanFilter(dim_x=n, dim_z=m)
    first = wls(network, readings, 0, grouping=grouping, offsets=offsets)
    ekf.x = np.array([first.factors[g] for g in model.groups])
    ekf.P *= 0.05**2
    ekf.R = np.diag(model.sigma**2)
    T = len(readings.times)
    factors = np.full((T, n), np.nan)
    innov = np.full((T, m), np.nan)
    nis = np.full(T, np.nan)
    prev_t = float(readings.times[0])
    for i in range(T):
        z = model.measurements(readings, i)
        dt = max(float(readings.times[i]) - prev_t, 1.0)
        prev_t = float(readings.times[i])
        ekf.Q = np.eye(n) * q_per_s * dt
        ekf.predict()
        if np.all(np.isfinite(z)):
            sol = model.solve_at(ekf.x)
            hx, H = model.h(sol), model.jacobian(sol)
            ekf.update(z, lambda _x, H=H: H, lambda _x, hx=hx: hx)
            innov[i] = ekf.y
            nis[i] = float(ekf.y @ np.linalg.solve(ekf.S, ekf.y))
        factors[i] = ekf.x
    onset = cusum_onset(nis, dof=m, drift=cusum_drift, threshold=cusum_threshold)
    return FilterTrack(np.asarray(readings.times), factors, innov, nis, model.points, model.groups, onset)


def cusum_onset(nis: np.ndarray, *, dof: int, drift: float = 1.0, threshold: float = 25.0) -> int | None:
    """Index where a one-sided CUSUM of (NIS − dof − drift) crosses ``threshold``, traced back to where it
    last left zero (the onset estimate); ``None`` if it never crosses."""
    s, start = 0.0, 0
    for i, v in enumerate(nis):
        if not np.isfinite(v):
            continue
        s_new = max(0.0, s + v - dof - drift)
        if s == 0.0 and s_new > 0.0:
            start = i
        s = s_new
        if s > threshold:
            return start
    return None
