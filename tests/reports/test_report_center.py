"""Report centre: generate on a worker thread → listed → the file is a valid PDF; open with the system viewer."""

import subprocess
import threading

import pytest

STEPS = ("dispatched", "onsite", "handling", "retest", "closed")


@pytest.fixture
def store(tmp_path):
    from anran_desktop.resources import demo_site_path
    from anran_desktop.services.events import AlarmService
    from anran_desktop.services.tickets import TicketService
    from anran_desktop.store import open_store
    from anran_desktop.store.network_import import import_network

    s = open_store(tmp_path / "anran.sqlite3")
    import_network(s, demo_site_path())
    tickets = TicketService(s)
    alarm = AlarmService(s).raise_alarm(kind="leak_suspected", level=2, title="南区疑似泄漏")
    card = tickets.create(title="南区疑似泄漏", kind="leak", actor="调度员 张敏", assignee="抢修员 01", alarm_id=alarm.id,
                          suspect_interval={"pipes": ["P077"], "length_m": 72.0, "confidence": 0.9})
    drill = tickets.create(title="南区 S4 段模拟泄漏", kind="drill", actor="调度员 张敏", assignee="抢修员 01",
                           is_drill=True, suspect_interval={"pipes": ["P077"], "length_m": 72.0, "confidence": 0.9})
    for st in STEPS:
        tickets.move(card.id, st, "调度员 张敏")
        tickets.move(drill.id, st, "调度员 张敏")
    tickets.create(title="北区巡检", kind="leak", actor="调度员 张敏")  # open: no close report offered
    yield s, card.id, drill.id
    s.close()


def _text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def panel(qtbot, store, tmp_path):
    from anran_desktop.ui.report_center_panel import ReportCenterPanel

    s, _tid, _did = store
    p = ReportCenterPanel(s, tmp_path / "reports")
    qtbot.addWidget(p.view)
    p.view.resize(1000, 320)
    p.view.show()
    threads = []
    original = p.center.generate

    def recording(*a, **k):
        threads.append(threading.current_thread())
        return original(*a, **k)

    p.center.generate = recording
    p.threads = threads
    return p


def _generate(qtbot, panel, kind):
    from PySide6.QtCore import Qt

    view = panel.view
    view.kind.setCurrentIndex(view.kind.findData(kind))
    before = view.table.rowCount()
    qtbot.mouseClick(view.generate_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and view.table.rowCount() == before + 1, timeout=60_000)


def test_generate_list_and_open(qtbot, panel, store, monkeypatch):
    import anran_desktop.ui.report_center_panel as mod

    _s, tid, _did = store
    view = panel.view
    view.kind.setCurrentIndex(view.kind.findData("incident"))
    assert [view.subject.itemData(i) for i in range(view.subject.count())] == [tid]  # closed, not drill, only
    assert view.status.text() == view._hint  # not "no ticket for this report" while one is offered
    _generate(qtbot, panel, "incident")
    assert panel.threads and all(t is not threading.main_thread() for t in panel.threads)  # never the GUI thread
    from pathlib import Path

    from widgets.report_center import PATH_ROLE

    path = view.table.item(0, 0).data(PATH_ROLE)
    raw = Path(path).read_bytes()
    assert raw.startswith(b"%PDF") and raw.rstrip().endswith(b"%%EOF")
    assert tid in _text(path) and "燃气事件结案报告" in _text(path)
    assert view.table.item(0, 0).text() == "结案报告" and view.table.item(0, 2).text() == tid

    view.status.setText(view._hint)
    view.set_entries([])
    view.set_entries([mod.ReportRow(path, "incident", "t", tid, "2026-12-01T00:00:00Z")])
    assert view.status.text() == view._open_hint
    _generate(qtbot, panel, "weekly")
    assert view.table.item(0, 0).text() == "周报"  # newest first
    weekly = view.table.item(0, 0).data(PATH_ROLE)
    assert "周报" in _text(weekly) and "居民参与" in _text(weekly)

    opened = []

    class FakeDesktop:
        @staticmethod
        def openUrl(url):  # noqa: N802
            opened.append(url.toLocalFile())
            return True

    monkeypatch.setattr(mod, "QDesktopServices", FakeDesktop)
    view.table.selectRow(1)
    assert view.open_btn.isEnabled()
    from PySide6.QtCore import Qt

    qtbot.mouseClick(view.open_btn, Qt.MouseButton.LeftButton)
    assert opened == [path]


