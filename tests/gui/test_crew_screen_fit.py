"""Crew mode fits a rugged laptop's 1024 × 768 screen in either language (the meter-reading page, whose
one row of controls once made the window 1,290 px wide in English, included), and a checklist item's text
wraps beside its tick box and ticks it when tapped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from anran_desktop.ui.loop_menus import open_crew_mode
from anran_desktop.ui.main_window import MainWindow, Services


@pytest.fixture(params=["zh_CN", "en"])
def language(request):  # noqa: ANN001
    if request.param == "en":
        request.getfixturevalue("english")
    return request.param


def _crew_window(qtbot, demo_db):  # noqa: ANN001, ANN202
    _path, store, network = demo_db
    disp = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(disp)
    card = disp.svc.tickets.create(title="S4 leak", kind="leak", actor="dispatcher", area="A-NAN", assignee="crew01")
    disp.svc.tickets.move(card.id, "dispatched", "dispatcher")
    crew = MainWindow(Services.create(store, network), user="crew01")
    qtbot.addWidget(crew)
    cw = open_crew_mode(crew)
    qtbot.addWidget(cw)
    return cw, card


def test_crew_mode_fits_1024_by_768(qtbot, demo_db, language) -> None:  # noqa: ANN001
    cw, _card = _crew_window(qtbot, demo_db)
    for page in range(cw.view.stack.count()):  # the ticket page and the meter-reading page
        cw.view.stack.setCurrentIndex(page)
        hint = cw.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 728, (language, page, hint.toTuple())


def test_a_checklist_item_wraps_and_a_tap_on_its_text_ticks_it(qtbot, demo_db, language) -> None:  # noqa: ANN001
    cw, card = _crew_window(qtbot, demo_db)
    cw.showNormal()
    cw.resize(1024, 768)
    (item_id,) = list(cw.view.checks)  # 派单: the one item of this stage
    label, box = cw.view.check_labels[item_id], cw.view.checks[item_id]
    assert label.wordWrap() and label.text() and not box.isChecked()
    with qtbot.waitSignal(cw.view.checklistToggled, timeout=2000) as sig:
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(10, label.height() // 2))
    assert sig.args == [card.id, item_id, True]
    assert cw.svc.loop.evidence.checklist(card.id)[item_id] is True


def test_a_long_ticket_title_keeps_its_status_line_in_the_crew_list(qtbot, demo_db, language) -> None:  # noqa: ANN001
    from tests.gui.test_small_screen_fit import _text_fits

    _path, store, network = demo_db
    disp = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(disp)
    long = disp.svc.tickets.create(title="南区 S4 压降异常，疑似泄漏 DN100 管段（区间 109 m，置信度 0.98）", kind="leak",
                                   actor="dispatcher", area="A-NAN", assignee="crew01")
    disp.svc.tickets.move(long.id, "dispatched", "dispatcher")
    crew = MainWindow(Services.create(store, network), user="crew01")
    qtbot.addWidget(crew)
    cw = open_crew_mode(crew)
    qtbot.addWidget(cw)
    cw.showNormal()
    cw.resize(1024, 768)
    lst = cw.view.tickets
    qtbot.waitUntil(lambda: lst.viewport().width() > 100)
    item = next(lst.item(i) for i in range(lst.count()) if "DN100" in lst.item(i).text())
    assert long.id in item.text().splitlines()[-1]  # the last line (status · id) is part of the item …
    assert _text_fits(lst, item)  # … and the item is tall enough to show it


def test_the_crew_sees_when_the_interval_was_moved(qtbot, demo_db, language) -> None:  # noqa: ANN001
    from widgets.timefmt import local_time

    cw, card = _crew_window(qtbot, demo_db)
    tickets = cw.svc.tickets
    tickets.follow_engine(card.id, {"pipes": ["P001"], "length_m": 31.0, "confidence": 0.91})
    when = local_time(tickets.detail(card.id).history[-1].time, "%H:%M")
    text = cw.crew_ticket(card.id).interval_text
    assert "31 m" in text and "0.91" in text
    assert text.endswith(f"{when} 更新" if language == "zh_CN" else f"updated {when}"), text
