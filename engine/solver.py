"""Steady-state isothermal gas flow in low/medium-pressure networks (pressure-squared form).

For every pipe, with absolute pressures p (Pa) and standard volume flow q (m³/s at 0 °C, 101.325 kPa)::

    p_from² − p_to² = K · q · |q|,      K = 16 · f · L · ρn · pn · T · Z / (π² · D⁵ · Tn)

f is the Darcy friction factor: Swamee–Jain's explicit form of Colebrook–White in turbulent flow
(within 1 % of Colebrook for 5e3 < Re < 1e8), 64/Re in laminar flow, and a cubic blend between.
Unknowns are the squared pressures of non-source nodes; the nodal balances are solved by Newton's
method on a sparse Jacobian (SuperLU), friction being updated each iteration. A leak is an extra
withdrawal at a point along a pipe: the pipe is split there in the computational graph (the network
itself is not changed). Closed valves carry no flow; nodes cut off from every source are reported
with NaN pressure. Elevation is neglected (a few Pa per metre for natural gas at these pressures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from engine.network import Network, NetworkError

P_NORMAL = 101_325.0  # Pa
T_NORMAL = 273.15  # K
T_GAS = 288.15  # K, ground temperature
Z_GAS = 1.0  # compressibility, ≈ 1 below 0.4 MPa
MU_GAS = 1.1e-5  # Pa·s, dynamic viscosity of natural gas
P_ATM_KPA = 101.325


class SolverError(RuntimeError):
    """The solve did not converge or the input cannot be solved."""


@dataclass(frozen=True)
class Leak:
    """An extra withdrawal of ``rate_m3h`` (standard m³/h) on ``pipe``, ``position_m`` from its start
    (the ``from`` node); ``None`` means the middle of the pipe."""

    pipe: str
    rate_m3h: float
    position_m: float | None = None


@dataclass
class Graph:
    """The computational graph: network nodes (+ one virtual node per leak), open links."""

    node_ids: list[str]
    index: dict[str, int]
    link_pipe: list[str]  # network pipe id of each link
    link_from: np.ndarray
    link_to: np.ndarray
    link_len: np.ndarray  # m
    link_diam: np.ndarray  # m
    link_rough: np.ndarray  # m
    fixed: np.ndarray  # bool per node: pressure set by a source
    fixed_p2: np.ndarray  # squared absolute pressure of fixed nodes
    demand: np.ndarray  # standard m³/s per node
    reachable: np.ndarray  # bool per node: connected to a source through open links
    pipe_first_link: dict[str, int] = field(default_factory=dict)


@dataclass
class Solution:
    """Result of :func:`solve`. Pressures are gauge kPa, flows standard m³/h (from → to positive)."""

    pressure_kpa: dict[str, float]
    flow_m3h: dict[str, float]
    iterations: int
    residual_m3h: float
    graph: Graph
    p2: np.ndarray  # squared absolute pressures per graph node (Pa²)
    q: np.ndarray  # link flows, m³/s
    conductance: np.ndarray  # dq/d(Δp²) per link at the solution

    def pressure_vector(self, node_ids: Sequence[str]) -> np.ndarray:
        return np.array([self.pressure_kpa[n] for n in node_ids])

    def jacobian(self) -> sp.csc_matrix:
        """d(nodal balance)/d(p²) on the free, reachable nodes (ordering: :meth:`free_nodes`)."""
        return _assemble(self.graph, self.conductance)[0]

    def free_nodes(self) -> list[str]:
        g = self.graph
        return [g.node_ids[i] for i in np.flatnonzero(~g.fixed & g.reachable)]


def _friction(re: np.ndarray, rel_rough: np.ndarray) -> np.ndarray:
    re = np.maximum(re, 1e-9)
    lam = 64.0 / re
    turb = 0.25 / np.log10(rel_rough / 3.7 + 5.74 / np.maximum(re, 4000.0) ** 0.9) ** 2
    # Blend over 2000 < Re < 4000 with a smoothstep, so Newton sees a continuous friction factor.
    t = np.clip((re - 2000.0) / 2000.0, 0.0, 1.0)
    w = t * t * (3 - 2 * t)
    return (1 - w) * lam + w * turb


def _k_coefficient(graph: Graph, q: np.ndarray, rho_n: float) -> np.ndarray:
    d = graph.link_diam
    re = 4.0 * rho_n * np.abs(q) / (np.pi * d * MU_GAS)
    f = _friction(re, graph.link_rough / d)
    return 16.0 * f * graph.link_len * rho_n * P_NORMAL * T_GAS * Z_GAS / (np.pi**2 * d**5 * T_NORMAL)


def build_graph(network: Network, leaks: Iterable[Leak] = (), demands: Mapping[str, float] | None = None,
                demand_scale: float = 1.0, closed_valves: Iterable[str] = ()) -> Graph:
    """The computational graph for one solve. ``demands`` (m³/h) override nominal node demands."""
    closed = set(closed_valves)
    node_ids = list(network.nodes)
    index = {n: i for i, n in enumerate(node_ids)}
    demand = np.zeros(len(node_ids))
    for n in network.nodes.values():
        d = demands.get(n.id, n.demand_m3h) if demands is not None else n.demand_m3h * demand_scale
        demand[index[n.id]] = d / 3600.0
    fixed = np.zeros(len(node_ids), dtype=bool)
    fixed_p2 = np.zeros(len(node_ids))
    for s in network.sources:
        fixed[index[s.id]] = True
        fixed_p2[index[s.id]] = ((s.pressure_kpa or 0.0) + P_ATM_KPA) ** 2 * 1e6
    leaks_by_pipe: dict[str, list[Leak]] = {}
    for leak in leaks:
        pipe = network.pipes.get(leak.pipe)
        if pipe is None:
            raise NetworkError(f"leak on unknown pipe '{leak.pipe}'", leak.pipe)
        if leak.rate_m3h < 0:
            raise NetworkError(f"leak rate must not be negative, got {leak.rate_m3h}", leak.pipe)
        leaks_by_pipe.setdefault(leak.pipe, []).append(leak)
    lf, lt, ll, ld, lr, lp = [], [], [], [], [], []
    first_link: dict[str, int] = {}
    extra_demand: list[float] = []
    for p in network.pipes.values():
        if not p.is_open or p.id in closed:
            continue
        a, b = index[p.from_node], index[p.to_node]
        cuts = sorted(leaks_by_pipe.get(p.id, []), key=lambda lk: lk.position_m if lk.position_m is not None
                      else p.length_m / 2)
        first_link[p.id] = len(lf)
        start_node, start_pos = a, 0.0
        for lk in cuts:
            pos = p.length_m / 2 if lk.position_m is None else min(max(lk.position_m, 0.0), p.length_m)
            pos = min(max(pos, 1e-3 * p.length_m), p.length_m * (1 - 1e-3))
            v = len(node_ids) + len(extra_demand)
            extra_demand.append(lk.rate_m3h / 3600.0)
            lf.append(start_node), lt.append(v), ll.append(max(pos - start_pos, 1e-3))
            ld.append(p.diameter_mm / 1000), lr.append(p.roughness_mm / 1000), lp.append(p.id)
            start_node, start_pos = v, pos
        lf.append(start_node), lt.append(b), ll.append(max(p.length_m - start_pos, 1e-3))
        ld.append(p.diameter_mm / 1000), lr.append(p.roughness_mm / 1000), lp.append(p.id)
    n_extra = len(extra_demand)
    all_ids = node_ids + [f"~leak{i}" for i in range(n_extra)]
    demand = np.concatenate([demand, np.array(extra_demand)])
    fixed = np.concatenate([fixed, np.zeros(n_extra, dtype=bool)])
    fixed_p2 = np.concatenate([fixed_p2, np.zeros(n_extra)])
    link_from, link_to = np.array(lf, dtype=np.int64), np.array(lt, dtype=np.int64)
    # Reachability from the sources through open links.
    n = len(all_ids)
    adj = sp.coo_matrix((np.ones(len(lf)), (link_from, link_to)), shape=(n, n)).tocsr()
    _, labels = sp.csgraph.connected_components(adj, directed=False)
    source_labels = set(labels[fixed].tolist())
    reachable = np.isin(labels, list(source_labels))
    return Graph(all_ids, {k: i for i, k in enumerate(all_ids)}, lp, link_from, link_to, np.array(ll),
                 np.array(ld), np.array(lr), fixed, fixed_p2, demand, reachable, first_link)


def _assemble(graph: Graph, g: np.ndarray) -> tuple[sp.csc_matrix, np.ndarray]:
    """Jacobian of nodal balances w.r.t. free p² (Laplacian weighted by link conductances)."""
    free = ~graph.fixed & graph.reachable
    pos = -np.ones(len(graph.node_ids), dtype=np.int64)
    pos[free] = np.arange(int(free.sum()))
    a, b = pos[graph.link_from], pos[graph.link_to]
    rows, cols, vals = [], [], []
    for (i, j, s) in ((a, a, 1.0), (b, b, 1.0), (a, b, -1.0), (b, a, -1.0)):
        m = (i >= 0) & (j >= 0)
        rows.append(i[m]), cols.append(j[m]), vals.append(s * g[m])
    nf = int(free.sum())
    jac = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nf, nf))
    return jac, pos


Q_SMOOTH = 1e-5  # m³/s (0.036 m³/h): below this flow the quadratic law is smoothed into a linear one


def _flows(graph: Graph, p2: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    eps = k * Q_SMOOTH**2
    dp2 = p2[graph.link_from] - p2[graph.link_to]
    s = np.sqrt(dp2 * dp2 + eps * eps)
    q = dp2 / np.sqrt(k * s)
    # d q / d dp2 of q = dp2 · (k s)^-1/2
    g = (1.0 / np.sqrt(k * s)) * (1.0 - 0.5 * dp2 * dp2 / (s * s))
    return q, g


def _linear_solve(graph: Graph, p2: np.ndarray, c: np.ndarray) -> np.ndarray:
    """p² of free nodes for links of fixed conductance ``c`` (q = c · Δp²)."""
    free = ~graph.fixed & graph.reachable
    jac, pos = _assemble(graph, c)
    rhs = -graph.demand[free].copy()
    # Links from a free node to a fixed node move the fixed p² to the right-hand side.
    a, b = pos[graph.link_from], pos[graph.link_to]
    fa = (a >= 0) & (b < 0) & graph.fixed[graph.link_to]
    fb = (b >= 0) & (a < 0) & graph.fixed[graph.link_from]
    np.add.at(rhs, a[fa], c[fa] * p2[graph.link_to[fa]])
    np.add.at(rhs, b[fb], c[fb] * p2[graph.link_from[fb]])
    out = p2.copy()
    out[free] = spla.spsolve(jac, rhs)
    return out


def _picard_start(graph: Graph, p2: np.ndarray, q: np.ndarray, rho_n: float, rounds: int = 8) -> np.ndarray:
    """A few fixed-point rounds of the linearised law q = Δp² / (K |q|): a safe start for Newton."""
    qmag = np.full(len(q), 1e-3)
    for _ in range(rounds):
        k = _k_coefficient(graph, qmag, rho_n)
        c = 1.0 / (k * np.maximum(qmag, 1e-6))
        p2 = _linear_solve(graph, p2, c)
        qn = np.abs(c * (p2[graph.link_from] - p2[graph.link_to]))
        qmag = np.sqrt(qmag * np.maximum(qn, 1e-7))
    return p2


def _newton(graph: Graph, p2: np.ndarray, q: np.ndarray, rho_n: float, max_iter: int, tol_m3h: float,
            rel_tol: float) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Newton iterations from (p², q) until converged."""
    # Global gradient algorithm (Todini–Pilati): Newton on link flows and nodal p² together, the node
    # equations reduced by a Schur complement so each iteration is one sparse symmetric solve.
    a_idx, b_idx = graph.link_from, graph.link_to
    n = len(graph.node_ids)
    free = ~graph.fixed & graph.reachable
    residual = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        k = _k_coefficient(graph, np.maximum(np.abs(q), Q_SMOOTH), rho_n)
        qa = np.maximum(np.abs(q), Q_SMOOTH)
        # d(K q max(|q|, Q))/dq: 2K|q| in the quadratic region, K·Q in the smoothed linear one.
        d = np.where(np.abs(q) > Q_SMOOTH, 2.0 * k * qa, k * Q_SMOOTH)
        energy = k * q * qa - (p2[a_idx] - p2[b_idx])  # head-loss law mismatch per link
        balance = np.zeros(n)
        np.add.at(balance, a_idx, q)
        np.subtract.at(balance, b_idx, q)
        balance += graph.demand
        m = balance[free]
        residual = float(np.max(np.abs(m))) * 3600.0 if m.size else 0.0
        # Relative head-loss mismatch; the floor sits above float64 resolution of p² (≈ 1e-16 · p²), so links
        # with almost no flow do not hold up convergence.
        floor = 1e-9 * float(np.max(p2))
        rel_energy = float(np.max(np.abs(energy) / np.maximum(np.abs(p2[a_idx] - p2[b_idx]) + k * qa * qa, floor)))
        if it > 1 and residual < tol_m3h and (rel_energy < rel_tol or (it > 20 and rel_energy < 1e-4)):
            break
        c = 1.0 / d
        jac, pos = _assemble(graph, c)
        # rhs = A12ᵀ D⁻¹ E − M, with A12 the free-node incidence (+1 at from, −1 at to).
        rhs = -m.copy()
        ce = c * energy
        pa, pb = pos[a_idx], pos[b_idx]
        np.add.at(rhs, pa[pa >= 0], ce[pa >= 0])
        np.subtract.at(rhs, pb[pb >= 0], ce[pb >= 0])
        try:
            dh = spla.spsolve(jac, rhs)
        except RuntimeError as exc:  # singular matrix
            raise SolverError(f"singular Jacobian ({exc})") from None
        dp2 = np.zeros(n)
        dp2[free] = dh
        dq = c * ((dp2[a_idx] - dp2[b_idx]) - energy)
        p2 = p2 + dp2
        q = q + dq
    else:
        raise SolverError(f"Newton did not converge in {max_iter} iterations (residual {residual:.3g} m³/h); "
                          "the demand may exceed what the network can carry at this source pressure")
    return p2, q, it, residual


