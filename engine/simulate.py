"""Time series for a network: diurnal demand, per-consumer randomness, sensor noise/bias, leak onsets.

Two entry points:

* :class:`LiveSimulator` — one snapshot per call (the desktop's live 1 Hz feed and the drills).
* :func:`simulate` — a whole run at a given interval, returned as :class:`Readings` (the CLI and the
  benchmarks), together with the truth (leaks and their onsets).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.network import Network
from engine.solver import Leak, Solution, SolverError, solve

#: Hourly demand multipliers of a residential gas network (local time, mean ≈ 1): breakfast, lunch and
#: a tall dinner peak, a deep night trough.
DIURNAL = np.array([0.32, 0.25, 0.22, 0.22, 0.28, 0.55, 1.05, 1.55, 1.35, 0.95, 1.05, 1.75,
                    1.65, 1.05, 0.80, 0.80, 1.05, 1.70, 2.10, 1.75, 1.25, 0.95, 0.65, 0.45])
DIURNAL = DIURNAL / DIURNAL.mean()

QUANTITIES = ("pressure_kpa", "flow_m3h")


def diurnal_factor(t_epoch_s: float, utc_offset_h: float = 8.0) -> float:
    """Demand multiplier at a time (smoothly interpolated between the hourly values)."""
    hour = ((t_epoch_s / 3600.0) + utc_offset_h) % 24.0
    i = int(hour)
    w = hour - i
    w = w * w * (3 - 2 * w)
    return float(DIURNAL[i] * (1 - w) + DIURNAL[(i + 1) % 24] * w)


@dataclass(frozen=True)
class ScheduledLeak:
    leak: Leak
    onset_s: float  # epoch seconds


@dataclass(frozen=True)
class ScheduledDemand:
    """A consumer switching on or off: node ``node`` takes ``m3h`` more (less when negative) from ``onset_s``
    (epoch seconds) on, e.g. a boiler house starting at 05:00. Its withdrawal never goes below zero."""

    node: str
    m3h: float
    onset_s: float


@dataclass
class Readings:
    """Sensor readings: ``times`` (epoch s), ``points`` (sensor ids), ``values[t, point]``."""

    times: np.ndarray
    points: list[str]
    quantities: list[str]
    values: np.ndarray
    leaks: list[ScheduledLeak] = field(default_factory=list)

    def column(self, point: str) -> np.ndarray:
        return self.values[:, self.points.index(point)]

    def write_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["time", "point", "quantity", "value"])
            for i, t in enumerate(self.times):
                stamp = iso_utc(float(t))
                for j, (p, q) in enumerate(zip(self.points, self.quantities, strict=True)):
                    v = self.values[i, j]
                    if np.isfinite(v):
                        w.writerow([stamp, p, q, f"{v:.4f}"])


def iso_utc(t_epoch_s: float) -> str:
    return dt.datetime.fromtimestamp(t_epoch_s, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> float:
    """ISO 8601 → epoch seconds (a time without zone is taken as UTC)."""
    stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


class ReadingsError(ValueError):
    """A readings file is malformed; the message names the line."""


def read_readings_csv(path: str | Path, network: Network | None = None) -> Readings:
    """Read ``time,point,quantity,value`` rows into :class:`Readings` (one row per distinct time)."""
    rows: dict[float, dict[str, float]] = {}
    qty: dict[str, str] = {}
    path = Path(path)
    try:
        fh = open(path, newline="", encoding="utf-8")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise ReadingsError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:4]] != ["time", "point", "quantity", "value"]:
            raise ReadingsError(f"{path}: line 1: the header must be 'time,point,quantity,value'")
        for lineno, row in enumerate(reader, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) < 4:
                raise ReadingsError(f"{path}: line {lineno}: expected 4 columns, got {len(row)}")
            t_text, point, quantity, v_text = (c.strip() for c in row[:4])
            try:
                t = parse_time(t_text)
            except ValueError:
                raise ReadingsError(f"{path}: line {lineno}: '{t_text}' is not an ISO 8601 time") from None
            if quantity not in QUANTITIES:
                raise ReadingsError(f"{path}: line {lineno}: unknown quantity '{quantity}' "
                                    f"(expected {' or '.join(QUANTITIES)})")
            try:
                value = float(v_text)
            except ValueError:
                raise ReadingsError(f"{path}: line {lineno}: value '{v_text}' is not a number") from None
            if not math.isfinite(value):
                raise ReadingsError(f"{path}: line {lineno}: value must be finite")
            if network is not None:
                if quantity == "pressure_kpa" and point not in network.nodes and point not in network.sensors:
                    raise ReadingsError(f"{path}: line {lineno}: pressure point '{point}' is neither a node "
                                        "nor a sensor of the network")
                if quantity == "flow_m3h" and point not in network.pipes and point not in network.sensors:
                    raise ReadingsError(f"{path}: line {lineno}: flow point '{point}' is neither a pipe "
                                        "nor a sensor of the network")
            qty.setdefault(point, quantity)
            rows.setdefault(t, {})[point] = value
    if not rows:
        raise ReadingsError(f"{path}: no readings")
    times = np.array(sorted(rows))
    points = sorted(qty)
    values = np.full((len(times), len(points)), np.nan)
    for i, t in enumerate(times):
        for j, p in enumerate(points):
            values[i, j] = rows[t].get(p, np.nan)
    return Readings(times, points, [qty[p] for p in points], values)


class LiveSimulator:
    """A running network: call :meth:`step` with a time to get every sensor's reading at that time.

    Per-consumer demand follows the diurnal curve times a slow random factor (AR(1), ±10 %); sensors
    have a constant bias and white noise. Solves are cached for ``resolve_s`` seconds of simulated time
    (demand moves slowly) and warm-started, so a step costs a few milliseconds at most.
    """

    def __init__(self, network: Network, *, seed: int = 0, start_time: float | None = None,
                 consumer_sigma: float = 0.10, noise_kpa: float = 0.03, bias_kpa: float = 0.15,
                 flow_noise_frac: float = 0.005, resolve_s: float = 5.0, utc_offset_h: float = 8.0) -> None:
        self.network = network
        self.rng = np.random.default_rng(seed)
        self.sensors = list(network.sensors.values())
        self.consumers = [n.id for n in network.nodes.values() if n.demand_m3h > 0]
        self.nominal = np.array([network.nodes[c].demand_m3h for c in self.consumers])
        self.consumer_sigma = consumer_sigma
        self.noise_kpa = noise_kpa
        self.flow_noise_frac = flow_noise_frac
        self.resolve_s = resolve_s
        self.utc_offset_h = utc_offset_h
        self.bias = {s.id: (self.rng.normal(0, bias_kpa) if s.quantity == "pressure_kpa" else 0.0)
                     for s in self.sensors}
        self._factor = np.exp(self.rng.normal(0, consumer_sigma, len(self.consumers)))
        self._leaks: list[ScheduledLeak] = []
        self._steps: list[ScheduledDemand] = []
        self._closed: set[str] = set()
        self._last_t: float | None = start_time
        self._cache_t: float | None = None
        self._cache: Solution | None = None
        self.failed_sensors: dict[str, str] = {}  # sensor id → "stuck" | "dead"

    # -- scenario controls -------------------------------------------------------------------
    def add_leak(self, leak: Leak, onset_s: float) -> None:
        self._leaks.append(ScheduledLeak(leak, onset_s))
        self._cache_t = None

    def clear_leaks(self) -> None:
        self._leaks.clear()
        self._cache_t = None

    def add_demand_step(self, step: ScheduledDemand) -> None:
        """A consumer switching on or off at a time (:class:`ScheduledDemand`)."""
        node = self.network.nodes.get(step.node)
        if node is None or node.kind == "source":
            raise ValueError(f"demand step: '{step.node}' is not a consumer node of the network")
        if not math.isfinite(step.m3h):
            raise ValueError(f"demand step at '{step.node}': the change must be a finite number of m³/h")
        self._steps.append(step)
        self._cache_t = None

    def set_valve(self, valve_id: str, closed: bool) -> None:
        if valve_id not in self.network.pipes:
            raise KeyError(valve_id)
        (self._closed.add if closed else self._closed.discard)(valve_id)
        self._cache_t = None

    def fail_sensor(self, sensor_id: str, mode: str = "stuck") -> None:
        self.failed_sensors[sensor_id] = mode

    @property
    def leaks(self) -> list[ScheduledLeak]:
        return list(self._leaks)

    # -- continuity ------------------------------------------------------------------------------
    def state(self) -> dict[str, object]:
        """The slowly varying part of the network's state (each consumer's demand factor, and the time it
        holds for), as plain JSON values: :meth:`restore` continues from it, so a feed that follows a stored
        history (or the previous run) has no step where one simulator hands over to the next."""
        return {"time": self._last_t, "factors": dict(zip(self.consumers, np.round(self._factor, 6).tolist(),
                                                               strict=True))}

    def restore(self, state: Mapping[str, object]) -> None:
        """Continue from :meth:`state` of a simulator of the same network. Consumers it does not name keep
        their own factor (a network edited since); a malformed state raises ValueError and changes nothing."""
        factors = state.get("factors")
        when = state.get("time")
        if not isinstance(factors, Mapping) or not (when is None or isinstance(when, int | float)):
            raise ValueError("simulator state must be {'time': epoch seconds or null, 'factors': {consumer: factor}}")
        new = self._factor.copy()
        index = {c: i for i, c in enumerate(self.consumers)}
        for consumer, f in factors.items():
            if consumer in index:
                if not (isinstance(f, int | float) and math.isfinite(f) and f > 0):
                    raise ValueError(f"simulator state: consumer {consumer}: factor must be a positive number, got {f!r}")
                new[index[consumer]] = float(f)
        self._factor = new
        if when is not None:
            self._last_t = float(when)
        self._cache_t = None

    # -- stepping ------------------------------------------------------------------------------
    def demands_at(self, t: float) -> dict[str, float]:
        if self._last_t is not None and t > self._last_t:
            dt_s = min(t - self._last_t, 3600.0)
            rho = math.exp(-dt_s / 1800.0)  # 30 min correlation time
            z = np.log(self._factor) * rho + self.rng.normal(0, self.consumer_sigma * math.sqrt(1 - rho * rho),
                                                             len(self._factor))
            self._factor = np.exp(z)
        self._last_t = t
        base = diurnal_factor(t, self.utc_offset_h)
        return dict(zip(self.consumers, (self.nominal * self._factor * base).tolist(), strict=True))

    def solution_at(self, t: float) -> Solution:
        if self._cache is not None and self._cache_t is not None and abs(t - self._cache_t) < self.resolve_s:
            return self._cache
        demands = self.demands_at(t)
        for step in self._steps:
            if step.onset_s <= t:
                was = demands.get(step.node, self.network.nodes[step.node].demand_m3h)
                demands[step.node] = max(was + step.m3h, 0.0)
        active = [s.leak for s in self._leaks if s.onset_s <= t]
        try:
            # rel_tol 1e-3 leaves pressure errors ~1e-7 kPa, far below the sensors' noise, in half the iterations.
            sol = solve(self.network, demands=demands, leaks=active, closed_valves=self._closed,
                        initial=self._cache, rel_tol=1e-3)
        except SolverError:
            sol = solve(self.network, demands=demands, leaks=active, closed_valves=self._closed)
        self._cache, self._cache_t = sol, t
        return sol

    def step(self, t: float) -> list[tuple[str, str, float]]:
        """Every sensor's reading at epoch second ``t``: ``[(sensor_id, quantity, value), …]``."""
        sol = self.solution_at(t)
        out: list[tuple[str, str, float]] = []
        for s in self.sensors:
            mode = self.failed_sensors.get(s.id)
            if mode == "dead":
                continue
            if s.quantity == "pressure_kpa":
                true = sol.pressure_kpa.get(s.node or "", float("nan"))
                value = true + self.bias[s.id] + self.rng.normal(0, self.noise_kpa)
            else:
                true = sol.flow_m3h.get(s.pipe or "", float("nan"))
                value = true * (1 + self.rng.normal(0, self.flow_noise_frac))
            if mode == "stuck":
                value = self.bias[s.id] + 100.0 if s.quantity == "pressure_kpa" else 0.0
            if math.isfinite(value):
                out.append((s.id, s.quantity, round(float(value), 4)))
        return out


