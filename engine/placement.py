"""Pressure-sensor placement: choose where to put a site's loggers so leaks are told apart.

The objective is the localizer's own ambiguity (``engine/locate.py``), computed from one solve:

* **Leak signatures.** A leak q at the midpoint of pipe j, with the total inflow held at its measured value
  (the no-leak model spreads the measured inflow over the consumers), moves the pressures by
  q·s_j, s_j = ½(G e_from + G e_to) − G w (G from :func:`engine.sensitivity.pressure_sensitivity` at nominal
  demand, w the demand shares).
* **Noise.** The covariance of a before/after difference of two window means, as the localizer uses it:
  each consumer ±10 % net of the uniform rescaling (its signature is G e_i − G w) times a drift factor
  (:data:`DRIFT`, the AR(1) decorrelation between the centres of the two means), the inlet meter's noise
  along ∂p/∂(total demand), sensor noise of two means (:data:`MEANS`, 1/k + 1/(T−k)) and the floor.
* **Confusion.** With a chosen sensor set, whitened signatures w_j = L⁻¹ s_j (C = LLᵀ). A leak q at j fitted
  by candidate k (best rate ≥ 0) leaves the χ² gap d²_jk = q²(|w_j|² − max(w_j·w_k, 0)²/|w_k|²); the
  objective is Σ_j Σ_k ℓ_j ℓ_k exp(−d²_jk/8) / L² — the expected length confused with a leak, per unit
  network length (1 with no sensor, every pipe confused with every other; Σ_j ℓ_j²/L² when every pipe is
  told apart from every other).

Greedy: add the junction that lowers the objective most. Adding a sensor only appends one whitened row
(block Cholesky: earlier rows do not change), so each candidate's new row is (s_c − l_cᵀW)/√r_c from the
kept factors of all candidates (l_c, r_c updated by one column per step), and its objective is one pass
over the leak-point pairs with numpy (float32, in place).
Candidate pool: the junctions, thinned by farthest-point sampling to ``max_pool``; leak points: the pipes,
sampled with probability ∝ length (seeded) to at most ``max_leak_points`` distinct pipes, each weighted
by how often it was drawn.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from engine.geo import projection_for
from engine.locate import LocateSettings
from engine.network import Network
from engine.sensitivity import pressure_sensitivity
from engine.solver import Solution, solve

DRIFT = 0.8  # consumers' drift between the centres of the two means (2(1 − e^(−gap/τ)) for a ~20 min gap)
MEANS = 0.13  # 1/k + 1/(T − k): two means of ~15 one-minute readings


class PlacementError(ValueError):
    """Bad input to the planner (the message names the offending value)."""


@dataclass(frozen=True)
class PlacementStep:
    node: str
    objective_before: float
    objective_after: float


@dataclass
class PlacementResult:
    """``nodes``: the plan's pressure-sensor nodes, the kept ones first, then the greedy picks in order."""

    nodes: list[str]
    keep: list[str]
    steps: list[PlacementStep]
    objective: float
    fps_nodes: list[str]  # farthest-point sampling with the same count and kept nodes, for comparison
    fps_objective: float
    current_nodes: list[str] = field(default_factory=list)  # the network's pressure sensors now
    current_objective: float | None = None
    leak_points: int = 0
    pool: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["steps"] = [asdict(s) for s in self.steps]
        return out


def farthest_points(xy: np.ndarray, n: int, start: Sequence[int] = ()) -> list[int]:
    """Indices of ``n`` points by farthest-point sampling, beginning with ``start`` (or, without it, the
    point farthest from the centroid — deterministic)."""
    chosen = list(start)
    if not chosen:
        chosen = [int(np.argmax(np.hypot(*(xy - xy.mean(axis=0)).T)))]
    d = np.full(len(xy), np.inf)
    for k in chosen:
        d = np.minimum(d, np.hypot(*(xy - xy[k]).T))
    while len(chosen) < min(n, len(xy)):
        k = int(np.argmax(d))
        chosen.append(k)
        d = np.minimum(d, np.hypot(*(xy - xy[k]).T))
    return chosen[:max(n, len(start))]


