"""Language menu and File → open database."""

from __future__ import annotations

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QMessageBox

from anran_desktop.ui.app import saved_language


def test_language_menu_remembers_the_choice(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    actions = {a.data(): a for a in window.language_actions.actions()}
    assert set(actions) == {"zh_CN", "en"}
    assert actions["zh_CN"].isChecked()
    actions["en"].trigger()
    assert actions["en"].isChecked() and not actions["zh_CN"].isChecked()
    assert saved_language() == "en"
    actions["zh_CN"].trigger()
    assert saved_language() == "zh_CN"


def test_opening_a_corrupt_database_says_why_and_leaves_it_alone(window, tmp_path, monkeypatch):
    bad = tmp_path / "broken.sqlite3"
    payload = b"this is not a database" * 100
    bad.write_bytes(payload)
    shown: list[str] = []
    started: list[tuple] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QProcess, "startDetached", lambda *a, **k: started.append(a) or True)
    assert window.open_database(str(bad)) is False
    assert shown and "broken.sqlite3" in shown[0] and "not an SQLite database" in shown[0]
    assert started == []
    assert bad.read_bytes() == payload
    assert window.isVisible()


def test_opening_a_good_database_reopens_the_app_on_it(window, demo_db, tmp_path, monkeypatch):
    from anran_desktop.store import open_store

    path, _store, _network = demo_db
    other = tmp_path / "other-site.sqlite3"
    open_store(other).close()
    started: list[tuple] = []
    monkeypatch.setattr(QProcess, "startDetached", lambda *a, **k: started.append(a) or True)
    # the database this window has open: nothing to reopen (a new window would find it held and give up)
    assert window.open_database(str(path)) is True
    assert started == [] and window.isVisible() and "已在本窗口中打开" in window.statusBar().currentMessage()
    assert window.open_database(str(other)) is True
    assert started and started[0][1][-2:] == ["--db", str(other.resolve())]
    assert not window.isVisible()


def test_empty_event_feed_shows_a_hint_until_the_first_card(qtbot):
    from types import SimpleNamespace

    from widgets.event_feed import EventFeed

    feed = EventFeed()
    qtbot.addWidget(feed)
    assert feed.count() == 0 and feed.list.count() == 1
    assert "暂无告警" in feed.list.item(0).text()
    emitted: list = []
    feed.eventActivated.connect(emitted.append)
    feed.list.itemClicked.emit(feed.list.item(0))
    assert emitted == []
    card = SimpleNamespace(id=7, severity="alarm", is_drill=True, title="南区 S4 疑似泄漏", time="2026-11-24T10:00:00Z",
                           location={"interval": {"length_m": 42.0, "confidence": 0.9}})
    feed.add_cards([card])
    assert feed.count() == 1 and feed.list.count() == 1
    text = feed.list.item(0).text()
    assert text.startswith("[告警] 【演练】南区 S4 疑似泄漏") and "42 m" in text and "0.90" in text
    feed.list.itemClicked.emit(feed.list.item(0))
    assert emitted == [card]
    titled = SimpleNamespace(id=8, severity="critical", is_drill=False, title="疑似泄漏（区间 72 m，置信度 0.91）",
                             time="2026-11-24T10:05:00Z", location={"interval": {"length_m": 72.0, "confidence": 0.915}})
    feed.add_cards([titled])
    assert feed.list.item(0).text().count("72 m") == 1


def test_map_key_sits_inside_the_canvas(window):
    key = window.canvas.overlay_text()
    for word in ("阀门", "压力测点", "摄像头", "调压站", "告警", "疑似区间"):
        assert word in key
    label = window.canvas._key_label
    assert label.isVisible()
    assert label.geometry().bottom() < window.canvas.viewport().height()
    assert label.geometry().right() < window.canvas.viewport().width()


def test_ticket_texts_follow_the_language(qapp):
    from PySide6.QtCore import QTranslator

    from anran_desktop.resources import resource_path
    from widgets.ticket_text import kind_text, status_text

    assert status_text("onsite") == "到场核查" and kind_text("sensor_fault") == "传感器故障"
    assert status_text(None) == "—" and status_text("unknown") == "unknown"
    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    qapp.installTranslator(tr)
    try:
        assert status_text("onsite") == "On site" and kind_text("odor") == "Odor report"
    finally:
        qapp.removeTranslator(tr)
    assert status_text("onsite") == "到场核查"


def test_reopening_starts_the_app_the_way_this_installation_runs(monkeypatch, tmp_path):
    """A checkout runs ``python -m anran_desktop app``; an installed bundle has no ``-m``: its windowed
    ``anran-desktop`` is ``anran app`` already and its console ``anran`` takes the ``app`` command."""
    import sys

    from anran_desktop.cli import build_parser
    from anran_desktop.ui.main_window import relaunch_command

    db = str(tmp_path / "site.sqlite3")
    program, args = relaunch_command(["--db", db])
    assert program == sys.executable and args == ["-m", "anran_desktop", "app", "--db", db]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    for exe, expected in (("/opt/AnRan/anran-desktop.exe", ["--db", db]), ("/opt/AnRan/anran-desktop", ["--db", db]),
                          ("/opt/anran/anran", ["app", "--db", db])):
        monkeypatch.setattr(sys, "executable", exe)
        program, args = relaunch_command(["--db", db])
        assert program == exe and args == expected
        # what the bundle's entry point hands the command line (anran-desktop prepends "app")
        argv = ["app", *args] if "anran-desktop" in exe else args
        parsed = build_parser().parse_args(argv)
        assert parsed.func.__name__ == "run_app" and parsed.db == db
