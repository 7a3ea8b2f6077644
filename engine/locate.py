"""Leak detection and localization from a window of readings.

Method (see docs/engine.md):

1. **Demand level from the inlet meter.** The model's no-leak pressures at each time follow the measured
   inflow (demand scaled uniformly), linearised around one converged solve.
2. **Residuals against a pre-onset baseline.** Measured − model pressures, minus their mean before the
   onset: constant sensor biases and the model's constant mismatch cancel.
3. **Signatures from one factorization.** A leak q on pipe j at fraction a withdraws q there while the
   consumers take q less (the inflow is measured): its pressure signature is
   ``s = q · (G·e_j(a) − G·w)``, with ``G`` the sensor-by-node sensitivity matrix and ``w`` the demand shares.
4. **Likelihood.** Residual covariance = sensor noise of the two window means + the inlet meter's noise
   (the model follows the measured inflow, so it enters along ∂p/∂total demand) + consumer demand error
   (each consumer ±σ independently, net of the uniform rescaling to the measured inflow, propagated
   through ``G``, times its AR(1) decorrelation between the two means) + a floor. For every candidate the
   best rate q ≥ 0 is fitted in closed form; its χ² improvement is a GLRT statistic. The onset is the
   split that maximises the best statistic; a leak is reported when that exceeds the detection threshold.
5. **Nonlinear refinement.** Pressure drops grow with the square of the flow, so a leak that is large
   against its path's flow (at night) drops the pressure downstream by up to twice the linear estimate.
   The most likely pipes are re-solved with their fitted leak; the secant signature replaces the linear one.
6. **Localization from every reading.** At the detected onset the candidates are scored by the GLS of the
   whole residual series (``engine.step_series``: a leak is a step that stays, the consumers' deviations
   drift as AR(1)), which weighs the readings next to the onset most; detection keeps the statistic of 4.
   (Optional, ``LocateSettings.series``.)
7. **Posterior and interval.** Candidates' profile likelihoods / a calibrated temperature × a prior
   proportional to pipe length (times any extra evidence: odor reports, on-site readings, valve-closure
   tests) give a probability per pipe; the interval (``engine.interval``) takes pipes by probability per
   metre, highest first: either until they hold the requested confidence, or — with a calibrated density
   level — every pipe above that level (the rule of optimal search), its stated confidence the mass held.
8. **Leak rate.** The inlet meter's step at the onset (``engine.inflow_step``) is a Gaussian prior on each
   candidate's rate: in the posterior (``rate_posterior``; a leak far downstream drops the pressures more
   per m³/h than one near the inlet) and, with a narrower σ, in the rate reported for the most likely
   candidate (``rate_prior``). Detection keeps the statistic of 4.
9. **The inlet meter alone** (``meter_detect``, off by default; the desktop's leak watch and
   ``anran locate --meter-step`` turn it on). When the gauges stay under the threshold, the meter's largest
   rise in the window (``engine.inflow_step.scan_inflow_step``) of at least ``meter_z`` standard errors and
   ``meter_min_frac`` of the inflow reports the leak (``detected_by = "meter"``): at night the flows are
   small, pressure drops grow with their square, and a leak of a third of the inflow can leave the gauges
   under the threshold. The candidates are fitted at the meter's onset
   with the step as a prior on their rate (item 8), so the pipes where such a leak would leave the gauges as
   they are come first; the interval is the fixed-mass one at ``meter_temperature`` or warmer.
10. **Metered consumers** (``engine.consumer_meters``). A large consumer whose own meter the readings carry
   (a flow sensor on the pipe feeding a dead end) takes what its meter reads in the no-leak model (a
   chord-Newton correction of step 1), has no demand error, and a leak takes from the other consumers only;
   the inlet meter's scan and rate prior use the inflow the consumer meters do not explain. A boiler house
   switching on is then no leak.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.consumer_meters import metered_withdrawals
from engine.geo import projection_for
from engine.inflow_step import MeterStep, inflow_step, rate_prior_stats, scan_inflow_step
from engine.interval import IntervalRule, interval, quoted
from engine.network import Network
from engine.sensitivity import pressure_sensitivity
from engine.simulate import Readings, iso_utc
from engine.solver import newton_responses, solve
from engine.step_series import step_glrt, step_series, step_terms

POSITIONS = (1 / 6, 1 / 2, 5 / 6)  # candidate positions along each pipe (fractions from the start)


@dataclass(frozen=True)
class OdorReport:
    """A resident smelled gas near a place (lon/lat or a node id)."""

    lon: float | None = None
    lat: float | None = None
    node: str | None = None
    radius_m: float = 120.0


@dataclass(frozen=True)
class SiteReading:
    """An extra pressure reading taken on site (e.g. a gauge photo), compared with the model's value."""

    node: str
    pressure_kpa: float
    sigma_kpa: float = 1.0


