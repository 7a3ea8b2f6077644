"""Point health on the canvas: marker colour and ✕ by level, the reasons in the tooltip and details, the
map key; in the window, a flat-lined gauge turns red with a maintenance card and no leak alarm."""

from __future__ import annotations

from PySide6.QtGui import QColor

from anran_desktop.services.live import LivePipeline
from engine.simulate import parse_time, simulate
from widgets.canvas import HEALTH_COLOURS, TopologyCanvas

T0 = parse_time("2026-11-24T01:00:00Z")


def test_canvas_colours_sensors_by_health(qtbot, demo_db, tmp_path):
    from anran_desktop.services.network import NetworkService

    _p, store, _net = demo_db
    canvas = TopologyCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.set_network(NetworkService(store).view())
    canvas.set_point_health({"PT-04": ("bad", "点位健康度 45 · 故障\n读数僵直：600 s 内恒为 149.2"),
                             "PT-05": ("degraded", "点位健康度 70 · 可疑\n尖峰：4 次突跳"), "PT-06": ("good", "")})
    m = canvas._markers
    assert m["PT-04"].brush().color() == QColor(HEALTH_COLOURS["bad"])
    assert m["PT-05"].brush().color() == QColor(HEALTH_COLOURS["degraded"])
    assert m["PT-06"].brush().color() == QColor(HEALTH_COLOURS["good"])
    assert "读数僵直" in m["PT-04"].toolTip() and "PT-04" in m["PT-04"].toolTip()
    assert "读数僵直" in canvas.describe("sensor", "PT-04")
    assert [c for c in m["PT-04"].childItems()] and not m["PT-05"].childItems()  # the ✕ on the bad one only
    canvas.show()
    qtbot.waitExposed(canvas)
    assert canvas.grab().save(str(tmp_path / "health.png"))
    # Health cleared: plain again, no ✕ left in the scene.
    canvas.set_point_health({})
    assert m["PT-04"].brush().color() == QColor(HEALTH_COLOURS["good"]) and not m["PT-04"].childItems()
    assert "读数僵直" not in m["PT-04"].toolTip()


class _Idle:
    drill = False

    def __init__(self) -> None:
        from anran_desktop.ingest.base import SourceStatus

        self.status = SourceStatus()

    def describe(self, term=str) -> str:  # noqa: ANN001
        return "test"


def test_window_shows_a_flat_gauge_as_bad_with_a_maintenance_card(window, qtbot):
    net = window.svc.network_model
    r = simulate(net, 60, seed=11, start=T0, interval_s=20)
    pipeline = LivePipeline(window.svc.telemetry, _Idle())
    j = r.points.index("PT-04")
    for i, t in enumerate(r.times):
        for k, p in enumerate(r.points):
            v = r.values[i, k] if not (k == j and t >= T0 + 1800) else 149.25
            pipeline.ring(p).push(float(t), float(v))
    window.attach_pipeline(pipeline)
    assert "测点健康" in window.canvas.overlay_text()
    window.check_leaks(now=float(r.times[-1]) + 1)
    qtbot.waitUntil(lambda: not window._watch_busy, timeout=20_000)
    level, text = window.canvas.point_health("PT-04")
    assert level == "bad" and "读数僵直" in text and "故障" in text
    assert window.canvas.point_health("PT-05")[0] == "good"
    assert window.svc.alarms.active() == []
    cards = [window.feed.list.item(i).text() for i in range(window.feed.list.count())]
    assert any("测点故障待检修" in c and "PT-04" in c for c in cards), cards


def test_source_label_lists_the_site_sources_and_names_the_one_reconnecting(window):
    import json

    from anran_desktop.ingest.base import SourceState
    from anran_desktop.ingest.config import parse_config
    from anran_desktop.services.site_ingest import source_for

    cfg = parse_config(json.dumps({"site": "星海花园", "sources": [
        {"kind": "mqtt", "name": "iot", "port": 1883, "topics": [{"topic": "a/+", "point": "{1}"}]},
        {"kind": "modbus", "name": "rtu", "port": 1502, "registers": [{"point": "FT-IN", "address": 0}]}]}))
    site = source_for(cfg)
    site.members[0].status.state = SourceState.RUNNING
    site.members[1].status.state = SourceState.RECONNECTING
    site.members[1].status.message = "ConnectionRefusedError; retry in 2.0 s"
    window.attach_pipeline(LivePipeline(window.svc.telemetry, site))
    window._tick()
    text = window.source_label.text()
    assert "MQTT iot" in text and "Modbus rtu" in text and "重连中" in text
    assert "#c62828" in window.source_label.styleSheet()
    assert window.source_label.toolTip() == "rtu: ConnectionRefusedError; retry in 2.0 s"


def test_a_check_that_returns_after_its_window_is_deleted_touches_nothing(qtbot, demo_db):
    """A health-and-leak check still running on a worker when its window is closed and deleted (quitting)
    returns to a window that is gone: nothing is drawn, nothing raised into the event loop."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from anran_desktop.services.leak_watch import WatchOutcome
    from anran_desktop.ui import point_health_view
    from anran_desktop.ui.main_window import MainWindow, Services

    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network))
    generation = w.network_generation
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    point_health_view._on_done(w, ({}, WatchOutcome(None, None, "not enough data yet")), generation)
