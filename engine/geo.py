"""Local metric projection of a network (equirectangular about its centroid: x east, y north, metres)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.geojson_io import EARTH_RADIUS_M
from engine.network import Network


@dataclass(frozen=True)
class LocalProjection:
    lon0: float
    lat0: float

    def to_xy(self, lon: float, lat: float) -> tuple[float, float]:
        k = math.radians(1.0) * EARTH_RADIUS_M
        return ((lon - self.lon0) * k * math.cos(math.radians(self.lat0)), (lat - self.lat0) * k)

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        k = math.radians(1.0) * EARTH_RADIUS_M
        return (self.lon0 + x / (k * math.cos(math.radians(self.lat0))), self.lat0 + y / k)


def projection_for(network: Network) -> LocalProjection:
    lons = [n.lon for n in network.nodes.values()] or [0.0]
    lats = [n.lat for n in network.nodes.values()] or [0.0]
    return LocalProjection((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def project(network: Network) -> dict[str, object]:
    """Element id → ``(x, y)`` for points, ``[(x, y), …]`` for pipes, list of rings for polygons."""
    proj = projection_for(network)
    out: dict[str, object] = {}
    for n in network.nodes.values():
        out[n.id] = proj.to_xy(n.lon, n.lat)
    for p in network.pipes.values():
        out[p.id] = [proj.to_xy(lon, lat) for lon, lat in p.coords]
    for s in network.sensors.values():
        out[s.id] = proj.to_xy(s.lon, s.lat)
    for c in network.cameras.values():
        out[c.id] = proj.to_xy(c.lon, c.lat)
    for a in network.areas.values():
        out[a.id] = [[proj.to_xy(lon, lat) for lon, lat in ring] for ring in a.rings]
    for b in network.buildings.values():
        out[b.id] = ([[proj.to_xy(lon, lat) for lon, lat in ring] for ring in b.rings] if b.rings
                     else proj.to_xy(b.lon, b.lat))
    return out