class _Model:
    """Signatures and covariance on a set of sensor-able nodes; objective of any subset."""

    def __init__(self, network: Network, nodes: list[str], leak_rate_frac: float, seed: int,
                 max_leak_points: int, base: Solution | None = None) -> None:
        st = LocateSettings()
        base = base if base is not None else solve(network)  # the caller's solve, when it has one
        sens = pressure_sensitivity(base, nodes)
        G = sens.G
        idx = {n: i for i, n in enumerate(sens.node_ids)}
        d = np.array([network.nodes[n].demand_m3h for n in sens.node_ids])
        total = float(d.sum())
        if not total > 0:
            raise PlacementError("the network has no consumer demand: leak signatures cannot be formed")
        gu = G @ (d / total)
        pipes = [p for p in network.pipes.values() if p.kind == "pipe" and p.is_open
                 and math.isfinite(base.pressure_kpa.get(p.from_node, math.nan))
                 and math.isfinite(base.pressure_kpa.get(p.to_node, math.nan))]
        if not pipes:
            raise PlacementError("the network has no open pipe reachable from a source")
        lens = np.array([p.length_m for p in pipes])
        if len(pipes) > max_leak_points:
            rng = np.random.default_rng(seed)
            draw = rng.choice(len(pipes), size=max_leak_points, replace=True, p=lens / lens.sum())
            pick, counts = np.unique(draw, return_counts=True)
            pipes = [pipes[i] for i in pick]
            weight = counts / counts.sum()
        else:
            weight = lens / lens.sum()
        self.pipes = [p.id for p in pipes]
        self.a = weight
        self.S = np.array([0.5 * (G[:, idx[p.from_node]] + G[:, idx[p.to_node]]) - gu for p in pipes]).T
        Gp = G - np.outer(gu, d > 0)
        consumers = (Gp * (st.consumer_sigma * d) ** 2) @ Gp.T * DRIFT
        meter = (st.meter_sigma_frac * total) ** 2 * MEANS * np.outer(gu, gu)
        noise = st.sensor_sigma_kpa**2 * MEANS + st.floor_kpa**2
        self.C = consumers + meter + noise * np.eye(len(nodes))
        self.q = leak_rate_frac * total
        self.nodes = nodes
        self.index = {n: i for i, n in enumerate(nodes)}

    def confusion(self, n2: np.ndarray, gram: np.ndarray) -> float:
        """Objective from |w_j|² (``n2``) and w_j·w_k (``gram``)."""
        proj = np.divide(np.maximum(gram, 0.0) ** 2, n2[None, :], out=np.zeros_like(gram), where=n2[None, :] > 0)
        d2 = self.q**2 * (n2[:, None] - proj)
        return float(self.a @ np.exp(-np.maximum(d2, 0.0) / 8.0) @ self.a)

    def objective(self, nodes: Sequence[str]) -> float:
        if not nodes:
            return float(self.a.sum() ** 2)
        sel = [self.index[n] for n in nodes]
        L = np.linalg.cholesky(self.C[np.ix_(sel, sel)])
        W = np.linalg.solve(L, self.S[sel])
        return self.confusion(np.einsum("ij,ij->j", W, W), W.T @ W)


class _Greedy:
    """Incremental whitening: the rows of W = L⁻¹ S grow by one per added sensor."""

    def __init__(self, model: _Model) -> None:
        self.m = model
        n_nodes, n_pts = len(model.nodes), len(model.pipes)
        self.W = np.zeros((0, n_pts))
        self.Lc = np.zeros((n_nodes, 0))  # row c: L⁻¹ C[sel, c] of every node against the chosen set
        self.r = np.diag(model.C).copy()  # C_cc − |Lc[c]|²: the variance left after the chosen sensors
        self.n2 = np.zeros(n_pts)
        self.gram = np.zeros((n_pts, n_pts))

    def rows(self, cand: np.ndarray) -> np.ndarray:
        """The whitened row each candidate would add (candidates × leak points)."""
        m = self.m
        return (m.S[cand] - self.Lc[cand] @ self.W) / np.sqrt(self.r[cand])[:, None]

    def add(self, c: int) -> None:
        m = self.m
        w = self.rows(np.array([c]))[0]
        delta = math.sqrt(self.r[c])
        col = (m.C[:, c] - self.Lc @ self.Lc[c]) / delta
        self.Lc = np.column_stack([self.Lc, col])
        self.r = np.maximum(self.r - col**2, 1e-300)
        self.W = np.vstack([self.W, w])
        self.n2 += w**2
        self.gram += np.outer(w, w)

    def score(self, cand: np.ndarray) -> np.ndarray:
        """Objective after adding each candidate (float32, in place: one P × P buffer)."""
        m = self.m
        a = m.a.astype(np.float32)
        gram = self.gram.astype(np.float32)
        n2 = self.n2.astype(np.float32)
        scale = np.float32(m.q**2 / 8.0)
        buf = np.empty_like(gram)
        out = np.empty(len(cand))
        for i, row in enumerate(self.rows(cand).astype(np.float32)):
            nj = n2 + row * row
            np.multiply.outer(row, row, out=buf)
            buf += gram
            np.maximum(buf, 0.0, out=buf)
            np.square(buf, out=buf)
            buf /= np.maximum(nj, np.float32(1e-30))[None, :]
            buf -= nj[:, None]  # −d²/q²  (≤ 0 up to rounding)
            np.minimum(buf, 0.0, out=buf)
            buf *= scale
            np.exp(buf, out=buf)
            out[i] = float(a @ buf @ a)
        return out


