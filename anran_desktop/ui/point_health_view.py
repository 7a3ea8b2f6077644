"""Point health (点位健康度) in the main window: the periodic worker job (health, then the leak watch without
the bad points), the canvas markers and tooltips, the map-key entries, and the message shown when a site
ingest configuration is refused."""

from __future__ import annotations

from collections.abc import Mapping

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from anran_desktop.ingest.quality import PointHealth
from anran_desktop.services.point_health import PointHealthWatch, health_and_leaks
from anran_desktop.ui.workers import run_in_worker
from widgets.health_text import findings_text


def level_text(level: str) -> str:
    names = {"good": QCoreApplication.translate("PointHealthView", "良好"),
             "degraded": QCoreApplication.translate("PointHealthView", "可疑"),
             "bad": QCoreApplication.translate("PointHealthView", "故障")}
    return names.get(level, level)


def health_texts(health: Mapping[str, PointHealth]) -> dict[str, tuple[str, str]]:
    """Plain data for the canvas: point → (level, tooltip line)."""
    out = {}
    for p, h in health.items():
        text = QCoreApplication.translate("PointHealthView", "点位健康度") + f" {h.score:.0f} · {level_text(h.level)}"
        if h.codes:
            text += "\n" + "\n".join(findings_text(h.codes, h.params, h.reasons))
        out[p] = (h.level, text)
    return out


def health_key_html() -> str:
    """Map-key entries for the marker colours."""
    return ("<span style='color:#2e7d32'>●</span>/<span style='color:#f9a825'>●</span>/"
            "<span style='color:#c62828'>●</span> " + QCoreApplication.translate("PointHealthView", "测点健康：良好/可疑/故障"))


def start_check(window, now: float) -> None:  # noqa: ANN001 - the MainWindow
    """Health and leak localization on a worker thread; the rings are copied there, not on the GUI thread
    (only the dict of the network's rings is taken here)."""
    if getattr(window, "point_health", None) is None:
        window.point_health = PointHealthWatch(window.svc.network_model, window.svc.events,
                                               locator=window.leak_watch.locator, is_drill=window.leak_watch.is_drill)
    sensors = window.svc.network_model.sensors  # only the network's points feed health and the engine
    rings = {p: r for p, r in list(window.pipeline.rings.items()) if p in sensors}
    window._watch_busy = True
    generation = window.network_generation
    run_in_worker(health_and_leaks, window.point_health, window.leak_watch, rings, now,
                  on_done=lambda result: _on_done(window, result, generation), on_error=window._on_watch_error)


def _on_done(window, result, generation: int) -> None:  # noqa: ANN001
    if not shiboken6.isValid(window) or not shiboken6.isValid(window.canvas):
        return  # the window was closed and deleted while the check ran (quitting, or a test's teardown)
    if generation != window.network_generation:  # a network was imported meanwhile: this ran on the old one
        window._watch_busy = False
        return
    health, outcome = result
    window.canvas.set_point_health(health_texts(health))
    window._on_watch(outcome)
    if window.point_health.raised:
        window.point_health.raised.clear()
        window.refresh_events()


def report_config_errors(window: QWidget, errors: list[str], *, modal: bool) -> None:
    """A refused ingest configuration: status-bar line (field included) and, on a real screen, a dialog."""
    head = QCoreApplication.translate("PointHealthView", "现场数据源配置无效，沿用原数据源：")
    window.statusBar().showMessage(head + "；".join(" ".join(e.splitlines()[:2]) for e in errors), 120_000)
    if modal:
        QMessageBox.warning(window, QCoreApplication.translate("PointHealthView", "现场数据源配置"), head + "\n\n" + "\n\n".join(errors))
