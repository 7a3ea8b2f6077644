"""Import a network GeoJSON into the store (one transaction: all of it or nothing).

Re-importing a network updates elements in place; an element that disappears is retired, and an id that
was retired is never accepted again (stable ids, never reused).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from anran_desktop.store.audit import append_audit
from anran_desktop.store.db import Store, StoreError, utc_now
from engine.geo import project, projection_for
from engine.geojson_io import load_network, network_to_geojson
from engine.network import Network, NetworkError


def _js(value: object) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value not in (None, {}, []) else None


def household_units(households: int) -> list[str]:
    """Unit numbers for a building's households: 4 per floor, ``0101`` = floor 1, unit 01."""
    per_floor = 4
    return [f"{i // per_floor + 1:02d}{i % per_floor + 1:02d}" for i in range(households)]


def import_network(store: Store, path: Path | str, *, actor: str = "system") -> Network:
    """Load ``path`` and write it into the network tables. Raises :class:`StoreError` on bad input."""
    try:
        network = load_network(path)
    except NetworkError as exc:
        raise StoreError(f"cannot import the network: {exc}") from None
    write_network(store, network, source=str(path), actor=actor)
    return network


def write_network(store: Store, network: Network, *, source: str = "", actor: str = "system") -> None:
    xy = project(network)
    t = store.t
    now = utc_now()
    with store.begin() as conn:
        retired = {r[0] for r in conn.execute(select(t.retired_ids.c.id))}
        new_ids = set(network.nodes) | set(network.pipes) | set(network.sensors) | set(network.cameras) | set(
            network.areas) | set(network.buildings)
        reused = sorted(new_ids & retired)
        if reused:
            raise StoreError(f"cannot import the network: id '{reused[0]}' belonged to an element that was "
                             "removed earlier; ids are never reused — give the new element a new id")
        _retire_missing(conn, store, new_ids, now)
        if network.areas:
            _upsert(conn, t.areas, [
                {"id": a.id, "name": a.name, "geometry": _js(a.rings), "properties": _js(a.properties)}
                for a in network.areas.values()])
        _upsert(conn, t.nodes, [
            {"id": n.id, "kind": n.kind, "name": n.name, "area_id": n.area or None, "lon": n.lon, "lat": n.lat,
             "x": xy[n.id][0], "y": xy[n.id][1], "pressure_kpa": n.pressure_kpa, "demand_m3h": n.demand_m3h,
             "elevation_m": n.elevation_m, "properties": _js(n.properties)} for n in network.nodes.values()])
        _upsert(conn, t.pipes, [
            {"id": p.id, "kind": p.kind, "from_node": p.from_node, "to_node": p.to_node, "length_m": p.length_m,
             "diameter_mm": p.diameter_mm, "roughness_mm": p.roughness_mm, "status": p.status, "name": p.name,
             "segment": p.segment or None, "material": p.material, "area_id": p.area or None,
             "geometry": json.dumps(p.coords), "xy": json.dumps([[round(x, 2), round(y, 2)] for x, y in xy[p.id]]),
             "properties": _js(p.properties)} for p in network.pipes.values()])
        if network.sensors:
            _upsert(conn, t.sensors, [
                {"id": s.id, "quantity": s.quantity, "node_id": s.node, "pipe_id": s.pipe, "name": s.name,
                 "lon": s.lon, "lat": s.lat, "x": xy[s.id][0], "y": xy[s.id][1], "properties": _js(s.properties)}
                for s in network.sensors.values()])
        if network.cameras:
            _upsert(conn, t.cameras, [
                {"id": c.id, "name": c.name, "node_id": c.node, "pipe_id": c.pipe, "url": c.url, "lon": c.lon,
                 "lat": c.lat, "x": xy[c.id][0], "y": xy[c.id][1], "properties": _js(c.properties)}
                for c in network.cameras.values()])
        if network.buildings:
            rows = []
            for b in network.buildings.values():
                bxy = xy[b.id]
                cx, cy = (bxy if isinstance(bxy, tuple) else
                          (sum(p[0] for p in bxy[0][:-1]) / (len(bxy[0]) - 1),
                           sum(p[1] for p in bxy[0][:-1]) / (len(bxy[0]) - 1)))
                rows.append({"id": b.id, "name": b.name, "area_id": b.area or None, "households": b.households,
                             "node_id": b.node, "lon": b.lon, "lat": b.lat, "x": cx, "y": cy,
                             "geometry": _js(b.rings), "xy": _js(bxy if not isinstance(bxy, tuple) else None),
                             "properties": _js(b.properties)})
            _upsert(conn, t.buildings, rows)
            _ensure_households(conn, store, network, now)
        store.set_setting("site", json.dumps(network.site, ensure_ascii=False), conn)
        store.set_setting("gas", json.dumps(network.gas, ensure_ascii=False), conn)
        store.set_setting("network_source", source, conn)
        store.set_setting("network_geojson", json.dumps(network_to_geojson(network), ensure_ascii=False), conn)
        proj = projection_for(network)
        store.set_setting("projection", json.dumps([proj.lon0, proj.lat0]), conn)
        append_audit(store, conn, actor=actor, action="network.import", entity="network", entity_id=source,
                     detail={"nodes": len(network.nodes), "pipes": len(network.pipes),
                             "sensors": len(network.sensors)})


def _upsert(conn: Connection, table, rows: list[dict]) -> None:  # noqa: ANN001
    """Insert or update by id (rows referenced by others are updated in place, never deleted)."""
    if not rows:
        return
    stmt = sqlite_insert(table)
    cols = {c: stmt.excluded[c] for c in rows[0] if c != "id"}
    conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=cols), rows)


#: Deletion order that respects references (pipes before nodes, buildings before their households …).
_DELETE_ORDER = ("pipes", "sensors", "cameras", "buildings", "nodes", "areas")


def _retire_missing(conn: Connection, store: Store, new_ids: set[str], now: str) -> None:
    t = store.t
    for table in _DELETE_ORDER:
        tbl = getattr(t, table)
        old = {r[0] for r in conn.execute(select(tbl.c.id))}
        gone = sorted(old - new_ids)
        if not gone:
            continue
        if table == "buildings":
            with_households = conn.execute(select(t.households.c.building_id).where(
                t.households.c.building_id.in_(gone)).limit(1)).scalar()
            if with_households:
                raise StoreError(f"cannot import the network: building '{with_households}' is missing from the "
                                 "file but has registered households; keep it or move its households first")
        conn.execute(delete(tbl).where(tbl.c.id.in_(gone)))
        conn.execute(t.retired_ids.insert(), [{"id": i, "kind": table, "retired_at": now} for i in gone])


def _ensure_households(conn: Connection, store: Store, network: Network, now: str) -> None:
    t = store.t
    existing = {r[0] for r in conn.execute(select(t.households.c.id))}
    rows = []
    for b in network.buildings.values():
        number = b.id.lstrip("B") or b.id
        for unit in household_units(b.households):
            hid = f"H-{number}-{unit}"
            if hid not in existing:
                rows.append({"id": hid, "building_id": b.id, "area_id": b.area or None, "unit": unit,
                             "created_at": now})
    if rows:
        conn.execute(t.households.insert(), rows)
