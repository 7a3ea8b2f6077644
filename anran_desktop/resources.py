"""Where the bundled resources live: next to the packages in a checkout, under ``_MEIPASS`` when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("sites", "xinghai", "network.geojson")``."""
    return resources_dir().joinpath(*parts)


def cjk_font_path() -> Path:
    return resource_path("fonts", "DroidSansFallbackFull.ttf")


def demo_site_path() -> Path:
    return resource_path("sites", "xinghai", "network.geojson")
