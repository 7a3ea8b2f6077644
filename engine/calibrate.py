"""Model calibration from a no-leak period: roughness groups, area demand factors and sensor offsets.

Parameters θ = (log roughness multiplier per group, demand factor per area, constant offset per pressure
sensor). For a set of times with the measured inflow F(t), the model pressures are steady states with the
consumers' nominal demands × area factor, rescaled so their total equals F(t); the residuals are measured −
model − offset. ``scipy.optimize.least_squares`` fits θ (a few nonlinear parameters, finite differences;
offsets enter linearly). Offsets and roughness separate because drops grow with F² while offsets do not, so
the period should span different demand levels (a few hours of a day). The fit improvement is reported
as RMS residual before (nominal model, offsets only) and after.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from engine.locate import _pressure_points, inflow_sensors
from engine.network import Network
from engine.simulate import Readings
from engine.solver import SolverError, solve

PRIOR_KPA = 0.05  # weight of the prior, in kPa of residual per prior standard deviation


@dataclass
class CalibrationResult:
    roughness_factor: dict[str, float]  # group → multiplier of roughness_mm
    demand_factor: dict[str, float]  # area (or "*") → multiplier of nominal demand
    offset_kpa: dict[str, float]  # pressure sensor → constant offset (measured − true)
    rms_before_kpa: float
    rms_after_kpa: float
    times_used: int

    def apply(self, network: Network) -> Network:
        """A calibrated copy of ``network`` (the original is not changed)."""
        net = copy.deepcopy(network)
        for p in net.pipes.values():
            p.roughness_mm *= self.roughness_factor.get(roughness_group(p), 1.0)
        for n in net.nodes.values():
            n.demand_m3h *= self.demand_factor.get(n.area or "*", 1.0)
        return net


def roughness_group(pipe) -> str:  # noqa: ANN001
    """Pipes are grouped by material (steel / PE / other)."""
    m = (pipe.material or "").lower()
    return "steel" if "steel" in m or "钢" in m else "pe" if "pe" in m else "other"


def calibrate(network: Network, readings: Readings, *, max_times: int = 12) -> CalibrationResult:
    """Fit roughness groups, area demand factors and sensor offsets to a no-leak ``readings`` period."""
    cols = _pressure_points(network, readings)
    inflow = [p for p in inflow_sensors(network) if p in readings.points]
    if len(cols) < 2 or not inflow:
        raise ValueError("calibration needs at least two pressure sensors and the inlet flow meter in the readings")
    Y = np.column_stack([readings.column(p) for p, _n in cols])
    F = np.sum(np.column_stack([readings.column(p) for p in inflow]), axis=1)
    ok = np.isfinite(F) & np.all(np.isfinite(Y), axis=1)
    if ok.sum() < 3:
        raise ValueError("calibration needs at least three complete readings")
    idx = np.flatnonzero(ok)
    # Spread the used times over the range of demand levels.
    order = idx[np.argsort(F[idx])]
    pick = order[np.linspace(0, len(order) - 1, min(max_times, len(order))).astype(int)]
    Y, F = Y[pick], F[pick]
    nodes = [n for _p, n in cols]
    groups = sorted({roughness_group(p) for p in network.pipes.values()})
    areas = sorted({n.area or "*" for n in network.nodes.values() if n.demand_m3h > 0})
    base = {p.id: p.roughness_mm for p in network.pipes.values()}
    nominal = {n.id: n.demand_m3h for n in network.nodes.values() if n.demand_m3h > 0}
    work = copy.deepcopy(network)
    cache: dict[str, object] = {}

    def model(theta: np.ndarray) -> np.ndarray:
        rf = dict(zip(groups, np.exp(theta[: len(groups)]), strict=True))
        df = dict(zip(areas, np.maximum(theta[len(groups):], 0.05), strict=True))
        for p in work.pipes.values():
            p.roughness_mm = base[p.id] * rf[roughness_group(p)]
        d = {nid: v * df[network.nodes[nid].area or "*"] for nid, v in nominal.items()}
        total = sum(d.values())
        out = np.empty_like(Y)
        for t, f in enumerate(F):
            scaled = {nid: v * f / total for nid, v in d.items()}
            try:
                sol = solve(work, demands=scaled, initial=cache.get("last"))  # type: ignore[arg-type]
            except SolverError:
                sol = solve(work, demands=scaled)
            cache["last"] = sol
            out[t] = [sol.pressure_kpa[n] for n in nodes]
        return out

    def residual(theta: np.ndarray) -> np.ndarray:
        r = Y - model(theta)
        # Offsets profiled out (linear); a weak prior keeps the fit well posed: demand factors only matter
        # relative to each other (the total follows the inflow), roughness within a factor of ~e.
        prior = np.concatenate([theta[: len(groups)] / 1.0, (theta[len(groups):] - 1.0) / 0.3]) * PRIOR_KPA
        return np.concatenate([(r - r.mean(axis=0)).ravel(), prior])

    theta0 = np.concatenate([np.zeros(len(groups)), np.ones(len(areas))])
    r0 = residual(theta0)
    fit = least_squares(residual, theta0, diff_step=1e-3, max_nfev=40 * len(theta0),
                        bounds=(np.concatenate([np.full(len(groups), -3.0), np.full(len(areas), 0.2)]),
                                np.concatenate([np.full(len(groups), 3.0), np.full(len(areas), 5.0)])))
    offsets = (Y - model(fit.x)).mean(axis=0)
    n_meas = Y.size
    # Report demand factors normalised to a nominal-weighted mean of 1 (the total follows the inflow).
    area_nominal = {a: sum(v for nid, v in nominal.items() if (network.nodes[nid].area or "*") == a) for a in areas}
    dfs = dict(zip(areas, fit.x[len(groups):], strict=True))
    norm = sum(dfs[a] * area_nominal[a] for a in areas) / max(sum(area_nominal.values()), 1e-12)
    return CalibrationResult(
        roughness_factor={g: float(np.exp(v)) for g, v in zip(groups, fit.x[: len(groups)], strict=True)},
        demand_factor={a: float(dfs[a] / norm) for a in areas},
        offset_kpa={p: float(o) for (p, _n), o in zip(cols, offsets, strict=True)},
        rms_before_kpa=float(np.sqrt(np.mean(r0[:n_meas] ** 2))),
        rms_after_kpa=float(np.sqrt(np.mean(fit.fun[:n_meas] ** 2))),
        times_used=len(F),
    )
