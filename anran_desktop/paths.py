"""Per-user locations (data, logs, cache) through the platform's standard places.

Nothing is ever written next to the executable. ``ANRAN_HOME`` overrides the root (tests, portable
installs); otherwise Qt's ``QStandardPaths`` decides (``~/.local/share/AnRan/AnRan`` on Linux,
``%LOCALAPPDATA%/AnRan/AnRan`` on Windows). QtCore alone is used: no QApplication is needed.
"""

from __future__ import annotations

import os
from pathlib import Path

ORG_NAME = "AnRan"
APP_NAME = "AnRan"


def _standard(kind: str) -> Path:
    override = os.environ.get("ANRAN_HOME")
    if override:
        return Path(override) / kind
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORG_NAME)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APP_NAME)
    location = {
        "data": QStandardPaths.StandardLocation.AppLocalDataLocation,
        "cache": QStandardPaths.StandardLocation.CacheLocation,
        "config": QStandardPaths.StandardLocation.AppConfigLocation,
    }[kind if kind != "logs" else "data"]
    base = Path(QStandardPaths.writableLocation(location))
    return base / "logs" if kind == "logs" else base


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _ensure(_standard("data"))


def logs_dir() -> Path:
    return _ensure(_standard("logs"))


def cache_dir() -> Path:
    return _ensure(_standard("cache"))


def config_dir() -> Path:
    return _ensure(_standard("config"))


def default_db_path() -> Path:
    """The desktop database unless ``--db PATH`` is given."""
    return data_dir() / "anran.sqlite3"


def evidence_dir() -> Path:
    """Evidence images (masked) referenced from the database."""
    return _ensure(data_dir() / "evidence")
