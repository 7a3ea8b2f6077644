import pytest

from anran_desktop.services.bootstrap import ensure_demo_site
from anran_desktop.store import open_store
from anran_desktop.ui.app import make_app


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's qapp, created through our factory (font, translations, clean Qt environment)."""
    return make_app("zh_CN")


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "anran.sqlite3"
    store = open_store(path)
    network = ensure_demo_site(store, history_hours=1.0)
    yield path, store, network
    store.close()


@pytest.fixture
def window(qtbot, demo_db):
    from anran_desktop.ui.main_window import MainWindow, Services

    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network))
    qtbot.addWidget(w)
    w.show()
    return w
