"""First-run wizard: validation on each page, the result, and applying it to a new store."""

import json

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit

from anran_desktop.install_config import InstallConfig
from anran_desktop.resources import demo_site_path
from anran_desktop.ui.first_run import FirstRunResult, FirstRunWizard, FirstUser, apply_first_run, check_users

pytestmark = pytest.mark.gui


@pytest.fixture
def wizard(qtbot, qapp):
    w = FirstRunWizard()
    qtbot.addWidget(w)
    w.show()
    return w


def _set_password(page, row, pw):
    widget = page.table.cellWidget(row, 3)
    assert isinstance(widget, QLineEdit)
    widget.setText(pw)


def test_demo_site_relay_and_users_give_a_result(wizard):
    assert wizard.network_page.validatePage()
    wizard.next()
    wizard.relay_page.url.setText("https://relay.xinghai.example.cn/")
    wizard.relay_page.token.setText("tok-123")
    assert wizard.relay_page.validatePage()
    wizard.next()
    users = wizard.users_page
    assert not users.validatePage()  # default rows have no passwords
    assert "密码至少 8 位" in users.error.text()
    _set_password(users, 0, "admin-pass-1")
    _set_password(users, 1, "disp-pass-1")
    assert users.validatePage(), users.error.text()
    result = wizard.result_value()
    assert result.use_demo_site and result.network_path == demo_site_path()
    assert result.relay_url == "https://relay.xinghai.example.cn" and result.site_token == "tok-123"
    assert [(u.username, u.role) for u in result.users] == [("admin", "admin"), ("dispatcher", "dispatcher")]
    assert "tok-123" not in repr(result) and "admin-pass-1" not in repr(result)


def test_imported_file_must_be_a_network(wizard, tmp_path):
    page = wizard.network_page
    page.imported.setChecked(True)
    assert not page.validatePage()
    assert "请选择" in page.error.text()
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}), encoding="utf-8")
    page.path_edit.setText(str(bad))
    assert not page.validatePage()
    assert "bad.geojson" in page.error.text()
    page.path_edit.setText(str(tmp_path / "missing.geojson"))
    assert not page.validatePage() and "找不到文件" in page.error.text()
    page.path_edit.setText(str(demo_site_path()))
    assert page.validatePage() and "管段" in page.summary.text()


@pytest.mark.parametrize("url, token, message", [("ftp://x", "t", "https://"), ("https://x", "", "都填"),
                                                 ("", "t", "都填"), ("https://x", "a b", "spaces")])
def test_bad_relay_settings_are_refused(wizard, url, token, message):
    page = wizard.relay_page
    page.url.setText(url)
    page.token.setText(token)
    assert not page.validatePage()
    assert message in page.error.text()


def test_relay_page_is_prefilled_from_the_installer(qtbot, qapp, tmp_path):
    w = FirstRunWizard(InstallConfig("https://r.example.cn", "site-9", tmp_path / "site.ini"))
    qtbot.addWidget(w)
    assert w.relay_page.url.text() == "https://r.example.cn" and w.relay_page.token.text() == "site-9"


def test_users_need_an_admin_and_unique_names(wizard):
    page = wizard.users_page
    combo = page.table.cellWidget(0, 2)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("crew"))
    _set_password(page, 0, "longenough")
    _set_password(page, 1, "longenough")
    assert not page.validatePage() and "管理员" in page.error.text()
    combo.setCurrentIndex(combo.findData("admin"))
    row = page.add_user("Admin", "另一个", "crew", "longenough")
    assert row == 2
    assert not page.validatePage() and "第 3 行" in page.error.text() and "重复" in page.error.text()
    page.table.selectRow(2)
    page._remove_selected()
    assert page.validatePage()


def test_apply_writes_network_users_and_relay_to_a_new_store(tmp_path):
    from anran_desktop.services.network import NetworkService
    from anran_desktop.services.users import check_password
    from anran_desktop.store import open_store

    store = open_store(tmp_path / "a.sqlite3")
    try:
        result = FirstRunResult(True, demo_site_path(), "https://r.example.cn", "tok",
                                (FirstUser("root", "管理员", "admin", "pass-word-1"),))
        net = apply_first_run(store, result)
        assert len(net.pipes) > 0 and not NetworkService(store).is_empty()
        assert store.setting("relay_url") == "https://r.example.cn" and store.setting("site_token") == "tok"
        with store.read() as c:
            row = c.exec_driver_sql("SELECT role, password_hash FROM users WHERE username='root'").one()
        assert row[0] == "admin" and check_password("pass-word-1", row[1])
        with pytest.raises(ValueError, match="already has a network"):
            apply_first_run(store, result)
    finally:
        store.close()


def test_check_users_refuses_bad_usernames():
    with pytest.raises(ValueError, match="第 1 行"):
        check_users([FirstUser("a b", "x", "admin", "12345678")])