@dataclass(frozen=True)
class ValveTest:
    """Closing ``valves`` isolated part of the network; did the leak signature go away?"""

    valves: tuple[str, ...]
    pressures_restored: bool
    reliability: float = 0.95


Evidence = OdorReport | SiteReading | ValveTest


@dataclass
class Candidate:
    pipe: str
    position_m: float
    probability: float


@dataclass
class LocateResult:
    leak_detected: bool
    onset: str | None
    leak_m3h: float
    interval_pipes: list[str]
    interval_length_m: float
    confidence: float
    candidates: list[Candidate]
    statistic: float = 0.0
    threshold: float = 0.0
    pipe_probability: dict[str, float] = field(default_factory=dict)
    #: "pressure" (the GLRT over the gauges), "meter" (the inlet meter's rise alone, the gauges under the
    #: threshold: ``LocateSettings.meter_detect``) or "" when no leak is reported
    detected_by: str = ""
    meter_step_m3h: float = 0.0  # the inlet meter's rise when it reported the leak

    def to_json(self, limit: int = 20) -> dict[str, Any]:
        return {
            "leak_detected": self.leak_detected,
            "detected_by": self.detected_by or None,
            "onset": self.onset,
            "leak_m3h": round(self.leak_m3h, 3),
            "interval": {"pipes": self.interval_pipes, "length_m": round(self.interval_length_m, 1),
                         "confidence": quoted(self.confidence, 4)},  # rounded down: never overstated
            "candidates": [{"pipe": c.pipe, "position_m": round(c.position_m, 1),
                            "probability": round(c.probability, 5)} for c in self.candidates[:limit]],
        }


@dataclass
class LocateSettings:
    consumer_sigma: float = 0.10  # per-consumer demand uncertainty (fraction of nominal)
    sensor_sigma_kpa: float = 0.03  # white noise of one pressure reading
    floor_kpa: float = 0.01  # unmodelled error floor per sensor
    threshold: float = 14.0  # GLRT statistic needed to report a leak (no-leak windows peak at ≈ 10–13)
    confidence: float = 0.9  # target probability mass of the interval (fixed-mass rule)
    density_level: float = 0.0  # > 0: interval = pipes above this × the uniform probability per metre
    min_confidence: float = 0.5  # density-level rule: the interval holds at least this mass
    min_baseline: int = 5  # readings needed before the onset
    min_after: int = 5  # readings needed after it: a leak must hold for this many readings before it alarms
    temperature: float = 1.0  # posterior tempering (calibrated by benchmarks/locate.py)
    consumer_tau_s: float = 1800.0  # correlation time of a consumer's demand deviation
    meter_sigma_frac: float = 0.005  # inlet meter noise per reading (fraction of the flow)
    series: bool = False  # localize with the GLS over every reading (multi-snapshot) instead of the two means
    refine: int = 48  # most likely pipes whose signature is recomputed by a nonlinear solve (0: linear only)
    refine_passes: int = 2  # the second takes each pipe's secant at the rate the first fitted
    rate_prior: float = 2.0  # > 0: the reported leak rate also weighs the inlet meter's step at the onset,
    # its least-squares standard error times this (engine.inflow_step); 0: the rate from pressures alone
    rate_posterior: float = 8.0  # > 0: so does the posterior over candidates, with the error times this
    # A leak the pressures do not show (at night, when the flows are small) may still be reported from the inlet meter:
    # its largest rise in the window of at least meter_z standard errors and meter_min_frac of the inflow
    # before it (engine.inflow_step.scan_inflow_step). Off by default: the locate benchmark is pressure-only.
    meter_detect: bool = False
    meter_z: float = 12.0
    meter_min_frac: float = 0.08
    # Such a leak's interval: the fixed-mass rule (``confidence``) at this temperature or warmer — the site's
    # calibration is made on leaks the gauges show (development cases: benchmarks/meter_step.py)
    meter_temperature: float = 1.0

    @property
    def min_readings(self) -> int:
        """Complete readings a window needs: the baseline before an onset and the readings after it."""
        return self.min_baseline + self.min_after


@dataclass
class Scan:
    """The expensive part of one window: GLRT statistics per candidate at the best onset split."""

    stats: np.ndarray  # χ² improvement per candidate with its best rate q ≥ 0
    q: np.ndarray  # fitted leak rate per candidate (m³/h)
    k: int  # onset split index
    stat_max: float
    model: dict[str, Any]
    R: np.ndarray  # residuals (times × sensors)
    times: np.ndarray
    rate: np.ndarray  # leak rate per candidate to report: ``q`` weighed with the inlet meter's (m³/h)
    #: the inlet meter's step when it alone reports the leak (``LocateSettings.meter_detect``); then ``k`` is
    #: its onset and ``stats`` the candidates' fit at it, the step a prior on their rate
    meter: MeterStep | None = None


