"""The network as the views draw it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from anran_desktop.store import Store


@dataclass(frozen=True)
class NodeView:
    id: str
    kind: str
    x: float
    y: float
    name: str
    area: str
    demand_m3h: float


@dataclass(frozen=True)
class PipeView:
    id: str
    kind: str  # pipe | valve
    from_node: str
    to_node: str
    xy: tuple[tuple[float, float], ...]
    length_m: float
    diameter_mm: float
    segment: str
    area: str
    status: str
    material: str
    name: str


@dataclass(frozen=True)
class SensorView:
    id: str
    quantity: str
    x: float
    y: float
    name: str
    node: str | None
    pipe: str | None


@dataclass(frozen=True)
class AreaView:
    id: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True)
class BuildingView:
    id: str
    name: str
    area: str
    households: int
    x: float
    y: float
    rings: tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True)
class NetworkView:
    site: dict
    nodes: tuple[NodeView, ...]
    pipes: tuple[PipeView, ...]
    sensors: tuple[SensorView, ...]
    cameras: tuple[SensorView, ...]
    areas: tuple[AreaView, ...]
    buildings: tuple[BuildingView, ...]

    @property
    def valves(self) -> tuple[PipeView, ...]:
        """The pipes that are valves (``kind == "valve"``), with their ``status``."""
        return tuple(p for p in self.pipes if p.kind == "valve")

    @property
    def area_names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.areas}


class NetworkService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def is_empty(self) -> bool:
        with self.store.read() as c:
            return c.exec_driver_sql("SELECT COUNT(*) FROM pipes").scalar() == 0

    def view(self) -> NetworkView:
        t = self.store.t
        with self.store.read() as c:
            nodes = tuple(NodeView(r.id, r.kind, r.x, r.y, r.name or "", r.area_id or "", r.demand_m3h)
                          for r in c.execute(select(t.nodes)))
            pipes = tuple(PipeView(r.id, r.kind, r.from_node, r.to_node, tuple(tuple(p) for p in json.loads(r.xy)),
                                   r.length_m, r.diameter_mm, r.segment or "", r.area_id or "", r.status,
                                   r.material or "", r.name or "") for r in c.execute(select(t.pipes)))
            sensors = tuple(SensorView(r.id, r.quantity, r.x, r.y, r.name or "", r.node_id, r.pipe_id)
                            for r in c.execute(select(t.sensors).order_by(t.sensors.c.id)))
            cameras = tuple(SensorView(r.id, "camera", r.x, r.y, r.name or "", r.node_id, r.pipe_id)
                            for r in c.execute(select(t.cameras).order_by(t.cameras.c.id)))
            areas = tuple(AreaView(r.id, r.name, ()) for r in c.execute(select(t.areas)))
            buildings = tuple(BuildingView(r.id, r.name, r.area_id or "", r.households, r.x, r.y,
                                           tuple(tuple(tuple(p) for p in ring) for ring in json.loads(r.xy))
                                           if r.xy else ()) for r in c.execute(select(t.buildings)))
        site = json.loads(self.store.setting("site", "{}") or "{}")
        areas = self._area_rings(areas)
        return NetworkView(site, nodes, pipes, sensors, cameras, areas, buildings)

    def _area_rings(self, areas: tuple[AreaView, ...]) -> tuple[AreaView, ...]:
        """Area polygons in local metres, with the projection stored at import."""
        from engine.geo import LocalProjection

        origin = json.loads(self.store.setting("projection", "null") or "null")
        if not origin:
            return areas
        proj = LocalProjection(*origin)
        with self.store.read() as c:
            geoms = dict(c.exec_driver_sql("SELECT id, geometry FROM areas").fetchall())
        return tuple(AreaView(a.id, a.name, tuple(tuple(proj.to_xy(lon, lat) for lon, lat in ring)
                                                  for ring in json.loads(geoms.get(a.id) or "[]")))
                     for a in areas)
