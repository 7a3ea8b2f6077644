import pytest

from anran_desktop.ui.app import make_app


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's qapp, created through the app factory (font, translations, clean Qt environment)."""
    return make_app("zh_CN")
