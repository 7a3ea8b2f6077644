"""A test site with a metered large consumer: the demo site plus a boiler house on its own service pipe."""

from __future__ import annotations

from engine.network import Network, Node, Pipe, Sensor


def with_boiler(net: Network, reverse: bool = False, at: str = "N030") -> Network:
    """A boiler house BH (nominal demand 0) on a 27 m DN80 service pipe off junction ``at``, metered by FT-BH
    (``reverse``: the pipe drawn from the boiler house to the junction, so its flow is negative)."""
    j = net.nodes[at]
    lon, lat = j.lon + 0.0003, j.lat + 0.0001
    net.nodes["BH"] = Node("BH", "junction", lon, lat, name="锅炉房")
    ends = ("BH", at) if reverse else (at, "BH")
    coords = [(lon, lat), (j.lon, j.lat)] if reverse else [(j.lon, j.lat), (lon, lat)]
    net.pipes["BH-P"] = Pipe("BH-P", "pipe", *ends, 27.0, 80.0, coords)
    net.sensors["FT-BH"] = Sensor("FT-BH", "flow_m3h", lon, lat, pipe="BH-P", name="锅炉房流量计")
    return net
