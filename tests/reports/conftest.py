import pytest


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's qapp through the app factory (CJK font, translations), as in tests/gui."""
    from anran_desktop.ui.app import make_app

    return make_app("zh_CN")
