"""Gas network model, steady-state solver, simulator, state estimation and leak localization (no Qt).

The public API::

    net = engine.load_network("site.geojson")
    sol = engine.solve(net, leaks=[engine.Leak("P012", 8.0)])
    res = engine.locate(net, engine.simulate(net, 60, seed=1))
"""

from engine.geojson_io import load_network, network_from_geojson, network_to_geojson, save_network
from engine.locate import LocateResult, OdorReport, SiteReading, ValveTest, locate
from engine.network import Network, NetworkError
from engine.simulate import LiveSimulator, Readings, ScheduledLeak, simulate
from engine.solver import Leak, Solution, SolverError, solve

__all__ = ["Leak", "LiveSimulator", "LocateResult", "Network", "NetworkError", "OdorReport", "Readings",
           "ScheduledLeak", "SiteReading", "Solution", "SolverError", "ValveTest", "load_network", "locate",
           "network_from_geojson", "network_to_geojson", "save_network", "simulate", "solve"]
