"""Suite-wide settings: Qt runs offscreen, no test touches the user's real data folder, and garbage is
collected on the main thread only (``anran_desktop/gui_gc.py``: as in ``anran app``, where ``make_app``
installs it, a worker thread must never be the one that frees a window left by an earlier test)."""

from __future__ import annotations

import gc
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("ANRAN_LANG", "zh_CN")

import pytest  # noqa: E402

from anran_desktop import gui_gc  # noqa: E402


def pytest_configure(config) -> None:  # noqa: ANN001
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_main_thread():
    """Set up before (so torn down after) qtbot's fixtures: the widgets a test leaves are freed here."""
    yield
    gui_gc.collect_if_due()


@pytest.fixture
def english(qapp):  # noqa: ANN001
    """The bundled English translation installed for one test (the module's or pytest-qt's ``qapp``)."""
    from PySide6.QtCore import QTranslator

    from anran_desktop.resources import resource_path

    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "anran_en.qm")))
    qapp.installTranslator(tr)
    yield
    qapp.removeTranslator(tr)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point every per-user location (data, logs, cache, settings) into a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("ANRAN_HOME", str(home / "anran"))
    yield
