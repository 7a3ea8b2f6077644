"""Read and write the network GeoJSON format (RFC 7946, lon/lat) documented in docs/formats.md."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.network import (
    DEFAULT_ROUGHNESS_MM,
    Area,
    Building,
    Camera,
    Network,
    NetworkError,
    Node,
    Pipe,
    Sensor,
)

EARTH_RADIUS_M = 6_371_008.8

_NODE_KEYS = {"id", "type", "pressure_kpa", "demand_m3h", "elevation_m", "name", "area"}
_PIPE_KEYS = {"id", "type", "from", "to", "length_m", "diameter_mm", "roughness_mm", "status", "name",
              "segment", "material", "area"}
_SENSOR_KEYS = {"id", "type", "quantity", "node", "pipe", "name", "accuracy_kpa"}
_CAMERA_KEYS = {"id", "type", "name", "node", "pipe", "url"}
_AREA_KEYS = {"id", "type", "name"}
_BUILDING_KEYS = {"id", "type", "name", "area", "households", "node"}


def geodesic_length_m(coords: Iterable[tuple[float, float]]) -> float:
    """Length of a lon/lat polyline on the sphere (haversine), metres."""
    pts = list(coords)
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(pts, pts[1:], strict=False):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
    return total


def _num(props: dict[str, Any], key: str, fid: str, default: float | None = None) -> float | None:
    value = props.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NetworkError(f"'{key}' must be a number, got {value!r}", fid)
    if not math.isfinite(value):
        raise NetworkError(f"'{key}' must be finite, got {value!r}", fid)
    return float(value)


def _extra(props: dict[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in known}


def _point(geom: dict[str, Any], fid: str) -> tuple[float, float]:
    c = geom.get("coordinates")
    if not (isinstance(c, list) and len(c) >= 2 and all(isinstance(v, int | float) for v in c[:2])):
        raise NetworkError("Point geometry needs [lon, lat] coordinates", fid)
    lon, lat = float(c[0]), float(c[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise NetworkError(f"coordinates out of range: {c[:2]}", fid)
    return lon, lat


def _line(geom: dict[str, Any], fid: str) -> list[tuple[float, float]]:
    c = geom.get("coordinates")
    if not (isinstance(c, list) and len(c) >= 2):
        raise NetworkError("LineString geometry needs at least two positions", fid)
    return [_point({"coordinates": p}, fid) for p in c]


def _rings(geom: dict[str, Any], fid: str) -> list[list[tuple[float, float]]]:
    c = geom.get("coordinates")
    if not (isinstance(c, list) and c and all(isinstance(r, list) and len(r) >= 4 for r in c)):
        raise NetworkError("Polygon geometry needs rings of at least four positions", fid)
    return [[_point({"coordinates": p}, fid) for p in ring] for ring in c]


def network_from_geojson(doc: dict[str, Any], *, validate: bool = True) -> Network:
    """Build a :class:`Network` from a parsed GeoJSON FeatureCollection."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise NetworkError("the file is not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise NetworkError("the FeatureCollection has no 'features' list")
    fc_props = dict(doc.get("properties") or {})
    net = Network(site=dict(fc_props.pop("site", {}) or {}), gas=dict(fc_props.pop("gas", {}) or {}),
                  properties=fc_props)
    seen: set[str] = set()
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise NetworkError(f"feature #{index} is not a GeoJSON Feature")
        props = feature.get("properties") or {}
        geom = feature.get("geometry") or {}
        fid = props.get("id", feature.get("id"))
        if not isinstance(fid, str) or not fid.strip():
            raise NetworkError(f"feature #{index} has no string 'id' property")
        if fid in seen:
            raise NetworkError("duplicate id", fid)
        seen.add(fid)
        kind = props.get("type")
        gtype = geom.get("type")
        if kind in ("source", "junction"):
            if gtype != "Point":
                raise NetworkError(f"a {kind} must be a Point, got {gtype}", fid)
            lon, lat = _point(geom, fid)
            net.nodes[fid] = Node(
                id=fid, kind=kind, lon=lon, lat=lat,
                pressure_kpa=_num(props, "pressure_kpa", fid),
                demand_m3h=_num(props, "demand_m3h", fid, 0.0) or 0.0,
                elevation_m=_num(props, "elevation_m", fid, 0.0) or 0.0,
                name=str(props.get("name", "")), area=str(props.get("area", "")),
                properties=_extra(props, _NODE_KEYS),
            )
        elif kind in ("pipe", "valve"):
            if gtype != "LineString":
                raise NetworkError(f"a {kind} must be a LineString, got {gtype}", fid)
            coords = _line(geom, fid)
            for end in ("from", "to"):
                if not isinstance(props.get(end), str):
                    raise NetworkError(f"missing '{end}' node id", fid)
            length = _num(props, "length_m", fid)
            if length is None:
                length = geodesic_length_m(coords)
            diameter = _num(props, "diameter_mm", fid)
            if diameter is None:
                raise NetworkError("missing 'diameter_mm'", fid)
            net.pipes[fid] = Pipe(
                id=fid, kind=kind, from_node=props["from"], to_node=props["to"],
                length_m=length, diameter_mm=diameter, coords=coords,
                roughness_mm=_num(props, "roughness_mm", fid, DEFAULT_ROUGHNESS_MM) or 0.0,
                status=str(props.get("status", "open")), name=str(props.get("name", "")),
                segment=str(props.get("segment", "")), material=str(props.get("material", "")),
                area=str(props.get("area", "")), properties=_extra(props, _PIPE_KEYS),
            )
        elif kind == "sensor":
            lon, lat = _point(geom, fid)
            net.sensors[fid] = Sensor(
                id=fid, quantity=str(props.get("quantity", "")), lon=lon, lat=lat,
                node=props.get("node"), pipe=props.get("pipe"), name=str(props.get("name", "")),
                accuracy_kpa=_num(props, "accuracy_kpa", fid), properties=_extra(props, _SENSOR_KEYS),
            )
        elif kind == "camera":
            lon, lat = _point(geom, fid)
            net.cameras[fid] = Camera(
                id=fid, lon=lon, lat=lat, name=str(props.get("name", "")), node=props.get("node"),
                pipe=props.get("pipe"), url=str(props.get("url", "")),
                properties=_extra(props, _CAMERA_KEYS),
            )
        elif kind == "area":
            if gtype != "Polygon":
                raise NetworkError(f"an area must be a Polygon, got {gtype}", fid)
            net.areas[fid] = Area(id=fid, name=str(props.get("name", fid)), rings=_rings(geom, fid),
                                  properties=_extra(props, _AREA_KEYS))
        elif kind == "building":
            rings = _rings(geom, fid) if gtype == "Polygon" else None
            if rings:
                ring = rings[0][:-1]
                lon = sum(p[0] for p in ring) / len(ring)
                lat = sum(p[1] for p in ring) / len(ring)
            else:
                lon, lat = _point(geom, fid)
            households = props.get("households", 0)
            if not isinstance(households, int) or households < 0:
                raise NetworkError(f"'households' must be a non-negative integer, got {households!r}", fid)
            net.buildings[fid] = Building(
                id=fid, name=str(props.get("name", fid)), area=str(props.get("area", "")),
                households=households, lon=lon, lat=lat, node=props.get("node"), rings=rings,
                properties=_extra(props, _BUILDING_KEYS),
            )
        else:
            raise NetworkError(
                f"unknown feature type {kind!r} (expected source, junction, pipe, valve, sensor, camera, "
                "area or building)", fid)
    if validate:
        net.validate()
    return net


