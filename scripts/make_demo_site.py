"""Generate the demo site 星海花园 (resources/sites/xinghai/network.geojson), deterministically.

A medium-pressure B (150 kPa gauge) residential campus in 广州市 run by 星海物业服务有限公司: a
regulator station on the west side, a looped DN100 steel main ring, a DN80 cross main, PE branches
into five areas with service laterals to every building, segment valves, ten pressure transmitters,
an inlet flow meter and four cameras. The 南区 branch carries segments S3, S4, S5 (the demo script's
suspected interval) with gauges upstream of S4 and downstream of S5.

    python scripts/make_demo_site.py [OUT.geojson]
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.geo import LocalProjection  # noqa: E402

PROJ = LocalProjection(113.3605, 23.1215)
SEED = 20261124

# Inner diameters (mm) of common gas pipe: steel DN150/DN100/DN80 (168.3×4.5, 114.3×4.0, 88.9×4.0),
# PE100 SDR11 de90/de63/de32.
STEEL_DN150 = 159.3
STEEL_DN100 = 106.3
STEEL_DN80 = 80.9
PE_90 = 73.6
PE_63 = 51.4
PE_32 = 26.2

W, H = 640.0, 520.0  # campus extent, metres


class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.features: list[dict] = []
        self.node_xy: dict[str, tuple[float, float]] = {}
        self.n_pipe = 0
        self.n_node = 0
        self.segments: dict[str, float] = {}

    def lonlat(self, x: float, y: float) -> list[float]:
        lon, lat = PROJ.to_lonlat(x, y)
        return [round(lon, 7), round(lat, 7)]

    def node(self, x: float, y: float, *, nid: str | None = None, kind: str = "junction", area: str = "",
             demand: float = 0.0, pressure: float | None = None, name: str = "") -> str:
        if nid is None:
            self.n_node += 1
            nid = f"N{self.n_node:03d}"
        self.node_xy[nid] = (x, y)
        props: dict = {"id": nid, "type": kind}
        if pressure is not None:
            props["pressure_kpa"] = pressure
        if demand:
            props["demand_m3h"] = round(demand, 3)
        props["elevation_m"] = round(8.0 + 0.004 * x + self.rng.uniform(-0.3, 0.3), 2)
        if name:
            props["name"] = name
        if area:
            props["area"] = area
        self.features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": self.lonlat(x, y)},
                              "properties": props})
        return nid

    def pipe(self, a: str, b: str, diameter: float, *, segment: str, area: str = "", material: str = "PE100 SDR11",
             kind: str = "pipe", pid: str | None = None, name: str = "", roughness: float | None = None) -> str:
        if pid is None:
            self.n_pipe += 1
            pid = f"P{self.n_pipe:03d}"
        (x1, y1), (x2, y2) = self.node_xy[a], self.node_xy[b]
        length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
        props: dict = {"id": pid, "type": kind, "from": a, "to": b, "length_m": round(length, 1),
                       "diameter_mm": diameter, "segment": segment, "material": material}
        props["roughness_mm"] = roughness if roughness is not None else (0.05 if material.startswith("steel") else 0.01)
        if kind == "valve":
            props["status"] = "open"
            props["length_m"] = 1.0
        if area:
            props["area"] = area
        if name:
            props["name"] = name
        self.features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            self.lonlat(x1, y1), self.lonlat(x2, y2)]}, "properties": props})
        if kind == "pipe":
            self.segments[segment] = self.segments.get(segment, 0.0) + length
        return pid

    def chain(self, points: list[tuple[float, float]], diameter: float, *, segment: str, area: str = "",
              material: str = "PE100 SDR11", start: str | None = None) -> list[str]:
        """Pipes along a polyline, one node per vertex. Returns the node ids (start included)."""
        nodes = [start] if start else [self.node(*points[0], area=area)]
        for x, y in points[1:]:
            n = self.node(x, y, area=area)
            self.pipe(nodes[-1], n, diameter, segment=segment, area=area, material=material)
            nodes.append(n)
        return nodes


def area_of(x: float, y: float) -> str:
    if y > 350:
        return "A-BEI"
    if y < 170:
        return "A-NAN"
    if x < 220:
        return "A-XI"
    if x > 420:
        return "A-DONG"
    return "A-ZHONG"


AREAS = {"A-BEI": "北区", "A-NAN": "南区", "A-XI": "西区", "A-DONG": "东区", "A-ZHONG": "中区"}


def build() -> dict:
    b = Builder()
    rng = b.rng
    b.node(-60, 260, nid="REG-01", kind="source", pressure=150.0, name="星海花园调压站")
    inlet = b.node(0, 260, nid="N-IN", name="进站总阀后")
    b.pipe("REG-01", inlet, STEEL_DN150, segment="S0", material="steel 20#", pid="P-IN", name="调压站出口管")

    # Main ring (clockwise from the inlet), DN150 steel, nodes every ~40 m.
    corners = [(0, 260), (0, H), (W, H), (W, 0), (0, 0), (0, 260)]
    ring_nodes = [inlet]
    ring_segs = ["S1", "S6", "S7", "S2", "S1"]
    for (x1, y1), (x2, y2), seg in zip(corners, corners[1:], ring_segs, strict=False):
        n = max(1, round(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 / 40))
        for i in range(1, n + 1):
            x, y = x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n
            if (x, y) == (0, 260):
                b.pipe(ring_nodes[-1], inlet, STEEL_DN100, segment=seg, material="steel 20#")
                continue
            nid = b.node(x, y)
            b.pipe(ring_nodes[-1], nid, STEEL_DN100, segment=seg, material="steel 20#")
            ring_nodes.append(nid)
    xy = b.node_xy

    def ring_node_at(x: float, y: float) -> str:
        return min(ring_nodes, key=lambda n: (xy[n][0] - x) ** 2 + (xy[n][1] - y) ** 2)

    # Cross main DN100 steel at y = 260 from the inlet to the east side of the ring.
    cross = b.chain([(0, 260)] + [(x, 260) for x in range(40, int(W) + 1, 40)], STEEL_DN80,
                    segment="S8", material="steel 20#", start=inlet)
    b.pipe(cross[-1], ring_node_at(W, 260), STEEL_DN80, segment="S8", material="steel 20#")

    building_no = 0
    n_segment = 10
    sensors: list[tuple[str, str, str]] = []  # (id, node, name)

    def add_building(node: str, x: float, y: float, area: str) -> None:
        nonlocal building_no
        building_no += 1
        households = rng.choice([48, 56, 64, 72, 88, 96])
        demand = households * rng.uniform(0.12, 0.17)  # nominal mean withdrawal, m³/h
        bx, by = x + 14, y + 6
        svc = b.node(bx, by, area=area, demand=demand)
        b.pipe(node, svc, PE_32, segment=f"L{building_no}", area=area, name=f"{building_no}栋引入管")
        w, h = 30, 12
        ring = [[bx + 4, by - h / 2], [bx + 4 + w, by - h / 2], [bx + 4 + w, by + h / 2], [bx + 4, by + h / 2],
                [bx + 4, by - h / 2]]
        b.features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
            [b.lonlat(px, py) for px, py in ring]]}, "properties": {
            "id": f"B{building_no:02d}", "type": "building", "name": f"{building_no}栋", "area": area,
            "households": households, "node": svc}})

    # 南区 branch: north from the south ring side at x = 160: S3, S4, S5 with valves between them.
    south_root = ring_node_at(160, 0)
    nan = "A-NAN"
    v_head = b.node(160, 6, area=nan)
    b.pipe(south_root, v_head, PE_63, segment="S3", kind="valve", pid="V-S3", area=nan, name="南区支线总阀")
    seg_nodes: dict[str, list[str]] = {}
    last = v_head
    y = 6.0
    for seg in ("S3", "S4", "S5"):
        pts = [(160, y + 21), (160, y + 42)]
        nodes = b.chain([(160, y)] + pts, PE_63, segment=seg, area=nan, start=last)
        seg_nodes[seg] = nodes
        y += 42
        if seg != "S5":
            nxt = b.node(160, y + 2, area=nan)
            b.pipe(nodes[-1], nxt, PE_63, segment=seg, kind="valve", pid=f"V-{seg}{'S4' if seg == 'S3' else 'S5'}",
                   area=nan, name=f"{seg}/{'S4' if seg == 'S3' else 'S5'} 分段阀")
            last = nxt
            y += 2
    for seg in ("S3", "S4", "S5"):
        for n in seg_nodes[seg][1:]:
            add_building(n, *xy[n], nan)
    sensors.append(("PT-04", seg_nodes["S4"][0], "南区 S4 前压力"))
    sensors.append(("PT-05", seg_nodes["S5"][-1], "南区 S5 后压力"))
    # The 南区 branch continues north (S9) and ties into the cross main: a loop, as campuses are fed.
    tail = b.chain([xy[seg_nodes["S5"][-1]], (160, 175), (160, 215)], PE_63, segment="S9", area=nan,
                   start=seg_nodes["S5"][-1])
    b.pipe(tail[-1], min(cross, key=lambda n: abs(xy[n][0] - 160)), PE_63, segment="S9")

    # Branches off the ring and the cross main into every area; each a chain of 3–5 pipes with laterals.
    branch_specs = [
        # (root xy, direction, count, diameter)
        ((80, H), (0, -1), 4, PE_90), ((240, H), (0, -1), 4, PE_63), ((400, H), (0, -1), 4, PE_63),
        ((560, H), (0, -1), 4, PE_90), ((W, 400), (-1, 0), 4, PE_63), ((W, 140), (-1, 0), 4, PE_63),
        ((480, 0), (0, 1), 4, PE_63), ((320, 0), (0, 1), 4, PE_63), ((0, 120), (1, 0), 3, PE_63),
        ((0, 400), (1, 0), 3, PE_63), ((320, 260), (0, 1), 2, PE_63), ((480, 260), (0, -1), 2, PE_63),
        ((200, 260), (0, 1), 2, PE_63), ((80, 260), (0, -1), 2, PE_63),
    ]
    for (rx, ry), (dx, dy), count, dia in branch_specs:
        root = ring_node_at(rx, ry) if (rx, ry) != (rx, 260) or rx in (0, W) else min(
            cross, key=lambda n, rx=rx: abs(xy[n][0] - rx))
        if ry == 260 and 0 < rx < W:
            root = min(cross, key=lambda n, rx=rx: abs(xy[n][0] - rx))
        x0, y0 = xy[root]
        area = area_of(x0 + dx * 60, y0 + dy * 60)
        seg = f"S{n_segment}"
        n_segment += 1
        head = b.node(x0 + dx * 2, y0 + dy * 2, area=area)
        b.pipe(root, head, dia, segment=seg, kind="valve", pid=f"V-{seg}", area=area, name=f"{AREAS[area]}{seg} 支线阀")
        step = rng.uniform(32, 44)
        pts = [(x0 + dx * (2 + step * (i + 1)), y0 + dy * (2 + step * (i + 1))) for i in range(count)]
        nodes = b.chain([(x0 + dx * 2, y0 + dy * 2)] + pts, dia, segment=seg, area=area, start=head)
        for n in nodes[1:]:
            add_building(n, *xy[n], area)
        if count >= 4:
            sensors.append((f"cand-{len(sensors)}", nodes[-1], f"{AREAS[area]}{seg} 末端压力"))

    # Pressure transmitters: station outlet, ring far corner, plus the branch ends chosen above.
    chosen = [("PT-01", inlet, "调压站出口压力"), ("PT-02", ring_node_at(W, H), "东北环网压力"),
              ("PT-03", ring_node_at(W, 0), "东南环网压力")]
    chosen += [s for s in sensors if s[0] in ("PT-04", "PT-05")]
    others = [s for s in sensors if s[0] not in ("PT-04", "PT-05")]
    for i, (_sid, node, name) in enumerate([others[i] for i in (0, 2, 4, 6, 1, 5, 7) if i < len(others)]):
        chosen.append((f"PT-{6 + i:02d}", node, name))
    for sid, node, name in chosen:
        x, y = xy[node]
        b.features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": b.lonlat(x + 3, y + 3)},
                           "properties": {"id": sid, "type": "sensor", "quantity": "pressure_kpa", "node": node,
                                          "name": name, "accuracy_kpa": 0.25}})
    b.features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": b.lonlat(-30, 266)},
                       "properties": {"id": "FT-IN", "type": "sensor", "quantity": "flow_m3h", "pipe": "P-IN",
                                      "name": "进站流量计"}})
    cams = [("CAM-01", "REG-01", None, "调压站摄像头"), ("CAM-02", None, "V-S4S5", "南区 S4/S5 阀井摄像头"),
            ("CAM-03", ring_node_at(80, H), None, "北区入口摄像头"), ("CAM-04", ring_node_at(W, 140), None, "东区摄像头")]
    for cid, node, pipe, name in cams:
        if node:
            x, y = xy[node]
        else:
            pipe_f = next(f for f in b.features if f["properties"].get("id") == pipe)
            x, y = xy[pipe_f["properties"]["from"]]
        props = {"id": cid, "type": "camera", "name": name}
        props.update({"node": node} if node else {"pipe": pipe})
        b.features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": b.lonlat(x - 6, y + 6)},
                           "properties": props})

    # Areas as polygons.
    boxes = {"A-BEI": (-20, 350, W + 20, H + 20), "A-NAN": (-20, -20, W + 20, 170), "A-XI": (-20, 170, 220, 350),
             "A-DONG": (420, 170, W + 20, 350), "A-ZHONG": (220, 170, 420, 350)}
    for aid, (x1, y1, x2, y2) in boxes.items():
        ring = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]
        b.features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
            [b.lonlat(x, y) for x, y in ring]]}, "properties": {"id": aid, "type": "area", "name": AREAS[aid]}})

    # Area of every node and pipe that does not have one yet.
    for f in b.features:
        p = f["properties"]
        if p["type"] in ("junction", "source") and "area" not in p:
            p["area"] = area_of(*xy[p["id"]])
        if p["type"] in ("pipe", "valve") and "area" not in p:
            (x1, y1), (x2, y2) = xy[p["from"]], xy[p["to"]]
            p["area"] = area_of((x1 + x2) / 2, (y1 + y2) / 2)
    return {
        "type": "FeatureCollection",
        "properties": {
            "site": {"name": "星海花园", "operator": "星海物业服务有限公司", "city": "广州市",
                     "timezone": "Asia/Shanghai", "pressure_class": "中压B"},
            "gas": {"normal_density_kg_m3": 0.7174, "name": "天然气"},
        },
        "features": b.features,
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "sites" / "xinghai" / "network.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = build()
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for f in doc["features"]:
        kinds[f["properties"]["type"]] = kinds.get(f["properties"]["type"], 0) + 1
    print(out, kinds)


if __name__ == "__main__":
    main()