def newton_responses(sol: Solution, demands_m3h: Sequence[np.ndarray], rho_n: float, steps: int = 2,
                     ) -> list[np.ndarray]:
    """Gauge pressures (kPa, per node of ``sol.graph``) for each what-if vector of node withdrawals
    ``demands_m3h`` on the same graph, after ``steps`` chord-Newton iterations from ``sol``: the Jacobian of
    ``sol`` is factorized once and reused, the residuals are re-evaluated at each iterate. One iteration is
    the linear response; the second adds the quadratic growth of pressure drops with flow."""
    graph = sol.graph
    a_idx, b_idx = graph.link_from, graph.link_to
    n = len(graph.node_ids)
    free = ~graph.fixed & graph.reachable
    k = _k_coefficient(graph, np.maximum(np.abs(sol.q), Q_SMOOTH), rho_n)
    d = np.where(np.abs(sol.q) > Q_SMOOTH, 2.0 * k * np.maximum(np.abs(sol.q), Q_SMOOTH), k * Q_SMOOTH)
    c = 1.0 / d
    jac, _pos = _assemble(graph, c)
    lu = spla.splu(jac.tocsc())
    if not len(demands_m3h):
        return []
    # All what-ifs at once, one column each: the incidence matrix B (+1 at a link's start, −1 at its end)
    # gives the nodal balances B q and, restricted to the free nodes, the chord system's right-hand side.
    n_links = len(a_idx)
    cols = np.arange(n_links)
    inc = sp.csr_matrix((np.r_[np.ones(n_links), -np.ones(n_links)], (np.r_[a_idx, b_idx], np.r_[cols, cols])),
                        shape=(n, n_links))
    inc_free = inc[np.flatnonzero(free)]
    dem = np.column_stack([np.asarray(d, dtype=float) for d in demands_m3h]) / 3600.0  # nodes × what-ifs
    m = dem.shape[1]
    p2 = np.repeat(sol.p2[:, None], m, axis=1)
    q = np.repeat(sol.q[:, None], m, axis=1)
    for step in range(steps):
        # The first iterate is the no-leak state itself, whose coefficients are already known.
        kk = k[:, None] if step == 0 else _k_coefficient(graph, np.maximum(np.abs(q), Q_SMOOTH).T, rho_n).T
        energy = kk * q * np.maximum(np.abs(q), Q_SMOOTH) - (p2[a_idx] - p2[b_idx])
        rhs = -(inc @ q + dem)[free] + inc_free @ (c[:, None] * energy)
        dp2 = np.zeros((n, m))
        dp2[free] = lu.solve(np.ascontiguousarray(rhs)).reshape(-1, m)
        q = q + c[:, None] * ((dp2[a_idx] - dp2[b_idx]) - energy)
        p2 = p2 + dp2
    gauge = np.sqrt(np.where(graph.reachable[:, None], np.maximum(p2, 0.0), np.nan)) / 1000.0 - P_ATM_KPA
    return [gauge[:, j] for j in range(m)]


