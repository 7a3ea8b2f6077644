"""The 区域通知 tab: a dispatcher sends a 抢修 notice to an area's residents through a real relay, sees reach and
acknowledgements come back, and withdraws it; crew may look but not send; an unconfigured relay is refused and
logged; bad input is refused with the reason and nothing is queued."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from anran_desktop.services.area_notice import AreaNoticeService, template
from anran_desktop.services.sync_service import SyncService
from anran_desktop.store.audit import verify_audit_chain
from anran_desktop.ui.main_window import MainWindow, Services
from tests.sync.conftest import SITE_TOKEN, ThreadRelay
from tests.sync.helpers import resident


@pytest.fixture
def relay(tmp_path):
    r = ThreadRelay(f"sqlite:///{tmp_path / 'relay.db'}")
    yield r
    r.stop()


def _window(qtbot, store, network, user):
    w = MainWindow(Services.create(store, network), user=user)
    qtbot.addWidget(w)
    w.show()
    w.bottom_tabs.setCurrentWidget(w._area_notice.view)
    return w


def _cells(view, row=0):
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


def _queued(store, kind="notification"):
    with store.read() as c:
        return c.exec_driver_sql("SELECT count(*) FROM outbox WHERE kind=?", (kind,)).scalar()


def test_dispatcher_notifies_an_area_sees_acknowledgements_and_withdraws(qtbot, demo_db, relay, tmp_path, monkeypatch):
    _path, store, network = demo_db
    store.set_setting("relay_url", relay.url)
    store.set_setting("site_token", SITE_TOKEN)
    sync = SyncService(store, relay.url, SITE_TOKEN, evidence_root=tmp_path / "ev")
    codes = {h: sync.issue_household_code(h, a) for h, a in [("H-S1", "南区"), ("H-S2", "南区"), ("H-N1", "北区")]}
    asyncio.run(sync.sync_once())
    heads = {h: resident(relay.url, codes[h], f"user-{h}") for h in codes}
    asyncio.run(sync.sync_once())  # registrations pulled

    w = _window(qtbot, store, network, "dispatcher")
    panel, view = w._area_notice, w._area_notice.view
    assert view.button.isEnabled() and view.title.text() == "燃气抢修通知"  # the first template, ready to edit
    panel.prepare(["南区"], "repair")
    assert view.checked_areas() == ["南区"] and view.body.toPlainText().startswith("南区燃气管道正在抢修")
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.last is not None and view.table.rowCount() == 1, timeout=10_000)
    assert panel.last.ok and "南区" in view.status.text()
    assert _cells(view)[0] == "南区" and _cells(view)[3:] == ["待发送", "2", "0"]
    with store.read() as c:
        audit = [json.loads(d) for (d,) in c.exec_driver_sql(
            "SELECT detail FROM audit_log WHERE action='channel.send'").all()]
    assert audit[-1]["kind"] == "area_notice" and audit[-1]["recipients"] == ["area:南区"]

    asyncio.run(sync.sync_once())  # pushed to the relay
    seen = {h: [i for i in httpx.get(relay.url + "/c/notifications", headers=hd).json()["items"]
                if i["kind"] == "notification"] for h, hd in heads.items()}
    assert [len(seen[h]) for h in ("H-S1", "H-S2", "H-N1")] == [1, 1, 0]  # only 南区
    assert seen["H-S1"][0]["title"] == "燃气抢修通知" and "请勿使用明火" in seen["H-S1"][0]["body"]
    r = httpx.post(relay.url + "/c/alerts/ack", headers=heads["H-S2"], json={"notification_id": seen["H-S2"][0]["id"]})
    assert r.status_code == 201
    asyncio.run(sync.sync_once())  # the acknowledgement is pulled back
    panel.refresh()
    qtbot.waitUntil(lambda: _cells(view)[-1] == "1", timeout=10_000)
    assert _cells(view)[3:] == ["已送达中继", "2", "1"] and view.totals.text() == "合计：通知 1 条 · 覆盖 2 户 · 已回执 1 户"
    w.grab().save(str(tmp_path / "area_notice.png"))

    # withdrawn: the residents no longer see it after the next sync; audited
    view.table.selectRow(0)
    assert view.withdraw_btn.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.withdraw_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _cells(view)[3] == "已撤回", timeout=10_000)
    assert not view.withdraw_btn.isEnabled() and view.totals.text().startswith("合计：通知 0 条")
    asyncio.run(sync.sync_once())
    left = [i for i in httpx.get(relay.url + "/c/notifications", headers=heads["H-S1"]).json()["items"]
            if i["kind"] == "notification"]
    assert left == []
    with store.read() as c:
        assert c.exec_driver_sql("SELECT actor FROM audit_log WHERE action='notice.withdraw'").all() == [("dispatcher",)]
    assert verify_audit_chain(store)[0]
    with pytest.raises(ValueError, match="已撤回"):
        panel.service.withdraw(panel.service.notices()[0].event_id)


def test_crew_sees_the_notices_but_may_not_send_or_withdraw(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window(qtbot, store, network, "crew01")
    panel = w._area_notice
    assert not panel.view.button.isEnabled() and "无权发送区域通知" in panel.view.status.text()
    with pytest.raises(PermissionError, match="无权"):
        panel.service.send(["南区"], *template("repair", "南区"))
    with pytest.raises(PermissionError, match="无权"):
        panel.service.withdraw("anything")
    assert _queued(store) == 0


def test_without_a_relay_the_notice_is_refused_visibly_and_logged(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window(qtbot, store, network, "dispatcher")
    view = w._area_notice.view
    assert "未配置中继" in view.status.text()
    view.check_areas(["北区"])
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._area_notice.last is not None, timeout=10_000)
    assert not w._area_notice.last.ok and "通知未发出" in view.status.text()
    assert _queued(store) == 0 and view.table.rowCount() == 0


@pytest.mark.parametrize(("areas", "title", "body", "message"), [
    ([], "停气", "明天停气", "请至少选择一个区域"),
    (["南区"], " ", "明天停气", "标题不能为空"),
    (["南区"], "停气", "", "内容不能为空"),
    (["南区"], "停" * 61, "明天停气", "标题过长：61 字"),
    (["南区"], "停气", "气" * 501, "内容过长：501 字"),
])
def test_bad_notices_are_refused_with_the_reason_and_nothing_is_queued(demo_db, areas, title, body, message):
    _path, store, _network = demo_db
    svc = AreaNoticeService(store, "dispatcher", "dispatcher", relay_configured=True)
    with pytest.raises(ValueError, match=message):
        svc.send(areas, title, body)
    assert _queued(store) == 0


def test_a_tickets_notice_button_readies_a_notice_for_its_areas(qtbot, demo_db, tmp_path):
    from tests.gui.test_loop_gui import _click_card, _raise_leak_alarm

    _path, store, network = demo_db
    w = _window(qtbot, store, network, "dispatcher")
    alarm = _raise_leak_alarm(w.svc)  # on S4, in 南区
    w.refresh_events()
    _click_card(qtbot, w.feed, alarm.id)
    qtbot.mouseClick(w.feed.create_btn, Qt.MouseButton.LeftButton)
    tid = w.svc.alarms.get(alarm.id).ticket_id
    w.bottom_tabs.setCurrentIndex(1)
    w.show_ticket(tid)
    assert w.ticket_detail.notice_btn.isEnabled()
    assert set(w.ticket_detail.step_buttons) == {"dispatched"}  # the loop's own buttons stay
    qtbot.wait(50)  # the step row is laid out on the next turn of the event loop
    w.grab().save(str(tmp_path / "ticket_with_notice_button.png"))
    qtbot.mouseClick(w.ticket_detail.notice_btn, Qt.MouseButton.LeftButton)
    view = w._area_notice.view
    assert w.bottom_tabs.currentWidget() is view
    assert view.checked_areas() == ["南区"] and view.title.text() == "燃气抢修通知"
    assert view.body.toPlainText().startswith("南区燃气管道正在抢修")
    crew = _window(qtbot, store, network, "crew01")
    crew.show_ticket(tid)
    assert not crew.ticket_detail.notice_btn.isEnabled()
