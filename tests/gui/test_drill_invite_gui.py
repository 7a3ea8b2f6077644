"""The 演练签到 tab: a dispatcher invites an area's residents through a real relay and sees invited and checked-in
counts as check-ins are pulled back; crew may look but not invite; an unconfigured relay is refused and logged."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from PySide6.QtCore import Qt

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
    w.bottom_tabs.setCurrentWidget(w._drill_invite.view)
    return w


def _cells(view, row=0):
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


def _channel_audit(store):
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT actor, detail FROM audit_log WHERE action='channel.send'").all()
    return [(a, json.loads(d)) for a, d in rows]


def test_dispatcher_invites_an_area_and_sees_check_ins_come_back(qtbot, demo_db, relay, tmp_path):
    _path, store, network = demo_db
    store.set_setting("relay_url", relay.url)
    store.set_setting("site_token", SITE_TOKEN)
    sync = SyncService(store, relay.url, SITE_TOKEN, evidence_root=tmp_path / "ev")
    codes = {h: sync.issue_household_code(h, a) for h, a in
             [("H-S1", "南区"), ("H-S2", "南区"), ("H-S3", "南区"), ("H-N1", "北区")]}
    asyncio.run(sync.sync_once())
    heads = {h: resident(relay.url, codes[h], f"user-{h}") for h in ("H-S1", "H-S2", "H-N1")}  # H-S3 never registers
    asyncio.run(sync.sync_once())  # registrations pulled

    w = _window(qtbot, store, network, "dispatcher")
    view = w._drill_invite.view
    assert view.button.isEnabled()
    assert "南区" in [view.areas.item(i).text() for i in range(view.areas.count())]
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)  # nothing chosen: says so, sends nothing
    assert "请至少选择一个区域" in view.status.text() and w._drill_invite.last is None
    item = view.areas.findItems("南区", Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._drill_invite.last is not None and view.table.rowCount() == 1, timeout=10_000)
    assert w._drill_invite.last.ok and "南区" in view.status.text()
    assert _cells(view)[0] == "南区" and _cells(view)[3:] == ["待发送", "3", "2", "0"]  # issued 3, registered 2
    (actor, detail), = _channel_audit(store)
    assert actor == "dispatcher" and detail["kind"] == "drill_invite" and detail["recipients"] == ["area:南区"]
    assert verify_audit_chain(store)[0]

    asyncio.run(sync.sync_once())  # pushed to the relay
    seen = {}
    for h, head in heads.items():
        items = httpx.get(relay.url + "/c/notifications", headers=head).json()["items"]
        seen[h] = [i for i in items if i["kind"] == "drill.invitation"]
    assert [len(seen[h]) for h in ("H-S1", "H-S2", "H-N1")] == [1, 1, 0]  # only 南区 is invited
    r = httpx.post(relay.url + "/c/alerts/ack", headers=heads["H-S1"], json={"notification_id": seen["H-S1"][0]["id"]})
    assert r.status_code == 201
    asyncio.run(sync.sync_once())  # the check-in is pulled back
    w._drill_invite.refresh()
    qtbot.waitUntil(lambda: _cells(view)[-1] == "1", timeout=10_000)
    assert _cells(view)[3:] == ["已送达中继", "3", "2", "1"]
    assert view.totals.text() == "合计：邀请 2 户 · 已签到 1 户"
    with store.read() as c:  # the event feed calls it a drill check-in, marked as drill
        assert c.exec_driver_sql("SELECT title, is_drill FROM events WHERE kind='resident.alarm_ack'").all() == [
            ("居民演练签到", 1)]
    w.grab().save(str(tmp_path / "drill_invite.png"))


def test_crew_sees_the_figures_but_may_not_invite(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window(qtbot, store, network, "crew01")
    panel = w._drill_invite
    assert not panel.view.button.isEnabled()
    assert "无权邀请" in panel.view.button.toolTip() and "抢修员" in panel.view.status.text()
    with pytest.raises(PermissionError, match="无权"):
        panel.service.invite(["南区"])
    with store.read() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM outbox WHERE kind='drill.invitation'").scalar() == 0


def test_without_a_relay_the_invitation_is_refused_visibly_and_logged(qtbot, demo_db):
    _path, store, network = demo_db
    w = _window(qtbot, store, network, "dispatcher")
    view = w._drill_invite.view
    assert "未配置中继" in view.status.text()
    view.check_areas(["南区", "北区"])
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._drill_invite.last is not None, timeout=10_000)
    assert not w._drill_invite.last.ok and "邀请未发出" in view.status.text() and "color:#c62828" in view.status.styleSheet()
    (_actor, detail), = _channel_audit(store)
    assert detail["ok"] is False and detail["recipients"] == ["area:北区", "area:南区"]
    with store.read() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM outbox WHERE kind='drill.invitation'").scalar() == 0
    assert view.table.rowCount() == 0