def solve(network: Network, *, leaks: Iterable[Leak] = (), demands: Mapping[str, float] | None = None,
          demand_scale: float = 1.0, closed_valves: Iterable[str] = (), initial: Solution | None = None,
          tol_m3h: float = 1e-6, max_iter: int = 60, rel_tol: float = 1e-6) -> Solution:
    """Solve the steady state. ``initial`` (a previous solution of the same network) warm-starts Newton.

    Converged when the worst node imbalance is below ``tol_m3h`` and the worst relative head-loss mismatch
    below ``rel_tol`` (the mismatch is largest on links that carry almost nothing, so a looser ``rel_tol``
    saves iterations at a pressure error far below any sensor's noise).
    """
    graph = build_graph(network, leaks, demands, demand_scale, closed_valves)
    rho_n = network.normal_density
    n = len(graph.node_ids)
    p_src = graph.fixed_p2[graph.fixed].max() if graph.fixed.any() else (P_ATM_KPA * 1e3) ** 2
    p2 = np.full(n, p_src)
    p2[graph.fixed] = graph.fixed_p2[graph.fixed]
    if initial is not None and initial.graph.node_ids == graph.node_ids:
        keep = ~graph.fixed & np.isfinite(initial.p2)
        p2[keep] = initial.p2[keep]
    elif initial is not None:
        for i, nid in enumerate(graph.node_ids):
            j = initial.graph.index.get(nid)
            if j is not None and not graph.fixed[i] and np.isfinite(initial.p2[j]):
                p2[i] = initial.p2[j]
    free = ~graph.fixed & graph.reachable
    q = np.full(len(graph.link_from), 1e-4)
    if initial is not None and len(initial.q) == len(q):
        q = initial.q.copy()
    elif initial is not None:
        # A different graph (a leak added or removed): start each link from its pipe's previous flow and
        # each leak point from the mean of its pipe's end pressures.
        first = initial.graph.pipe_first_link
        q = np.array([initial.q[first[pid]] if pid in first else 1e-4 for pid in graph.link_pipe])
        for i, nid in enumerate(graph.node_ids):
            if nid.startswith("~"):
                ends = np.concatenate([graph.link_from[graph.link_to == i], graph.link_to[graph.link_from == i]])
                p2[i] = float(np.mean(p2[ends]))
    if initial is None:
        p2 = _picard_start(graph, p2, q, rho_n)
        k = _k_coefficient(graph, np.abs(q), rho_n)
        q, _ = _flows(graph, p2, k)
    p2, q, it, residual = _newton(graph, p2, q, rho_n, max_iter, tol_m3h, rel_tol)
    if np.any(p2[free] <= 0):
        raise SolverError("pressure fell below zero: the demand is more than the network can deliver")
    k = _k_coefficient(graph, np.maximum(np.abs(q), Q_SMOOTH), rho_n)
    g = 1.0 / np.where(np.abs(q) > Q_SMOOTH, 2.0 * k * np.abs(q), k * Q_SMOOTH)
    p_abs = np.sqrt(np.where(graph.reachable, p2, np.nan))
    pressure = {nid: float(p_abs[i] / 1000.0 - P_ATM_KPA) for i, nid in enumerate(graph.node_ids)
                if not nid.startswith("~")}
    flow: dict[str, float] = {}
    for pid in network.pipes:
        li = graph.pipe_first_link.get(pid)
        flow[pid] = float(q[li] * 3600.0) if li is not None else 0.0
    return Solution(pressure, flow, it, residual, graph, p2, q, g)