def simulate(network: Network, minutes: float, *, leaks: Iterable[ScheduledLeak] = (), seed: int = 0,
             start: float | None = None, interval_s: float = 60.0,
             demand_steps: Iterable[ScheduledDemand] = (), **kwargs: float) -> Readings:
    """Run the network for ``minutes`` and return every sensor's readings every ``interval_s`` (with
    ``leaks`` and consumers switching on or off, ``demand_steps``)."""
    if minutes <= 0:
        raise ValueError("minutes must be positive")
    start = float(start if start is not None else parse_time("2026-11-24T02:00:00Z"))
    sim = LiveSimulator(network, seed=seed, start_time=start, resolve_s=0.0, **kwargs)
    for s in leaks:
        sim.add_leak(s.leak, s.onset_s)
    for step in demand_steps:
        sim.add_demand_step(step)
    times = start + np.arange(0.0, minutes * 60.0 + 1e-9, interval_s)
    points = [s.id for s in sim.sensors]
    quantities = [s.quantity for s in sim.sensors]
    values = np.full((len(times), len(points)), np.nan)
    col = {p: j for j, p in enumerate(points)}
    for i, t in enumerate(times):
        for sid, _q, v in sim.step(float(t)):
            values[i, col[sid]] = v
    return Readings(times, points, quantities, values, list(sim.leaks))