class LocateError(ValueError):
    """The readings cannot be used for localization; the message says why."""


def inflow_sensors(network: Network) -> list[str]:
    """The flow sensors that meter a source's outflow: on a pipe next to a source (their sum is the inflow)."""
    sources = {s.id for s in network.sources}
    out = []
    for s in network.sensors.values():
        if s.quantity == "flow_m3h" and s.pipe in network.pipes:
            p = network.pipes[s.pipe]
            if p.from_node in sources or p.to_node in sources:
                out.append(s.id)
    return out


def _pressure_points(network: Network, readings: Readings) -> list[tuple[str, str]]:
    """(reading column id, node) for every pressure column that maps onto a node."""
    out = []
    for p, q in zip(readings.points, readings.quantities, strict=True):
        if q != "pressure_kpa":
            continue
        if p in network.sensors and network.sensors[p].node:
            out.append((p, network.sensors[p].node))
        elif p in network.nodes:
            out.append((p, p))
    return out


class Locator:
    """Holds the linearised model of a network; ``locate`` can then be called on many windows."""

    def __init__(self, network: Network, settings: LocateSettings | None = None) -> None:
        self.network = network
        self.settings = settings or LocateSettings()
        self.base = solve(network)
        self.pipes = [p for p in network.pipes.values() if p.kind == "pipe" and p.is_open]
        self.pipe_ids = [p.id for p in self.pipes]
        self.pipe_lengths = np.array([p.length_m for p in self.pipes], dtype=float)
        self.total_demand = network.total_demand_m3h
        self.shares = {n.id: n.demand_m3h / self.total_demand for n in network.nodes.values() if n.demand_m3h > 0}
        self._nominal = np.array([n.demand_m3h for n in network.nodes.values() if n.demand_m3h > 0])
        self._cache: dict[tuple[tuple[str, ...], float], Any] = {}
        self._levels: dict[int, Any] = {}  # demand level bin → no-leak solution

    LEVEL_STEP = 0.05  # demand levels (fraction of nominal) at which no-leak states are solved

    def _level(self, k: int) -> Any:  # noqa: ANN401
        sol = self._levels.get(k)
        if sol is None:
            near = min(self._levels, key=lambda j: abs(j - k)) if self._levels else None
            sol = solve(self.network, demand_scale=max(k, 1) * self.LEVEL_STEP,
                        initial=self._levels[near] if near is not None else self.base)
            self._levels[k] = sol
        return sol

    def no_leak_pressures(self, nodes: Sequence[str], inflow_m3h: np.ndarray) -> np.ndarray:
        """Model pressures (times × nodes) with no leak when the consumers take ``inflow_m3h`` in total.

        Demand is scaled uniformly; pressures are interpolated between steady states solved at demand
        levels 5 % apart (cached), so the quadratic growth of pressure drops with flow is kept.
        """
        s = np.clip(np.asarray(inflow_m3h, dtype=float) / self.total_demand, self.LEVEL_STEP, 4.0) / self.LEVEL_STEP
        k0 = np.floor(s).astype(int)
        w = s - k0
        out = np.empty((len(s), len(nodes)))
        for k in np.unique(k0):
            lo, hi = self._level(int(k)), self._level(int(k) + 1)
            plo = np.array([lo.pressure_kpa[n] for n in nodes])
            phi = np.array([hi.pressure_kpa[n] for n in nodes])
            sel = k0 == k
            out[sel] = plo + np.outer(w[sel], phi - plo)
        return out

    def _model(self, nodes: tuple[str, ...], scale: float = 1.0, metered: tuple[str, ...] = ()) -> dict[str, Any]:
        """The model linearised at demand level ``scale`` × nominal (cached per sensor set, level and set of
        metered consumers: nodes whose withdrawal a consumer meter measures, ``engine.consumer_meters``)."""
        key = (nodes, scale, metered)
        m = self._cache.get(key)
        if m is not None:
            return m
        base = self.base if scale == 1.0 else solve(self.network, demand_scale=scale, initial=self.base)
        sens = pressure_sensitivity(base, nodes)
        G = sens.G
        idx = {n: i for i, n in enumerate(sens.node_ids)}
        w = np.zeros(len(sens.node_ids))
        for nid, share in self.shares.items():
            w[idx[nid]] = share
        metered_ix = np.array([idx[n] for n in metered], dtype=int)
        free = 1.0 - float(w[metered_ix].sum())  # the unmetered consumers' share of the nominal demand
        w[metered_ix] = 0.0
        # ∂p / ∂(inflow the meters do not explain), spread over the unmetered consumers by their shares (with
        # no consumer meter: over all of them)
        g_uniform = G @ w / free if free > 1e-9 else np.zeros(len(nodes))
        # Candidate signatures per unit leak (kPa per m³/h), total inflow held at its measured value.
        sig, cand_pipe, cand_pos = [], [], []
        for p in self.pipes:
            a, b = G[:, idx[p.from_node]], G[:, idx[p.to_node]]
            for f in POSITIONS:
                sig.append((1 - f) * a + f * b - g_uniform)
                cand_pipe.append(p.id)
                cand_pos.append(f * p.length_m)
        S = np.array(sig).T  # sensors × candidates
        d = np.array([self.network.nodes[n].demand_m3h for n in sens.node_ids]) * scale
        d[metered_ix] = 0.0  # measured: no demand error
        # One consumer taking δ more moves the measured inflow by δ too, which the no-leak model spreads over
        # all consumers: its residual signature is (G e_i − G w) δ.
        Gp = G - np.outer(g_uniform, d > 0)
        model_cov = (Gp * (self.settings.consumer_sigma * d) ** 2) @ Gp.T
        base_p = np.array([base.pressure_kpa[n] for n in nodes])
        m = {"G": G, "idx": idx, "S": S, "pipe": cand_pipe, "pos": np.array(cand_pos), "g_uniform": g_uniform,
             "model_cov": model_cov, "base_p": base_p, "metered": metered,
             "log_len": np.repeat(np.log(np.maximum(self.pipe_lengths, 1.0)), len(POSITIONS))}
        self._cache[key] = m
        return m

    # ----------------------------------------------------------------------------------------------
    def locate(self, readings: Readings, evidence: Iterable[Evidence] = (), *,
               point_sigma_kpa: Mapping[str, float] | None = None) -> LocateResult:
        """Detect and locate; ``point_sigma_kpa`` adds an error (kPa, 1 σ) to the named pressure points
        whose data are doubtful (e.g. a point-health check found them suspect), so they count less."""
        return self.result(self.scan(readings, point_sigma_kpa=point_sigma_kpa), evidence)

    def scan(self, readings: Readings, *, point_sigma_kpa: Mapping[str, float] | None = None) -> Scan:
        """Residuals, onset scan and per-candidate statistics of one window (the costly part of ``locate``)."""
        st = self.settings
        cols = _pressure_points(self.network, readings)
        extra = point_sigma_kpa or {}
        bad = {p: v for p, v in extra.items() if not (math.isfinite(v) and v >= 0)}
        if bad:
            raise LocateError(f"point_sigma_kpa must be finite and ≥ 0: {bad}")
        extra_var = np.array([float(extra.get(p, 0.0)) ** 2 for p, _n in cols])
        if len(cols) < 2:
            raise LocateError("at least two pressure readings at network nodes are needed")
        inflow = [p for p in inflow_sensors(self.network) if p in readings.points]
        if not inflow:
            raise LocateError("the readings have no inlet flow meter (a flow sensor on a pipe next to a source)")
        nodes = tuple(n for _p, n in cols)
        Y = np.column_stack([readings.column(p) for p, _n in cols])
        F = np.sum(np.column_stack([readings.column(p) for p in inflow]), axis=1)
        ok = np.isfinite(F) & np.all(np.isfinite(Y), axis=1)
        Y, F, times = Y[ok], F[ok], readings.times[ok]
        # Large consumers with their own meter: their withdrawal is measured, not a share of the inflow.
        meters, M = metered_withdrawals(self.network, readings, ok)
        T = len(times)
        if st.min_readings > T:
            raise LocateError(f"need at least {st.min_readings} complete readings, got {T}")
        # Linearise at the window's demand level (pressure drops grow with the square of the flow, so a
        # model linearised at nominal demand is wrong by a factor of several at night or at the dinner peak).
        scale = float(np.clip(round(float(np.median(F)) / self.total_demand / 0.05) * 0.05, 0.05, 4.0))
        m = self._model(nodes, scale, tuple(cm.node for cm in meters))
        # No-leak model at each time: the steady state at the measured inflow.
        R = Y - self.no_leak_pressures(nodes, F)
        F_free = F  # the inflow the consumer meters do not explain: what a leak adds to
        if meters:
            # The metered consumers take what their meters read instead of their share of the inflow, and the
            # others the rest: a boiler house switching on is explained, not a leak.
            R = R - self._metered_correction(nodes, m["metered"], F, M)
            F_free = F - M.sum(axis=1)
        S = m["S"]
        # Onset scan: residual mean after − before for every split, GLRT over candidates.
        csum = np.vstack([np.zeros(R.shape[1]), np.cumsum(R, axis=0)])
        gu2 = np.outer(m["g_uniform"], m["g_uniform"])
        meter_var = (st.meter_sigma_frac * float(np.mean(F))) ** 2
        eye = np.eye(len(nodes))

        def split(k: int) -> tuple[np.ndarray, np.ndarray]:
            """Residual mean after − before the split and its covariance with no leak, as (C⁻¹δ, C⁻¹)."""
            delta = (csum[T] - csum[k]) / (T - k) - csum[k] / k
            both = 1 / k + 1 / (T - k)
            # Consumers' own demand drifts (AR(1), correlation time τ): the part that changed between the
            # centres of the two means; the model follows the measured inflow, so the meter's noise enters
            # along ∂p/∂(total demand); sensor noise of the two means; a floor.
            gap_s = float(np.mean(times[k:]) - np.mean(times[:k]))
            drift = 2 * (1 - math.exp(-gap_s / st.consumer_tau_s))
            C = (m["model_cov"] * drift + meter_var * both * gu2
                 + (st.sensor_sigma_kpa**2 * both + st.floor_kpa**2) * eye + np.diag(extra_var))
            Ci = np.linalg.inv(C)
            return Ci @ delta, Ci

        # Coarse-to-fine onset scan: every third split, then the neighbours of the best (the statistic
        # varies smoothly with the split: both means move by one reading).
        # A split needs min_after readings after it: with two or three the mean of sensor and meter noise alone
        # reached 17.7 (> threshold 14) in one of 150 no-leak windows on the meshed grid (a split 3 readings
        # before the end of a 46-reading window; the same window without sensor noise: 5.3).
        splits = list(range(st.min_baseline, T - max(st.min_after, 1) + 1))
        if not splits:
            raise LocateError("not enough readings to split into before/after")
        scored: dict[int, float] = {}

        def score(ks: Iterable[int]) -> None:
            for kk in ks:
                if kk not in scored and splits[0] <= kk <= splits[-1]:
                    scored[kk] = float(step_glrt(*split(kk), S)[0].max())

        score(splits[::3] + [splits[-1]])
        k0 = max(scored, key=lambda kk: scored[kk])
        score(range(k0 - 2, k0 + 3))
        k = max(scored, key=lambda kk: scored[kk])
        z, A = split(k)
        stats, q = step_glrt(z, A, S)
        if st.refine > 0:
            # The secant signature depends on the rate it is taken at, and the rate fitted with the linear
            # signature can be far off (a large leak on a small pipe: 289 m³/h fitted for 185); a second pass
            # takes each pipe's secant again at the rate the first pass fitted.
            top = self._refine_top(m, stats, q)
            rates = q[top]
            for n_pass in range(st.refine_passes):
                S = self._refine(m, nodes, float(np.mean(F[k:])), top, rates)
                stats, q = step_glrt(z, A, S)
                if n_pass + 1 < st.refine_passes:
                    rates = self._pipe_rates(m, top, stats, q, rates)
        detect = float(stats.max())
        if st.meter_detect and detect < st.threshold:
            meter = self._meter_scan(F_free, times, splits)
            if meter is not None:
                zm, Am = split(meter.k)
                num, den = step_terms(zm, Am, m["S"])
                stats_m = rate_prior_stats(num, den, meter.step_m3h, meter.se_m3h * st.rate_posterior)[0]
                rate_m = rate_prior_stats(num, den, meter.step_m3h, meter.se_m3h * max(st.rate_prior, 1.0))[1]
                return Scan(stats_m, rate_m, meter.k, detect, m, R, times, rate_m, meter)
        zf, Af = z, A
        if st.series:
            # Localization from every reading (multi-snapshot GLS), at the onset the detection found: a leak
            # is a step, consumers' deviations drift (AR(1)); detection keeps the two-means statistic.
            N = st.sensor_sigma_kpa**2 * eye + meter_var * gu2
            level = F / (scale * self.total_demand)
            zs, As = step_series(R, times, m["model_cov"], N, st.consumer_tau_s, gain=level,
                                 drift_gain=level**2).at(k)
            # The GLS step estimate per sensor and its covariance, plus the floor as an error of the step itself
            # (the signatures' own error: linearisation, a leak between candidate positions) and the doubtful
            # points' extra error.
            step = np.linalg.solve(As, zs)
            Ci = np.linalg.inv(np.linalg.inv(As) + st.floor_kpa**2 * eye + np.diag(extra_var))
            zf, Af = Ci @ step, Ci
            stats, q = step_glrt(zf, Af, S)
        rate = q
        if st.rate_prior > 0 or st.rate_posterior > 0:
            # The inlet meter's own estimate of the rate (its step at the onset) as a prior on each candidate's
            # rate. Its least-squares error understates the error of a step against the consumers'
            # autocorrelated drift (2-3x on development cases), hence the inflation. The reported rate takes
            # it with σ × rate_prior; the posterior with the wider σ × rate_posterior (a leak far downstream
            # drops the pressures more per m³/h than one near the inlet: the meter says which size of drop to
            # expect). Detection keeps the statistic without it.
            num, den = step_terms(zf, Af, S)
            q0, q_sigma = inflow_step(F_free, times, k)
            if st.rate_prior > 0:
                rate = rate_prior_stats(num, den, q0, q_sigma * st.rate_prior)[1]
            if st.rate_posterior > 0:
                stats = rate_prior_stats(num, den, q0, q_sigma * st.rate_posterior)[0]
        return Scan(stats, q, k, detect, m, R, times, rate)

    CORRECTION_GRID = (0.02, 0.0025)  # inflow, metered withdrawals: fractions of the nominal demand

    def _metered_correction(self, nodes: tuple[str, ...], metered: tuple[str, ...], F: np.ndarray,
                            M: np.ndarray) -> np.ndarray:
        """Pressures (times × sensors) of the consumers as metered minus those of the uniform model: at each
        time the metered consumers take ``M`` (times × metered) and the others share the rest of the inflow
        ``F``, against every consumer taking its share of ``F``. Both by three chord-Newton iterations from
        the no-leak state at the window's level, so the quadratic growth of pressure drops is kept (a boiler
        house of 15 % of the nominal demand switching on at night left residuals of up to 2.5 GLRT thresholds
        when linearised)."""
        base = self._level(max(int(round(float(np.median(F)) / self.total_demand / self.LEVEL_STEP)), 1))
        graph = base.graph
        nominal = np.array([self.network.nodes[n].demand_m3h if n in self.network.nodes else 0.0
                            for n in graph.node_ids])
        metered_ix = np.array([graph.index[n] for n in metered], dtype=int)
        free = nominal.copy()
        free[metered_ix] = 0.0
        free_total = float(free.sum())
        # The correction hardly moves with the inflow (a second-order effect) and steps with the meters: it is
        # solved once per state on a grid of 2 % of the nominal demand for the inflow and 0.25 % for the meters
        # (a window of 46 readings has a few).
        grid = self.total_demand * np.r_[self.CORRECTION_GRID[0], np.full(M.shape[1], self.CORRECTION_GRID[1])]
        keys, back = np.unique(np.round(np.column_stack([F, M]) / grid).astype(np.int64), axis=0,
                               return_inverse=True)
        uniform, actual = [], []
        for key in keys:
            f, mt = key[0] * grid[0], key[1:] * grid[1:]
            uniform.append(nominal * (f / self.total_demand))
            d = free * (max(f - float(mt.sum()), 0.0) / free_total) if free_total > 0 else np.zeros_like(free)
            d[metered_ix] = np.maximum(mt, 0.0)
            actual.append(d)
        p = np.array(newton_responses(base, actual + uniform, self.network.normal_density, steps=3))
        sensor_ix = [graph.index[n] for n in nodes]
        n = len(keys)
        return (p[:n, sensor_ix] - p[n:, sensor_ix])[np.ravel(back)]

    def _meter_scan(self, F: np.ndarray, times: np.ndarray, splits: list[int]) -> MeterStep | None:
        """The inlet meter's largest rise if it reports a leak on its own (``meter_z``, ``meter_min_frac``).
        Its candidates are fitted with the linear signatures at the meter's onset, the step a prior on their
        rate (σ × ``rate_posterior``): the pipes where a leak of that size would leave the gauges as they
        are come first."""
        st = self.settings
        meter = scan_inflow_step(F, times, splits)
        if meter is None or meter.z < st.meter_z or meter.frac < st.meter_min_frac:
            return None
        return meter

    def _refine_top(self, m: dict[str, Any], stats: np.ndarray, q: np.ndarray) -> np.ndarray:
        """The best candidate (column) of each of the ``refine`` most likely pipes with a positive rate."""
        pipes = np.array(m["pipe"])
        top: list[int] = []
        seen: set[str] = set()
        for j in np.argsort(-stats):
            if q[j] > 0 and pipes[j] not in seen:
                seen.add(str(pipes[j]))
                top.append(int(j))
            if len(top) >= self.settings.refine:
                break
        return np.array(top, dtype=int)

    @staticmethod
    def _pipe_rates(m: dict[str, Any], top: np.ndarray, stats: np.ndarray, q: np.ndarray,
                    rates: np.ndarray) -> np.ndarray:
        """Each refined pipe's fitted rate at its best position now (its previous rate if none is positive)."""
        pipes = np.array(m["pipe"])
        out = np.array(rates, dtype=float)
        for i, j in enumerate(top):
            cols = np.flatnonzero(pipes == pipes[j])
            if q[cols].max() > 0:
                out[i] = float(q[cols][np.argmax(stats[cols])])
        return out

    def _refine(self, m: dict[str, Any], nodes: tuple[str, ...], inflow: float,
                top: np.ndarray, rates: np.ndarray) -> np.ndarray:
        """Nonlinear signatures for the most likely pipes: pressure drops grow with the square of the flow,
        so a leak that is large against its path's flow (at night) drops the pressure downstream by up to
        twice the linear estimate. For each pipe of ``top`` (candidate columns, from :meth:`_refine_top`),
        three chord-Newton iterations from the no-leak state with a leak of its ``rates`` entry at the pipe
        end nearest that candidate's position (chord iterations on the no-leak Jacobian, factorized once)
        give the secant signature there; its ratio to the linear one corrects the pipe's three positions per
        sensor. Returns the signature matrix with those pipes' columns corrected."""
        pipes = np.array(m["pipe"])
        if not len(top):
            return m["S"]
        base = self._level(max(int(round(inflow / self.total_demand / self.LEVEL_STEP)), 1))
        graph = base.graph
        sensor_ix = [graph.index[n] for n in nodes]
        p0 = np.array([base.pressure_kpa[n] for n in nodes])
        consumers = graph.demand * 3600.0
        free = np.ones(len(consumers), dtype=bool)  # the consumers a leak takes from: not the metered ones
        free[[graph.index[n] for n in m["metered"]]] = False
        level_total = float(consumers[free].sum())
        if level_total <= 0:
            return m["S"]
        S = m["S"].copy()
        plan = []
        for j, fitted in zip(top, rates, strict=True):
            pipe = self.network.pipes[str(pipes[j])]
            rate = min(float(fitted), 0.9 * level_total)
            end = pipe.from_node if m["pos"][j] < pipe.length_m / 2 else pipe.to_node
            demand = np.where(free, consumers * (level_total - rate) / level_total, consumers)
            demand[graph.index[end]] += rate
            plan.append((pipe.id, end, rate, demand))
        responses = newton_responses(base, [d for *_x, d in plan], self.network.normal_density, steps=3)
        for (pid, end, rate, _d), p in zip(plan, responses, strict=True):
            exact = (p[sensor_ix] - p0) / rate
            lin = m["G"][:, m["idx"][end]] - m["g_uniform"]
            ok = np.abs(lin) > 1e-12
            ratio = np.clip(np.where(ok, exact / np.where(ok, lin, 1.0), 1.0), 0.5, 3.0)
            ratio = np.where(np.isfinite(ratio), ratio, 1.0)
            cols = np.flatnonzero(pipes == pid)
            S[:, cols] = S[:, cols] * ratio[:, None]
        return S

    def posterior(self, scan: Scan, evidence: Iterable[Evidence] = (),
                  temperature: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Probability per candidate and per pipe (in :attr:`pipe_ids` order) from a :meth:`scan`:
        profile likelihood / temperature × a prior proportional to pipe length × the evidence."""
        temp = self.settings.temperature if temperature is None else temperature
        m = scan.model
        logpost = 0.5 * scan.stats / temp + m["log_len"] + self._evidence_loglik(m, evidence, scan.R, scan.k)
        post = np.exp(logpost - logpost.max())
        post /= post.sum()
        return post, post.reshape(len(self.pipes), len(POSITIONS)).sum(axis=1)

    def result(self, scan: Scan, evidence: Iterable[Evidence] = (), temperature: float | None = None) -> LocateResult:
        """Posterior, interval and the reported result from a :meth:`scan` (cheap: re-run per temperature)."""
        st = self.settings
        m, k = scan.model, scan.k
        rule = self.interval_rule
        if scan.meter is not None:  # found by the inlet meter alone: not what the site's calibration is for
            temperature = max(st.temperature if temperature is None else temperature, st.meter_temperature)
            rule = IntervalRule(st.confidence)
        post, by_pipe = self.posterior(scan, evidence, temperature)
        detected = scan.stat_max >= st.threshold or scan.meter is not None
        if not detected:
            return LocateResult(False, None, 0.0, [], 0.0, 0.0, [], statistic=scan.stat_max, threshold=st.threshold)
        chosen, mass = interval(by_pipe, self.pipe_lengths, rule)
        best = np.argmax(post.reshape(len(self.pipes), len(POSITIONS)), axis=1)
        pos = m["pos"].reshape(len(self.pipes), len(POSITIONS))[np.arange(len(self.pipes)), best]
        ranked = np.argsort(-by_pipe, kind="stable")
        ids = self.pipe_ids
        return LocateResult(
            leak_detected=True,
            onset=iso_utc(float(scan.times[k])),
            leak_m3h=float(scan.rate[int(np.argmax(post))]),
            interval_pipes=[ids[i] for i in chosen],
            interval_length_m=float(self.pipe_lengths[chosen].sum()),
            confidence=float(min(mass, 1.0)),
            candidates=[Candidate(ids[i], float(pos[i]), float(by_pipe[i])) for i in ranked],
            statistic=scan.stat_max,
            threshold=st.threshold,
            pipe_probability={ids[i]: float(by_pipe[i]) for i in range(len(ids))},
            detected_by="meter" if scan.meter is not None else "pressure",
            meter_step_m3h=scan.meter.step_m3h if scan.meter is not None else 0.0,
        )

    @property
    def interval_rule(self) -> IntervalRule:
        st = self.settings
        return IntervalRule(st.confidence, st.density_level, st.min_confidence)

    # ----------------------------------------------------------------------------------------------
    def _evidence_loglik(self, m: dict[str, Any], evidence: Iterable[Evidence], R: np.ndarray, k: int) -> np.ndarray:
        out = np.zeros(len(m["pipe"]))
        ev = list(evidence)
        if not ev:
            return out
        proj = projection_for(self.network)
        mid = {}
        for p in self.pipes:
            (lon1, lat1), (lon2, lat2) = p.coords[0], p.coords[-1]
            mid[p.id] = proj.to_xy((lon1 + lon2) / 2, (lat1 + lat2) / 2)
        for e in ev:
            if isinstance(e, OdorReport):
                if e.node:
                    n = self.network.nodes[e.node]
                    x0, y0 = proj.to_xy(n.lon, n.lat)
                else:
                    x0, y0 = proj.to_xy(float(e.lon), float(e.lat))
                d2 = np.array([(mid[p][0] - x0) ** 2 + (mid[p][1] - y0) ** 2 for p in m["pipe"]])
                # Smell travels; a report is strong but not certain evidence: a kernel plus a floor.
                out += np.log(0.15 + np.exp(-d2 / (2 * e.radius_m**2)))
            elif isinstance(e, ValveTest):
                isolated = self._isolated_pipes(e.valves)
                inside = np.array([p in isolated for p in m["pipe"]])
                r = e.reliability
                like_in = r if e.pressures_restored else 1 - r
                out += np.log(np.where(inside, like_in, 1 - like_in))
            elif isinstance(e, SiteReading):
                if e.node not in self.network.nodes:
                    continue
                sens = pressure_sensitivity(self.base, [e.node])
                g = sens.G[0]
                idx = m["idx"]
                col = np.array([(1 - f) * g[idx[self.network.pipes[p].from_node]] + f * g[idx[self.network.pipes[p].to_node]]
                                for p, f in zip(m["pipe"], (pos / max(self.network.pipes[p].length_m, 1e-9)
                                                            for p, pos in zip(m["pipe"], m["pos"], strict=True)),
                                                strict=True)])
                expected_drop = -col * max(float(np.mean(R[k:], axis=0).mean()), 0.0)
                observed_drop = self.base.pressure_kpa[e.node] - e.pressure_kpa
                out += -0.5 * ((observed_drop - expected_drop) / e.sigma_kpa) ** 2
        return out

    def _isolated_pipes(self, valves: Sequence[str]) -> set[str]:
        """Pipes cut off from every source when ``valves`` are closed."""
        import networkx as nx

        closed = set(valves)
        g = nx.Graph()
        g.add_nodes_from(self.network.nodes)
        for p in self.network.pipes.values():
            if p.is_open and p.id not in closed:
                g.add_edge(p.from_node, p.to_node)
        fed: set[str] = set()
        for s in self.network.sources:
            fed |= nx.node_connected_component(g, s.id)
        return {p.id for p in self.pipes if p.from_node not in fed and p.to_node not in fed}


def locate(network: Network, readings: Readings, *, evidence: Iterable[Evidence] = (),
           settings: LocateSettings | None = None) -> LocateResult:
    """One-shot localization (builds a :class:`Locator`; reuse one for many windows)."""
    return Locator(network, settings).locate(readings, evidence)
