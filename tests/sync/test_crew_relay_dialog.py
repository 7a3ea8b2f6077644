"""Crew mode's 中继设置 dialog: 测试连接 against a real relay (wrong, then right password), 保存 keeps the URL and
user as settings and the password in a mode-600 file — never in the database."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest

from tests.sync.conftest import SITE_TOKEN, run_on_qasync

PW = "crew-password-1"


@pytest.fixture(scope="module")
def qapp():
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")


def test_relay_dialog_tests_the_connection_and_keeps_the_password_out_of_the_database(
        qtbot, qapp, relay, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QDialogButtonBox

    from anran_desktop.store import open_store
    from anran_desktop.ui.crew_relay_dialog import CrewRelayDialog
    from anran_desktop.ui.crew_sync import crew_password

    monkeypatch.delenv("ANRAN_CREW_PASSWORD", raising=False)
    r = httpx.post(relay.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"},
                   json={"username": "crew01", "password": PW, "role": "crew", "area": "南区"})
    assert r.status_code == 201, r.text
    store = open_store(tmp_path / "crew.sqlite3")
    saved: list[bool] = []
    dlg = CrewRelayDialog(store, "crew01", directory=tmp_path / "cfg", on_saved=lambda: saved.append(True))
    qtbot.addWidget(dlg)
    assert dlg.user.text() == "crew01" and dlg.url.text() == ""
    dlg.url.setText("ftp://relay")
    dlg.password.setText("wrong-password")
    dlg.test_btn.click()
    assert "https://" in dlg.result.text()  # the URL is checked before anything is sent
    dlg.url.setText(relay.url)
    dlg.test_btn.click()
    qtbot.waitUntil(lambda: dlg.test_btn.isEnabled() and "连接" in dlg.result.text()
                    and "正在" not in dlg.result.text(), timeout=15000)
    assert dlg.result.text().startswith("连接失败：") and "401" in dlg.result.text(), dlg.result.text()
    dlg.password.setText(PW)
    dlg.test_btn.click()
    qtbot.waitUntil(lambda: dlg.result.text().startswith("连接成功"), timeout=15000)
    assert dlg.result.text() == "连接成功：crew01 在中继上有 0 张工单"
    dlg.show()
    dlg.grab().save(str(tmp_path / "crew-relay-dialog.png"))
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert saved == [True] and not dlg.isVisible()
    path = tmp_path / "cfg" / "crew-relay-password"
    assert (store.setting("relay_url"), store.setting("crew_relay_user"), store.setting("crew_password_file")) == (
        relay.url, "crew01", str(path))
    assert path.read_text(encoding="utf-8") == PW + "\n"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crew_password(store) == PW
    store.close()
    for f in tmp_path.glob("crew.sqlite3*"):  # database, WAL, shm: the password is in none of them
        assert PW.encode() not in f.read_bytes(), f
    # reopened: the password field stays empty, 测试连接 uses the saved file
    store = open_store(tmp_path / "crew.sqlite3")
    again = CrewRelayDialog(store, "crew01", directory=tmp_path / "cfg")
    qtbot.addWidget(again)
    assert again.password.text() == "" and "已保存" in again.password.placeholderText()
    again.test_btn.click()
    qtbot.waitUntil(lambda: again.result.text().startswith("连接成功"), timeout=15000)
    os.chmod(path, 0o644)  # a password file others may read is refused, naming the setting
    again.test_btn.click()
    assert "crew_password_file" in again.result.text() and "chmod 600" in again.result.text()
    store.close()


def test_crew_window_without_relay_is_set_up_from_its_dialog_and_then_syncs(qtbot, qapp, relay, tmp_path: Path,  # noqa: ANN001
                                                                            monkeypatch) -> None:  # noqa: ANN001
    import asyncio

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.store import open_store
    from anran_desktop.ui.crew_sync import start_crew_tickets
    from anran_desktop.ui.loop_menus import open_crew_mode
    from anran_desktop.ui.main_window import MainWindow, Services

    monkeypatch.delenv("ANRAN_CREW_PASSWORD", raising=False)
    monkeypatch.setenv("ANRAN_SITE_CONFIG", str(tmp_path / "no-site.ini"))  # no installer URL either
    assert httpx.post(relay.url + "/admin/staff", headers={"Authorization": f"Bearer {SITE_TOKEN}"}, json={
        "username": "crew01", "password": PW, "role": "crew", "area": "南区"}).status_code == 201
    store = open_store(tmp_path / "crew.sqlite3")
    network = ensure_demo_site(store, history_hours=0.2)
    window = MainWindow(Services.create(store, network), user="crew01")
    qtbot.addWidget(window)
    cw = open_crew_mode(window)
    assert not cw.view.relay_btn.isVisible()  # until crew sync is hooked in (a crew laptop)
    monkeypatch.setattr("anran_desktop.paths.config_dir", lambda: tmp_path / "cfg")

    async def main() -> None:
        ctl = start_crew_tickets(window, store, None, crew_mode=True, interval_s=0.2)
        assert ctl is not None and ctl.sync is None and cw.view.relay_btn.isVisible()
        assert "已连接中继" not in cw.view.sync_label.text()
        qtbot.mouseClick(cw.view.relay_btn, Qt.MouseButton.LeftButton)
        dlg = cw.findChild(QDialogButtonBox).parent()
        dlg.url.setText(relay.url)
        dlg.password.setText(PW)
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        assert ctl.sync is not None and ctl.sync.client.username == "crew01"
        for _ in range(200):
            if cw.view.sync_label.text().startswith("已连接中继"):
                break
            await asyncio.sleep(0.05)
        assert cw.view.sync_label.text().startswith("已连接中继 · 0 条待上传"), cw.view.sync_label.text()
        assert store.setting("crew_password_file") == str(tmp_path / "cfg" / "crew-relay-password")
        await ctl.stop()

    try:
        run_on_qasync(qapp, main)
    finally:
        window.close()
        store.close()