def parse_leak_spec(spec: str, network: Network, default_onset: float) -> ScheduledLeak:
    """``PIPE:RATE_M3H[@POSITION_M]`` (e.g. ``P074:25@10``) → :class:`ScheduledLeak`."""
    try:
        pipe, rest = spec.split(":", 1)
        rate_text, _, pos_text = rest.partition("@")
        rate = float(rate_text)
        pos = float(pos_text) if pos_text else None
    except ValueError:
        raise ValueError(f"leak '{spec}': expected PIPE:RATE_M3H[@POSITION_M], e.g. P074:25@10") from None
    if pipe not in network.pipes:
        raise ValueError(f"leak '{spec}': the network has no pipe '{pipe}'")
    if rate <= 0 or not math.isfinite(rate):
        raise ValueError(f"leak '{spec}': the rate must be a positive number of m³/h")
    length = network.pipes[pipe].length_m
    if pos is not None and not (0 <= pos <= length):
        raise ValueError(f"leak '{spec}': position {pos} m is outside the pipe (length {length:.1f} m)")
    return ScheduledLeak(Leak(pipe, rate, pos), default_onset)


def parse_demand_step(spec: str, network: Network, default_onset: float, start: float) -> ScheduledDemand:
    """``NODE:M3H[@MINUTES]`` (e.g. ``J12:40@20``: node J12 takes 40 m³/h more from 20 minutes after
    ``start``; a negative change switches a consumer off) → :class:`ScheduledDemand`."""
    try:
        node, rest = spec.split(":", 1)
        rate_text, _, at_text = rest.partition("@")
        rate = float(rate_text)
        onset = start + float(at_text) * 60 if at_text else default_onset
    except ValueError:
        raise ValueError(f"consumer step '{spec}': expected NODE:M3H[@MINUTES], e.g. J12:40@20") from None
    n = network.nodes.get(node)
    if n is None or n.kind == "source":
        raise ValueError(f"consumer step '{spec}': the network has no consumer node '{node}'")
    if not math.isfinite(rate) or rate == 0:
        raise ValueError(f"consumer step '{spec}': the change must be a non-zero number of m³/h")
    if not math.isfinite(onset):
        raise ValueError(f"consumer step '{spec}': the minutes must be a number")
    return ScheduledDemand(node, rate, onset)


def sensor_ids(network: Network, quantity: str | None = None) -> Sequence[str]:
    return [s.id for s in network.sensors.values() if quantity is None or s.quantity == quantity]