def test_drill_report_from_a_drill_ticket(qtbot, panel, store):
    _s, _tid, did = store
    _generate(qtbot, panel, "drill")
    from widgets.report_center import PATH_ROLE

    text = _text(panel.view.table.item(0, 0).data(PATH_ROLE)).replace("\n", "")
    assert "应急演练报告" in text and "评分雷达图" in text and did in panel.view.table.item(0, 2).text()
    assert "准确度未评分" in text  # the simulated leak's true place was not recorded for this drill


def test_failure_is_shown_and_nothing_listed(qtbot, panel):
    panel.generate("incident", "T-nope", "")
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)
    assert "报告生成失败" in panel.view.status.text() and "T-nope" in panel.view.status.text()
    assert panel.view.table.rowCount() == 0 and panel.center.list() == []


def test_listing_skips_unfinished_and_removed_reports(store, tmp_path):
    from anran_desktop.services.report_center import ReportCenter

    s, tid, _did = store
    center = ReportCenter(s, tmp_path / "r")
    a = center.generate("incident", tid)
    b = center.generate("monthly")
    (tmp_path / "r" / "half-written.pdf").write_bytes(b"%PDF-1.4")  # no sidecar: not finished
    assert [e.kind for e in center.list()] == ["monthly", "incident"]
    a.path.unlink()
    assert [e.path for e in center.list()] == [b.path]
    with pytest.raises(ValueError, match="unknown report kind"):
        center.generate("yearly")
    with pytest.raises(ValueError, match="需要选择一个工单"):
        center.generate("drill")


def test_drill_report_scores_accuracy_from_the_recorded_drill_start(store, tmp_path):
    import time

    from anran_desktop.drills.record import record_drill_start
    from anran_desktop.reports.drill_loader import drill_from_store
    from anran_desktop.services.report_center import ReportCenter

    s, tid, did = store
    assert drill_from_store(s, did).scores["准确"] == 0
    record_drill_start(s, "南区 S4 段模拟泄漏", ["P077"], onset=time.time() - 600, leak_m3h=25.0, area="A-NAN")
    data = drill_from_store(s, did)
    assert data.scores["准确"] > 90 and not data.notes  # P077 is inside the drill ticket's 72 m interval
    assert [n for n, _a, _b in data.steps] == ["告警", "派单", "到场核查", "处置", "复测"]
    text = _text(ReportCenter(s, tmp_path / "r").generate("drill", did).path)
    assert "准确度未评分" not in text
    with pytest.raises(ValueError, match="不是演练工单"):
        drill_from_store(s, tid)
    with pytest.raises(ValueError, match="pipe is required"):
        record_drill_start(s, "x", [], onset=time.time())


def test_tickets_closed_while_hidden_are_offered_when_shown_again(qtbot, panel, store):
    from anran_desktop.services.tickets import TicketService

    s, tid, _did = store
    view = panel.view
    view.kind.setCurrentIndex(view.kind.findData("incident"))
    view.hide()
    tickets = TicketService(s)
    new = tickets.create(title="东区异味", kind="leak", actor="调度员 张敏", assignee="抢修员 01")
    for st in STEPS:
        tickets.move(new.id, st, "调度员 张敏")
    view.show()
    offered = {view.subject.itemData(i) for i in range(view.subject.count())}
    assert offered == {tid, new.id} and view.subject.currentData() == tid  # the selection is kept


def test_main_window_has_the_report_centre_tab(qtbot, tmp_path):
    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.store import open_store
    from anran_desktop.ui.main_window import MainWindow, Services
    from widgets.report_center import ReportCenterView

    s = open_store(tmp_path / "anran.sqlite3")
    w = MainWindow(Services.create(s, ensure_demo_site(s, history_hours=0.2)))
    qtbot.addWidget(w)
    tabs = w.bottom_tabs
    i = next(k for k in range(tabs.count()) if tabs.tabText(k) == "报告中心")
    assert isinstance(tabs.widget(i), ReportCenterView)
    assert w._report_center.center.folder == tmp_path / "reports"
    s.close()
