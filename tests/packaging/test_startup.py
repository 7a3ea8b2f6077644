"""Start-up path of ``anran app``: the first-run wizard on an empty database, the demo site otherwise.

The wizard is the real modal dialog: a timer fills its pages while ``exec()`` runs, as an operator would.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from anran_desktop.services.network import NetworkService
from anran_desktop.store import open_store
from anran_desktop.ui.first_run import FirstRunWizard, run_first_run_wizard
from anran_desktop.ui.startup import open_site

pytestmark = pytest.mark.gui


def _when_wizard_shown(action):
    """Run ``action(wizard)`` once the modal first-run wizard is on screen."""
    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, FirstRunWizard) and w.isVisible():
            action(w)
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def _fill_and_finish(w: FirstRunWizard) -> None:
    w.next()  # the demo site is the default choice on the network page
    w.relay_page.url.setText("https://relay.campus.example.cn")
    w.relay_page.token.setText("site-token-42")
    w.next()
    for row, pw in ((0, "admin-pass-1"), (1, "disp-pass-1")):
        edit = w.users_page.table.cellWidget(row, 3)
        assert isinstance(edit, QLineEdit)
        edit.setText(pw)
    w.accept()


def test_empty_database_on_a_screen_runs_the_wizard_and_applies_it(qapp, qtbot, tmp_path):
    store = open_store(tmp_path / "new.sqlite3")
    try:
        _when_wizard_shown(_fill_and_finish)
        network = open_site(store, interactive=True, wizard=lambda: run_first_run_wizard(preset=None))
        assert network is not None and len(network.pipes) > 100
        assert store.setting("relay_url") == "https://relay.campus.example.cn"
        assert store.setting("site_token") == "site-token-42"
        with store.read() as c:
            users = {r[0]: r[1] for r in c.exec_driver_sql("SELECT username, role FROM users")}
        assert users == {"admin": "admin", "dispatcher": "dispatcher"}
        # Next start: the stored network opens, no wizard (a wizard call would fail the test).
        again = open_site(store, interactive=True, wizard=lambda: pytest.fail("wizard shown twice"))
        assert again is not None and sorted(again.pipes) == sorted(network.pipes)
    finally:
        store.close()


def test_cancelled_wizard_writes_nothing(qapp, qtbot, tmp_path):
    path = tmp_path / "new.sqlite3"
    store = open_store(path)
    try:
        _when_wizard_shown(lambda w: w.reject())
        assert open_site(store, interactive=True, wizard=lambda: run_first_run_wizard(preset=None)) is None
        assert NetworkService(store).is_empty()
        assert store.setting("relay_url") is None
        with store.read() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM users").scalar() == 0
    finally:
        store.close()


@pytest.mark.parametrize("interactive, demo_site", [(False, False), (True, True)])
def test_headless_or_demo_flag_loads_the_demo_site_without_a_wizard(qapp, tmp_path, interactive, demo_site):
    store = open_store(tmp_path / "demo.sqlite3")
    try:
        network = open_site(store, interactive=interactive, demo_site=demo_site,
                            wizard=lambda: pytest.fail("no wizard expected"))
        assert network is not None and "V-S3" in network.pipes
        assert not NetworkService(store).is_empty()
    finally:
        store.close()
