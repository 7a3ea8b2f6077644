import subprocess
import sys
import time

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from anran_desktop.services.tickets import TicketService
from anran_desktop.store import open_store
from anran_desktop.ui.main_window import MainWindow, Services


def test_window_opens_on_the_demo_site_with_every_pipe(window):
    assert "星海花园" in window.windowTitle()
    assert window.canvas.pipe_count() == 199 == len(window.view.pipes)
    # Pipes are batched: far fewer scene items than pipes + markers would need one-by-one.
    assert window.canvas.item_count() < 199 + 200
    assert window.sensor_list.count() == 13


def test_clicking_a_pipe_selects_it_and_shows_details(window, qtbot):
    pipe = next(p for p in window.view.pipes if p.segment == "S4" and p.kind == "pipe")
    (x1, y1), (x2, y2) = pipe.xy[0], pipe.xy[-1]
    window.canvas.focus_on([pipe.id], margin_m=20)
    view_pt = window.canvas.mapFromScene((x1 + x2) / 2, (y1 + y2) / 2)
    with qtbot.waitSignal(window.canvas.elementSelected, timeout=2000) as sig:
        qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=view_pt)
    assert sig.args == ["pipe", pipe.id]
    assert pipe.id in window.details.text() and "S4" in window.details.text()


def test_selecting_a_sensor_plots_its_stored_curve(window):
    window.select_sensors(["PT-04"])
    series = window.curves.series["PT-04"]
    now = time.time()
    t, v = window.svc.telemetry.series("PT-04", now - 24 * 3600, now)
    assert len(series.t) == len(t) > 300  # one hour of 10 s backfill
    assert np.allclose(series.v, v)
    x, y = series.item.getData()
    assert len(x) > 0


def _drag(board, ticket_id, to_column):
    src, item = board.item_for(ticket_id)
    src.setCurrentItem(item)
    item.setSelected(True)
    mime = src.mimeData([item]) or QMimeData()
    target = board.columns[to_column]
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # QDropEvent.source() is the widget the drag started from; pytest-qt cannot start a real OS drag
    # offscreen, so the event is delivered directly with its source set.
    event.source = lambda: src  # type: ignore[method-assign]
    target.dropEvent(event)


def test_dragging_a_ticket_changes_its_status_and_audits_it(window):
    svc = window.svc.tickets
    card = svc.create(title="南区 S4 压降异常", kind="leak", actor="dispatcher", area="A-NAN", assignee="crew01")
    window.refresh_board()
    assert card.id in window.board.ticket_ids("pending")
    _drag(window.board, card.id, "active")
    assert svc.get(card.id).status == "dispatched"
    assert card.id in window.board.ticket_ids("active")
    with window.svc.store.read() as c:
        audit = c.exec_driver_sql("SELECT actor, action FROM audit_log WHERE entity_id = ? ORDER BY id",
                                  (card.id,)).fetchall()
    assert audit[-1] == ("dispatcher", "ticket.move")
    assert "派单" in window.ticket_detail.timeline.topLevelItem(1).text(2)


def test_refused_drop_shows_why_and_changes_nothing(window, monkeypatch):
    svc = window.svc.tickets
    card = svc.create(title="已结工单", kind="leak", actor="dispatcher")
    TicketService(window.svc.store).move(card.id, "closed", "dispatcher")  # set-up without the app's guards
    window.refresh_board()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    _drag(window.board, card.id, "active")
    assert shown and "closed" in shown[0]
    assert svc.get(card.id).status == "closed"


def test_restart_shows_the_same_state(qtbot, demo_db):
    path, store, network = demo_db
    svc = TicketService(store)
    card = svc.create(title="异味快报", kind="odor", actor="dispatcher")
    svc.move(card.id, "dispatched", "dispatcher")
    store.close()
    again = open_store(path)
    w = MainWindow(Services.create(again, network))
    qtbot.addWidget(w)
    assert card.id in w.board.ticket_ids("active")
    assert w.canvas.pipe_count() == 199
    again.close()