def load_network(path: str | Path, *, validate: bool = True) -> Network:
    """Read a network GeoJSON file. Raises :class:`NetworkError` with the file and feature on bad input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NetworkError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkError(f"{path}: cannot read the file ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NetworkError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    try:
        return network_from_geojson(doc, validate=validate)
    except NetworkError as exc:
        err = NetworkError(f"{path}: {exc}")
        err.feature_id = exc.feature_id
        raise err from None


def _feature(geometry: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {k: v for k, v in props.items()
                                                                    if v not in (None, "")}}


def network_to_geojson(net: Network) -> dict[str, Any]:
    feats: list[dict[str, Any]] = []
    for n in net.nodes.values():
        feats.append(_feature({"type": "Point", "coordinates": [n.lon, n.lat]}, {
            "id": n.id, "type": n.kind, "pressure_kpa": n.pressure_kpa,
            "demand_m3h": n.demand_m3h if n.demand_m3h else None,
            "elevation_m": n.elevation_m if n.elevation_m else None, "name": n.name, "area": n.area,
            **n.properties}))
    for p in net.pipes.values():
        feats.append(_feature({"type": "LineString", "coordinates": [list(c) for c in p.coords]}, {
            "id": p.id, "type": p.kind, "from": p.from_node, "to": p.to_node,
            "length_m": round(p.length_m, 3), "diameter_mm": p.diameter_mm, "roughness_mm": p.roughness_mm,
            "status": p.status if p.kind == "valve" else None, "name": p.name, "segment": p.segment,
            "material": p.material, "area": p.area, **p.properties}))
    for s in net.sensors.values():
        feats.append(_feature({"type": "Point", "coordinates": [s.lon, s.lat]}, {
            "id": s.id, "type": "sensor", "quantity": s.quantity, "node": s.node, "pipe": s.pipe,
            "name": s.name, "accuracy_kpa": s.accuracy_kpa, **s.properties}))
    for c in net.cameras.values():
        feats.append(_feature({"type": "Point", "coordinates": [c.lon, c.lat]}, {
            "id": c.id, "type": "camera", "name": c.name, "node": c.node, "pipe": c.pipe, "url": c.url,
            **c.properties}))
    for a in net.areas.values():
        feats.append(_feature({"type": "Polygon", "coordinates": [[list(p) for p in r] for r in a.rings]},
                              {"id": a.id, "type": "area", "name": a.name, **a.properties}))
    for b in net.buildings.values():
        geom = ({"type": "Polygon", "coordinates": [[list(p) for p in r] for r in b.rings]} if b.rings
                else {"type": "Point", "coordinates": [b.lon, b.lat]})
        feats.append(_feature(geom, {"id": b.id, "type": "building", "name": b.name, "area": b.area,
                                     "households": b.households, "node": b.node, **b.properties}))
    props: dict[str, Any] = dict(net.properties)
    if net.site:
        props["site"] = net.site
    if net.gas:
        props["gas"] = net.gas
    return {"type": "FeatureCollection", "properties": props, "features": feats}


def save_network(net: Network, path: str | Path) -> None:
    Path(path).write_text(json.dumps(network_to_geojson(net), ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
