"""QApplication factory: clean Qt environment, bundled CJK font, translations (zh_CN default, en)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from anran_desktop import gui_gc
from anran_desktop.paths import APP_NAME, ORG_NAME
from anran_desktop.resources import cjk_font_path, resource_path

LANGUAGES = ("zh_CN", "en")


def _clean_qt_environment() -> None:
    """opencv-python points Qt at its own Qt5 plugins and fonts when cv2 is imported; undo that."""
    for var in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):
        value = os.environ.get(var, "")
        if "cv2" in value:
            del os.environ[var]


def _install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    translators: list[QTranslator] = []
    if lang == "zh_CN":
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            translators.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        ours = QTranslator(app)
        if ours.load(str(resource_path("i18n", f"anran_{lang}.qm"))):
            app.installTranslator(ours)
            translators.append(ours)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return translators


def saved_language() -> str | None:
    """The interface language chosen in the Language menu (QSettings), or None."""
    from PySide6.QtCore import QSettings

    value = QSettings(ORG_NAME, APP_NAME).value("ui/language")
    return str(value) if value in LANGUAGES else None


def save_language(lang: str) -> None:
    """Remember *lang* for the next start (``--lang`` and ``ANRAN_LANG`` still take precedence)."""
    from PySide6.QtCore import QSettings

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}' (expected {' or '.join(LANGUAGES)})")
    settings = QSettings(ORG_NAME, APP_NAME)
    settings.setValue("ui/language", lang)
    settings.sync()


def make_app(lang: str | None = None, argv: list[str] | None = None) -> QApplication:
    """Create (or reuse) the QApplication with AnRan's font and language."""
    _clean_qt_environment()
    lang = lang or os.environ.get("ANRAN_LANG") or saved_language() or "zh_CN"
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}' (expected {' or '.join(LANGUAGES)})")
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("安燃云 AnRan" if lang == "zh_CN" else "AnRan")
    font_path = Path(cjk_font_path())
    if font_path.exists() and not getattr(app, "_anran_font", None):
        fid = QFontDatabase.addApplicationFont(str(font_path))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        if families:
            base = QFont(app.font())
            base.setFamilies([base.family(), *families])
            base.setPointSizeF(9.5)
            app.setFont(base)
        app._anran_font = families  # type: ignore[attr-defined]
    if not getattr(app, "_anran_translators", None):
        app._anran_translators = _install_translators(app, lang)  # type: ignore[attr-defined]
    app._anran_lang = lang  # type: ignore[attr-defined]
    gui_gc.install(app)  # Qt objects in garbage cycles are freed on this thread, never on a worker
    return app
