"""Model residuals of stored pressure history (Qt-free): measured − the no-leak model at the metered inflow.

The curves' 模型残差 panel shows, per pressure point, how far the reading is from what the network model
says with no leak and the consumers taking what the inlet meter measured (demand scaled uniformly; the
same model the leak localization subtracts, ``engine.locate.Locator.no_leak_pressures``). The live panel
adds a point at every model solve; this fills in the history of the points a dispatcher selects, from the
stored telemetry, so the panel is not empty until the app has run for a while.

A residual includes the point's constant bias (a few tenths of a kPa); what matters is its change, e.g. a
step at a leak's onset. Readings with no inlet reading within ``max_gap_s`` are left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.locate import Locator, inflow_sensors
from engine.network import Network

Series = tuple[np.ndarray, np.ndarray]


class ResidualHistory:
    """Residual series of pressure points of one network (owns its own no-leak model, so it can run on a
    worker thread next to the leak watch)."""

    def __init__(self, network: Network, *, max_gap_s: float = 120.0) -> None:
        self.network = network
        self.max_gap_s = max_gap_s
        self.inflow_points = inflow_sensors(network)
        self._locator: Locator | None = None  # one solve: made on first use, on the worker

    def pressure_nodes(self, points: list[str]) -> dict[str, str]:
        """Point id → node of the given points that measure pressure at a node of the network."""
        out = {}
        for p in points:
            s = self.network.sensors.get(p)
            if s is not None and s.quantity == "pressure_kpa" and s.node in self.network.nodes:
                out[p] = s.node
        return out

    def residuals(self, pressure: Mapping[str, Series], inflow: Mapping[str, Series]) -> dict[str, Series]:
        """``pressure``: point → (times s, kPa); ``inflow``: inlet meter → (times s, m³/h), one entry per
        meter of :attr:`inflow_points` (their sum is the inflow). Returns point → (times, residual kPa) for
        every pressure point of the network that has readings while every meter has one nearby; points of
        other kinds are ignored."""
        nodes = self.pressure_nodes(list(pressure))
        meters = [inflow[m] for m in self.inflow_points if m in inflow and len(inflow[m][0])]
        if not nodes or not meters or len(meters) < len(self.inflow_points):
            return {}
        if self._locator is None:
            self._locator = Locator(self.network)
        out: dict[str, Series] = {}
        for point, node in nodes.items():
            t, v = (np.asarray(a, dtype=float) for a in pressure[point])
            ok = np.isfinite(v)
            total = np.zeros(len(t))
            for mt, mv in meters:
                mt, mv = np.asarray(mt, dtype=float), np.asarray(mv, dtype=float)
                good = np.isfinite(mv)
                mt, mv = mt[good], mv[good]
                if not len(mt):
                    ok[:] = False
                    break
                total += np.interp(t, mt, mv)
                # The nearest meter reading must be close: no inflow across a gap is guessed.
                i = np.searchsorted(mt, t)
                left, right = mt[np.clip(i - 1, 0, len(mt) - 1)], mt[np.clip(i, 0, len(mt) - 1)]
                ok &= np.minimum(np.abs(t - left), np.abs(t - right)) <= self.max_gap_s
            ok &= total > 0
            if not ok.any():
                continue
            model = self._locator.no_leak_pressures([node], total[ok])[:, 0]
            out[point] = (t[ok], v[ok] - model)
        return out
