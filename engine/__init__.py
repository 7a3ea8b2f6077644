"""Gas network model, steady-state solver, simulator, state estimation and leak localization (no Qt).

The public API::

    net = engine.load_network("site.geojson")
    sol = engine.solve(net, leaks=[engine.Leak("P012", 8.0)])
"""

from engine.geojson_io import load_network, network_from_geojson, network_to_geojson, save_network
from engine.network import Network, NetworkError

__all__ = ["Network", "NetworkError", "load_network", "network_from_geojson", "network_to_geojson",
           "save_network"]
