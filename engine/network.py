"""The gas network model: nodes, pipes (and valves), sensors, cameras, areas and buildings.

Plain dataclasses with stable string ids. Geometry is kept as GeoJSON lon/lat; ``engine.geo`` projects
it to local metres. Unknown GeoJSON properties survive a load/save round trip in ``properties``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Normal density of natural gas (kg/m³ at 0 °C, 101.325 kPa) used when a file does not give one.
DEFAULT_NORMAL_DENSITY = 0.72
#: Absolute roughness (mm) used for pipes without ``roughness_mm`` (new steel / PE mix).
DEFAULT_ROUGHNESS_MM = 0.1


class NetworkError(ValueError):
    """A network file or model is invalid. ``feature_id`` names the offending element when known."""

    def __init__(self, message: str, feature_id: str | None = None) -> None:
        super().__init__(f"{feature_id}: {message}" if feature_id else message)
        self.feature_id = feature_id


@dataclass
class Node:
    id: str
    kind: str  # "source" | "junction"
    lon: float
    lat: float
    pressure_kpa: float | None = None  # gauge set-point of a source
    demand_m3h: float = 0.0  # nominal withdrawal, standard m³/h
    elevation_m: float = 0.0
    name: str = ""
    area: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Pipe:
    id: str
    kind: str  # "pipe" | "valve"
    from_node: str
    to_node: str
    length_m: float
    diameter_mm: float
    coords: list[tuple[float, float]]  # lon/lat polyline, from → to
    roughness_mm: float = DEFAULT_ROUGHNESS_MM
    status: str = "open"  # valves: "open" | "closed"
    name: str = ""
    segment: str = ""
    material: str = ""
    area: str = ""
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass
class Sensor:
    id: str
    quantity: str  # "pressure_kpa" | "flow_m3h"
    lon: float
    lat: float
    node: str | None = None  # pressure sensors
    pipe: str | None = None  # flow meters
    name: str = ""
    accuracy_kpa: float | None = None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Camera:
    id: str
    lon: float
    lat: float
    name: str = ""
    node: str | None = None
    pipe: str | None = None
    url: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Area:
    id: str
    name: str
    rings: list[list[tuple[float, float]]]  # polygon rings, lon/lat
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Building:
    id: str
    name: str
    area: str
    households: int
    lon: float
    lat: float
    node: str | None = None
    rings: list[list[tuple[float, float]]] | None = None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    pipes: dict[str, Pipe] = field(default_factory=dict)
    sensors: dict[str, Sensor] = field(default_factory=dict)
    cameras: dict[str, Camera] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    gas: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def normal_density(self) -> float:
        return float(self.gas.get("normal_density_kg_m3", DEFAULT_NORMAL_DENSITY))

    @property
    def sources(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == "source"]

    @property
    def total_length_m(self) -> float:
        return float(sum(p.length_m for p in self.pipes.values() if p.kind == "pipe"))

    @property
    def total_demand_m3h(self) -> float:
        return float(sum(n.demand_m3h for n in self.nodes.values()))

    def pipe_ids(self) -> list[str]:
        """Ids of real pipes (valves excluded): the candidates a leak can be on."""
        return [p.id for p in self.pipes.values() if p.kind == "pipe"]

    def segment_pipes(self, segment: str) -> list[str]:
        return [p.id for p in self.pipes.values() if p.segment == segment]

    def validate(self) -> None:
        """Raise :class:`NetworkError` naming the feature for anything the solver cannot work with."""
        import networkx as nx

        if not self.sources:
            raise NetworkError("the network has no source (a Point with type 'source')")
        for s in self.sources:
            if s.pressure_kpa is None:
                raise NetworkError("a source needs 'pressure_kpa'", s.id)
        for p in self.pipes.values():
            for end in (p.from_node, p.to_node):
                if end not in self.nodes:
                    raise NetworkError(f"refers to node '{end}', which does not exist", p.id)
            if p.from_node == p.to_node:
                raise NetworkError("starts and ends at the same node", p.id)
            if not (p.diameter_mm > 0):
                raise NetworkError(f"diameter_mm must be positive, got {p.diameter_mm}", p.id)
            if not (p.length_m > 0):
                raise NetworkError(f"length_m must be positive, got {p.length_m}", p.id)
            if p.roughness_mm < 0:
                raise NetworkError(f"roughness_mm must not be negative, got {p.roughness_mm}", p.id)
            if p.kind == "valve" and p.status not in ("open", "closed"):
                raise NetworkError(f"valve status must be 'open' or 'closed', got '{p.status}'", p.id)
        for n in self.nodes.values():
            if n.demand_m3h < 0:
                raise NetworkError(f"demand_m3h must not be negative, got {n.demand_m3h}", n.id)
        graph = nx.Graph()
        graph.add_nodes_from(self.nodes)
        graph.add_edges_from((p.from_node, p.to_node) for p in self.pipes.values())
        parts = list(nx.connected_components(graph))
        if len(parts) > 1:
            source_ids = {s.id for s in self.sources}
            stray = sorted(min(parts, key=len))
            if not (source_ids & set(stray)) or len(parts) > 1:
                raise NetworkError(
                    f"the network has {len(parts)} disconnected parts; e.g. nodes {stray[:5]} are not "
                    "connected to the rest",
                    stray[0],
                )
        for s in self.sensors.values():
            if s.quantity not in ("pressure_kpa", "flow_m3h"):
                raise NetworkError(f"unknown sensor quantity '{s.quantity}'", s.id)
            if s.quantity == "pressure_kpa" and s.node not in self.nodes:
                raise NetworkError(f"pressure sensor on unknown node '{s.node}'", s.id)
            if s.quantity == "flow_m3h" and s.pipe not in self.pipes:
                raise NetworkError(f"flow meter on unknown pipe '{s.pipe}'", s.id)
