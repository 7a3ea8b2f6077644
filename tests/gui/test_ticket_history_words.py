"""The ticket panel words its history for the reader: evidence by its kind's name, a checklist tick by the
item's SOP text, SLA times in minutes and hours — never the record's ids (``gauge_reading``, ``call_crew``)."""

from __future__ import annotations

import pytest

from anran_desktop.ui.main_window import MainWindow, Services
from widgets.evidence_text import history_note
from widgets.timefmt import duration_text


@pytest.fixture
def panel(qtbot, demo_db):  # noqa: ANN001
    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(w)
    svc = w.svc
    card = svc.tickets.create(title="S4 leak", kind="leak", actor="dispatcher", area="A-NAN", assignee="crew01")
    svc.tickets.move(card.id, "dispatched", "dispatcher")
    svc.loop.evidence.set_item(card.id, "call_crew", True, "dispatcher")
    svc.loop.evidence.attach(card.id, "gauge_reading", "dispatcher", value=0.1499, unit="MPa", node_id="N076",
                             note="上游压力表")
    w.show_ticket(card.id)
    return w


def _notes(w) -> list[str]:  # noqa: ANN001
    tl = w.ticket_detail.timeline
    return [tl.topLevelItem(i).text(3) for i in range(tl.topLevelItemCount())]


def test_history_names_evidence_and_checklist_items_in_chinese(panel) -> None:  # noqa: ANN001
    notes = _notes(panel)
    assert "压力表读数 0.1499 MPa @N076 · 上游压力表" in notes
    assert any(n.endswith(" ✓") and "出发" in n for n in notes), notes  # 电话确认抢修员已出发 ✓
    assert not any("gauge_reading" in n or "call_crew" in n for n in notes), notes
    evidence = [panel.ticket_detail.evidence_list.item(i).text() for i in range(panel.ticket_detail.evidence_list.count())]
    assert any("压力表读数 0.1499 MPa (149.9 kPa) @N076" in e for e in evidence), evidence  # kPa, as the canvas
    assert not any("gauge_reading" in e for e in evidence)
    assert "s/120 s" not in panel.ticket_detail.header.text() and "/ 2 min" in panel.ticket_detail.header.text()


def test_history_words_in_english(panel, english) -> None:  # noqa: ANN001
    panel.show_ticket(panel.ticket_detail.ticket_id)
    notes = _notes(panel)
    assert "gauge reading 0.1499 MPa @N076 · 上游压力表" in notes  # the crew's own note stays as written
    assert "Confirm by phone that the repair crew has set off ✓" in notes


def test_notes_of_other_shapes_show_as_written() -> None:
    assert history_note("evidence", "thermal_scan 3 @N1") == "thermal_scan 3 @N1"  # a kind this version lacks
    assert history_note("checklist", "site_item ✓", {"call_crew": "x"}) == "site_item ✓"
    assert history_note("move", "派给 抢修员 01") == "派给 抢修员 01"
    assert history_note("evidence", "note · 门卫说闻到气味") == "备注 · 门卫说闻到气味"


@pytest.mark.parametrize(("seconds", "text"), [(0, "0 s"), (59.9, "59 s"), (120, "2 min"), (3599, "59 min"),
                                               (3600, "1 h"), (14400, "4 h"), (5 * 3600 + 65, "5 h 01 min"),
                                               (-3, "0 s")])
def test_durations_read_as_a_dispatcher_says_them(seconds, text) -> None:  # noqa: ANN001
    assert duration_text(seconds) == text


def test_a_ticket_the_crew_did_not_get_says_so_in_its_header(panel) -> None:  # noqa: ANN001
    from anran_desktop.services.crew_publish import CrewPublisher

    tid = panel.ticket_detail.ticket_id
    assert "未能发给抢修员" not in panel.ticket_detail.header.text()
    pub = CrewPublisher(panel.svc.store, panel.svc.tickets, panel.svc.loop.evidence)
    pub._refuse(tid, 1, "d", "2026-12-03T00:00:00Z", "kind: String should have at most 40 characters <x>")
    panel.show_ticket(tid)
    header = panel.ticket_detail.header.text()
    assert "未能发给抢修员：kind: String should have at most 40 characters &lt;x&gt;" in header