def _junctions(network: Network, ids: Iterable[str], what: str) -> list[str]:
    out = []
    for nid in ids:
        node = network.nodes.get(nid)
        if node is None:
            raise PlacementError(f"{what}: no node '{nid}' in the network")
        if node.kind != "junction":
            raise PlacementError(f"{what}: node '{nid}' is a {node.kind}, not a junction")
        if nid in out:
            raise PlacementError(f"{what}: node '{nid}' is given twice")
        out.append(nid)
    return out


def plan_sensors(network: Network, n_sensors: int, *, keep: Sequence[str] = (),
                 candidates: Iterable[str] | None = None, leak_rate_frac: float = 0.06, seed: int = 0,
                 max_leak_points: int = 600, max_pool: int = 300) -> PlacementResult:
    """Choose ``n_sensors`` pressure-sensor junctions in total (``keep`` first, then greedy picks)."""
    t0 = time.perf_counter()
    if not math.isfinite(leak_rate_frac) or leak_rate_frac <= 0:
        raise PlacementError(f"leak_rate_frac must be a positive share of the total demand, not {leak_rate_frac}")
    if max_leak_points < 2 or max_pool < 1:
        raise PlacementError("max_leak_points must be ≥ 2 and max_pool ≥ 1")
    keep = _junctions(network, keep, "keep")
    base = solve(network)
    live = {n.id for n in network.nodes.values()
            if n.kind == "junction" and math.isfinite(base.pressure_kpa.get(n.id, math.nan))}
    for nid in keep:
        if nid not in live:
            raise PlacementError(f"keep: junction '{nid}' is cut off from every source")
    junctions = [n.id for n in network.nodes.values() if n.id in live]
    if candidates is None:
        pool = [n for n in junctions if n not in keep]
    else:
        pool = [n for n in _junctions(network, candidates, "candidates") if n not in keep]
        dead = [n for n in pool if n not in live]
        if dead:
            raise PlacementError(f"candidates: junction '{dead[0]}' is cut off from every source")
    if not isinstance(n_sensors, int) or n_sensors < 1:
        raise PlacementError(f"n_sensors must be a whole number ≥ 1, not {n_sensors!r}")
    if n_sensors < len(keep):
        raise PlacementError(f"n_sensors ({n_sensors}) is fewer than the {len(keep)} kept sensors")
    if n_sensors > len(keep) + len(pool):
        raise PlacementError(f"n_sensors ({n_sensors}) exceeds the {len(keep) + len(pool)} candidate junctions")
    proj = projection_for(network)
    xy_of = {n: proj.to_xy(network.nodes[n].lon, network.nodes[n].lat) for n in junctions}
    if len(pool) > max_pool:
        xy = np.array([xy_of[n] for n in keep + pool])
        picked = farthest_points(xy, len(keep) + max_pool, start=range(len(keep)))[len(keep):]
        pool = [pool[i - len(keep)] for i in picked]
    # FPS over all junctions, with the kept ones first: what the plan is compared with.
    xy_all = np.array([xy_of[n] for n in junctions])
    at = {n: i for i, n in enumerate(junctions)}
    fps = [junctions[i] for i in farthest_points(xy_all, n_sensors, start=[at[n] for n in keep])]
    current = [s.node for s in network.sensors.values()
               if s.quantity == "pressure_kpa" and s.node in network.nodes]
    current = list(dict.fromkeys(current))
    nodes = list(dict.fromkeys(keep + pool + fps + current))
    model = _Model(network, nodes, leak_rate_frac, seed, max_leak_points, base)
    greedy = _Greedy(model)
    for nid in keep:
        greedy.add(model.index[nid])
    chosen = list(keep)
    before = model.objective(chosen)
    cand = np.array([model.index[n] for n in pool])
    steps = []
    while len(chosen) < n_sensors:
        free = cand[[model.nodes[c] not in chosen for c in cand]]
        scores = greedy.score(free)
        best = int(free[int(np.argmin(scores))])
        greedy.add(best)
        chosen.append(model.nodes[best])
        after = model.objective(chosen)
        steps.append(PlacementStep(model.nodes[best], before, after))
        before = after
    return PlacementResult(
        nodes=chosen, keep=list(keep), steps=steps, objective=before, fps_nodes=fps,
        fps_objective=model.objective(fps), current_nodes=current,
        current_objective=model.objective(current) if current else None,
        leak_points=len(model.pipes), pool=len(pool), seconds=time.perf_counter() - t0)
