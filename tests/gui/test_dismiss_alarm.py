"""解除告警（误报）… in the dispatcher's window: the cause is asked, the alarm is cleared without a ticket,
its cards say so (also after the window is reopened), and a crew member is not offered the button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.gui.test_loop_gui import _click_card, _raise_leak_alarm, _window_as
from widgets.event_feed import DISMISSED_ROLE


def _alarm_items(feed, alarm_id):
    return [feed.list.item(i) for i in range(feed.list.count())
            if feed.list.item(i).data(Qt.ItemDataRole.UserRole + 2) is not None
            and feed.list.item(i).data(Qt.ItemDataRole.UserRole + 2).alarm_id == alarm_id]


def test_the_dispatcher_dismisses_a_false_alarm_with_its_cause(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window_as(qtbot, store, network, "dispatcher")
    alarm = _raise_leak_alarm(w.svc)
    w.refresh_events()
    _click_card(qtbot, w.feed, alarm.id)
    assert w.feed.dismiss_btn.isVisible() and w.feed.dismiss_btn.isEnabled() and w.feed.create_btn.isEnabled()
    qtbot.mouseClick(w.feed.dismiss_btn, Qt.MouseButton.LeftButton)
    dlg = w._dismiss_dialog
    assert any("南区疑似泄漏" in lbl.text() for lbl in dlg.findChildren(QLabel))  # which alarm it is
    dlg.cause.setCurrentIndex(dlg.cause.findData("other"))
    assert dlg.save() is False and "其他" in dlg.error.text()
    assert w.svc.alarms.get(alarm.id).state == "active"  # nothing changed
    dlg.cause.setCurrentIndex(dlg.cause.findData("consumer"))
    dlg.note.setPlainText("锅炉房 7:00 开机，已电话确认")
    assert dlg.save() is True and not dlg.isVisible()
    stored = w.svc.alarms.get(alarm.id)
    assert stored.state == "cleared" and stored.detail["dismissal"]["by"] == "dispatcher"
    assert "已解除告警" in w.statusBar().currentMessage()
    items = _alarm_items(w.feed, alarm.id)
    raised = [i for i in items if i.data(Qt.ItemDataRole.UserRole + 2).kind == "leak_suspected"][0]
    note = [i for i in items if i.data(Qt.ItemDataRole.UserRole + 2).kind == "alarm_dismissed"][0]
    assert raised.data(DISMISSED_ROLE) and raised.text().endswith("已解除：误报")
    assert "大用户用气变化" in note.text() and "锅炉房 7:00 开机" in note.text()
    for item in (raised, note):  # neither card offers a ticket or a second dismissal
        w.feed.list.setCurrentItem(item)
        assert not w.feed.create_btn.isEnabled() and not w.feed.dismiss_btn.isEnabled()
    w.grab().save("/tmp/anran_dismissed.png")

    again = _window_as(qtbot, store, network, "dispatcher")  # reopened: the cards read as dismissed
    again.refresh_events()
    assert [i.data(DISMISSED_ROLE) for i in _alarm_items(again.feed, alarm.id)
            if i.data(Qt.ItemDataRole.UserRole + 2).kind == "leak_suspected"] == [True]


def test_a_ticketed_alarm_cannot_be_dismissed_and_a_crew_member_is_not_offered_it(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window_as(qtbot, store, network, "dispatcher")
    alarm = _raise_leak_alarm(w.svc)
    w.refresh_events()
    _click_card(qtbot, w.feed, alarm.id)
    qtbot.mouseClick(w.feed.create_btn, Qt.MouseButton.LeftButton)
    assert w.svc.alarms.get(alarm.id).ticket_id
    _click_card(qtbot, w.feed, alarm.id)
    assert not w.feed.dismiss_btn.isEnabled()
    crew = _window_as(qtbot, store, network, "crew01")
    crew.refresh_events()
    assert not crew.feed.dismiss_btn.isVisible()


def test_the_dialog_shows_a_refusal_from_the_service(qtbot, demo_db):
    from anran_desktop.ui.dismiss_dialog import DismissAlarmDialog

    _path, store, network = demo_db
    w = _window_as(qtbot, store, network, "dispatcher")
    alarm = _raise_leak_alarm(w.svc)
    w.svc.alarms.clear(alarm.id, "dispatcher")  # cleared meanwhile (another workstation)
    w.refresh_events()
    card = next(c for c in w.svc.events.recent(5) if c.alarm_id == alarm.id)
    dlg = DismissAlarmDialog(w, card)
    dlg.cause.setCurrentIndex(dlg.cause.findData("sensor"))
    assert dlg.save() is False and f"告警 {alarm.id} 已解除" in dlg.error.text()


def test_the_dialog_and_the_dismissed_cards_read_in_english(qtbot, demo_db):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from anran_desktop.resources import resource_path
    from anran_desktop.ui.dismiss_dialog import DismissAlarmDialog

    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    QCoreApplication.installTranslator(tr)
    try:
        _path, store, network = demo_db
        w = _window_as(qtbot, store, network, "dispatcher")
        alarm = _raise_leak_alarm(w.svc)
        w.refresh_events()
        card = next(c for c in w.svc.events.recent(5) if c.alarm_id == alarm.id)
        dlg = DismissAlarmDialog(w, card)
        qtbot.addWidget(dlg)
        texts = [dlg.windowTitle()] + [dlg.cause.itemText(i) for i in range(dlg.cause.count())]
        assert texts[0] == "Dismiss a false alarm" and "Other" in texts
        dlg.show()
        dlg.grab().save("/tmp/anran_dismiss_dialog_en.png")
        dlg.cause.setCurrentIndex(dlg.cause.findData("works"))
        assert dlg.save() is True
        shown = [w.feed.list.item(i).text() for i in range(w.feed.list.count())]
        assert any(f"Alarm {alarm.id} dismissed (false alarm: Works" in t for t in shown), shown
        assert any(t.endswith("Dismissed: false alarm") for t in shown), shown
        assert w.feed.dismiss_btn.text() == "Dismiss (false alarm)…"
    finally:
        QCoreApplication.removeTranslator(tr)
