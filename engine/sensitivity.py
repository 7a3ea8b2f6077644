"""Pressure sensitivities from one converged solve (no extra solves per candidate).

At a solution, the nodal balances F(p²) + d = 0 give  J · ∂p² = −∂d  with J the (symmetric) Jacobian on the
free nodes. For the few sensor nodes we need rows of J⁻¹: one back-substitution per sensor on a single
sparse LU factorization gives ∂p_sensor / ∂d_node for *every* node at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse.linalg as spla

from engine.solver import Solution


@dataclass
class Sensitivity:
    """``G[i, k]`` = ∂ pressure at sensor node i (kPa) / ∂ withdrawal at network node k (m³/h)."""

    sensor_nodes: list[str]
    node_ids: list[str]
    G: np.ndarray

    def column(self, node_id: str) -> np.ndarray:
        k = self._index.get(node_id)
        return self.G[:, k] if k is not None else np.zeros(len(self.sensor_nodes))

    def __post_init__(self) -> None:
        self._index = {n: i for i, n in enumerate(self.node_ids)}


def pressure_sensitivity(sol: Solution, sensor_nodes: Sequence[str]) -> Sensitivity:
    g = sol.graph
    jac = sol.jacobian().tocsc()
    free = ~g.fixed & g.reachable
    free_idx = np.flatnonzero(free)
    pos = -np.ones(len(g.node_ids), dtype=np.int64)
    pos[free_idx] = np.arange(len(free_idx))
    lu = spla.splu(jac)
    network_nodes = [n for n in g.node_ids if not n.startswith("~")]
    G = np.zeros((len(sensor_nodes), len(network_nodes)))
    for i, node in enumerate(sensor_nodes):
        gi = g.index.get(node)
        if gi is None or pos[gi] < 0:
            continue  # a source node (fixed pressure) or cut off: insensitive
        e = np.zeros(len(free_idx))
        e[pos[gi]] = 1.0
        row = lu.solve(e, trans="T")  # row of J⁻¹ (J is symmetric, trans for safety)
        p_abs = np.sqrt(sol.p2[gi])
        # ∂p²_i/∂d_k = −row_k (d in m³/s); ∂p_i = ∂p²_i / (2 p_i); Pa → kPa; m³/s → m³/h.
        full = np.zeros(len(g.node_ids))
        full[free_idx] = -row / (2.0 * p_abs) / 1000.0 / 3600.0
        G[i] = full[: len(network_nodes)]
    return Sensitivity(list(sensor_nodes), network_nodes, G)