def test_malformed_import_file_gives_a_clear_message(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [}', encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert window.import_network(str(bad)) is False
    assert shown and "not valid JSON" in shown[0] and "bad.geojson" in shown[0]
    assert window.canvas.pipe_count() == 199
    csv = tmp_path / "bad.csv"
    csv.write_text("time,point,quantity,value\nnot-a-time,PT-01,pressure_kpa,1\n", encoding="utf-8")
    assert window.import_csv(str(csv)) is False
    assert "line 2" in shown[-1]


def test_app_refuses_a_corrupt_database_and_leaves_it_alone(tmp_path):
    db = tmp_path / "corrupt.sqlite3"
    db.write_bytes(b"\x00garbage" * 512)
    before = db.read_bytes()
    res = subprocess.run([sys.executable, "-m", "anran_desktop", "app", "--db", str(db), "--screenshot",
                          str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert "not an SQLite database" in res.stderr and str(db) in res.stderr
    assert db.read_bytes() == before
    assert not (tmp_path / "x.png").exists()


def test_screenshot_mode_runs_the_live_feed_and_saves_a_picture(tmp_path):
    shot = tmp_path / "shot.png"
    res = subprocess.run([sys.executable, "-m", "anran_desktop", "app", "--db", str(tmp_path / "s.sqlite3"),
                          "--screenshot", str(shot), "--screenshot-delay", "8", "--window-size", "1366x768"],
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    assert shot.stat().st_size > 50_000
    from PySide6.QtGui import QImage

    assert QImage(str(shot)).size().toTuple() == (1366, 768)  # the dispatch-room screen asked for
    store = open_store(tmp_path / "s.sqlite3")
    t, _ = Services.create(store, None).telemetry.series("PT-01", time.time() - 60, time.time() + 5)
    assert len(t) >= 2  # live samples written during the run
    # The simulator's demand state was kept on exit, for the next start to continue from (after the history's).
    import json

    state = json.loads(store.setting("sim_state"))
    # The feed re-solves every 5 s; the history ended before the 8 s of feed.
    assert state["time"] >= t[-1] - 6 and state["factors"]


def test_english_catalogue_translates_the_window(qapp):
    from PySide6.QtCore import QTranslator

    from anran_desktop.resources import resource_path

    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    assert tr.translate("MainWindow", "工单中心") == "Tickets"
    assert tr.translate("TicketBoard", "在途") == "In progress"
    assert tr.translate("CurvesPanel", "压力") == "Pressure"
    assert tr.translate("EventFeed", "告警") == "Alarm"
    assert tr.translate("MainWindow", "语言(&L)") == "&Language"
    assert tr.translate("MainWindow", "运行中") == "running"
    assert tr.translate("TicketBoard", "{column}（{count}）") == "{column} ({count})"  # no full-width () in English


def test_drop_that_breaks_a_workflow_rule_is_refused_with_the_rule(window, monkeypatch):
    """The app's services carry the workflow guards: a drag to 已结 without the loop is refused."""
    card = window.svc.tickets.create(title="南区 S4 压降异常", kind="leak", actor="dispatcher", assignee="crew01")
    window.refresh_board()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    _drag(window.board, card.id, "closed")
    assert shown and "不能从「告警」直接到「结案」" in shown[0]
    assert window.svc.tickets.get(card.id).status == "alarm"


def test_a_window_size_that_is_not_width_x_height_is_refused_with_what_was_given(capsys):
    import pytest

    from anran_desktop.cli import build_parser

    for bad, said in (("1366", "'1366' is not WIDTHxHEIGHT"), ("10x10", "10x10 is outside")):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["app", "--window-size", bad])
        assert said in capsys.readouterr().err
    assert build_parser().parse_args(["app", "--window-size", "1366X768"]).window_size == (1366, 768)


def test_a_network_imported_while_running_is_what_the_live_parts_use(window, tmp_path):
    """A new pressure logger added to the site's GeoJSON and imported: the point list shows it at once, the
    leak watch and point health are rebuilt on the new network, and a check still running on the old one
    is dropped when it returns."""
    import json

    from anran_desktop.resources import demo_site_path
    from anran_desktop.ui import point_health_view

    data = json.loads(demo_site_path().read_text(encoding="utf-8"))
    logger = next(f for f in data["features"] if f["properties"].get("id") == "PT-02")
    data["features"].append({"type": "Feature", "geometry": logger["geometry"], "properties": {
        "id": "PT-90", "type": "sensor", "quantity": "pressure_kpa", "node": logger["properties"]["node"],
        "name": "新增压力记录仪"}})
    path = tmp_path / "site-v2.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    window.select_sensors(["PT-04"])
    old_watch = object()
    window.leak_watch, window.point_health, window._watch_busy = old_watch, object(), True
    generation = window.network_generation

    assert window.import_network(str(path)) is True
    ids = [window.sensor_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.sensor_list.count())]
    assert "PT-90" in ids and len(ids) == len(window.svc.network_model.sensors)
    assert [i.data(Qt.ItemDataRole.UserRole) for i in window.sensor_list.selectedItems()] == ["PT-04"]
    assert "PT-90" in window.svc.network_model.sensors and window.svc.loop.dispatch.network is window.svc.network_model
    assert window.leak_watch is None and window.point_health is None  # rebuilt on the new network next check
    assert "泄漏监测改用新管网" in window.statusBar().currentMessage()
    # the check that was running on the old network comes back: dropped, and the next check may start
    point_health_view._on_done(window, (None, None), generation)
    assert window._watch_busy is False and window.leak_watch is None
