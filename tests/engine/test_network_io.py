import copy
import json

import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.geo import project
from engine.network import NetworkError


@pytest.fixture(scope="module")
def doc():
    return json.loads(demo_site_path().read_text(encoding="utf-8"))


def test_demo_site_meets_the_brief():
    net = engine.load_network(demo_site_path())
    assert net.site["name"] == "星海花园" and net.site["city"] == "广州市"
    assert len(net.pipe_ids()) >= 150
    assert len(net.sources) == 1
    assert 9 <= sum(s.quantity == "pressure_kpa" for s in net.sensors.values()) <= 14
    assert any(s.quantity == "flow_m3h" for s in net.sensors.values())
    assert {"南区", "北区", "东区", "西区"} <= {a.name for a in net.areas.values()}
    assert len(net.cameras) >= 3 and len(net.buildings) >= 20
    # S3, S4, S5 are consecutive segments of the 南区 branch, with valves between them.
    for seg in ("S3", "S4", "S5"):
        pipes = [net.pipes[p] for p in net.segment_pipes(seg) if net.pipes[p].kind == "pipe"]
        assert pipes and all(p.area == "A-NAN" for p in pipes)
    assert net.pipes["V-S3S4"].kind == "valve" and net.pipes["V-S4S5"].kind == "valve"
    diameters = {p.diameter_mm for p in net.pipes.values()}
    assert diameters <= {159.3, 106.3, 80.9, 73.6, 51.4, 26.2}


def test_round_trip_keeps_unknown_properties(tmp_path, doc):
    doc = copy.deepcopy(doc)
    doc["features"][0]["properties"]["owner_code"] = "XH-001"
    net = engine.network_from_geojson(doc)
    out = tmp_path / "n.geojson"
    engine.save_network(net, out)
    again = engine.load_network(out)
    first = doc["features"][0]["properties"]["id"]
    assert again.nodes[first].properties["owner_code"] == "XH-001"
    assert set(again.pipes) == set(net.pipes)
    assert again.pipes["P-IN"].length_m == pytest.approx(net.pipes["P-IN"].length_m, abs=1e-3)


def test_length_defaults_to_geodesic_length(doc):
    doc = copy.deepcopy(doc)
    f = next(f for f in doc["features"] if f["properties"].get("id") == "P-IN")
    declared = f["properties"].pop("length_m")
    net = engine.network_from_geojson(doc)
    assert net.pipes["P-IN"].length_m == pytest.approx(declared, rel=0.02)


@pytest.mark.parametrize(
    ("mutate", "feature_id", "words"),
    [
        (lambda d: d["features"][5]["properties"].update(id=d["features"][4]["properties"]["id"]), None, "duplicate"),
        (lambda d: _pipe(d, "P-IN").update({"to": "NOPE"}), "P-IN", "NOPE"),
        (lambda d: _pipe(d, "P-IN").update({"diameter_mm": 0}), "P-IN", "diameter"),
        (lambda d: _pipe(d, "P-IN").update({"diameter_mm": "wide"}), "P-IN", "number"),
        (lambda d: d["features"].__setitem__(0, {**d["features"][0], "properties": {
            **d["features"][0]["properties"], "type": "junction"}}), None, "no source"),
    ],
)
def test_errors_name_the_feature(doc, mutate, feature_id, words):
    doc = copy.deepcopy(doc)
    mutate(doc)
    with pytest.raises(NetworkError) as err:
        engine.network_from_geojson(doc)
    assert words in str(err.value)
    if feature_id:
        assert err.value.feature_id == feature_id


def _pipe(doc, pid):
    return next(f for f in doc["features"] if f["properties"].get("id") == pid)["properties"]


def test_disconnected_part_is_reported(doc):
    doc = copy.deepcopy(doc)
    doc["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [113.0, 23.0]},
                            "properties": {"id": "ISLAND", "type": "junction"}})
    with pytest.raises(NetworkError, match="disconnected"):
        engine.network_from_geojson(doc)


def test_load_network_reports_bad_json(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(NetworkError, match="line 1"):
        engine.load_network(bad)


def test_projection_is_metric():
    net = engine.load_network(demo_site_path())
    xy = project(net)
    p = net.pipes["P-IN"]
    (x1, y1), (x2, y2) = xy[p.id][0], xy[p.id][-1]
    assert ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 == pytest.approx(p.length_m, rel=0.01)
