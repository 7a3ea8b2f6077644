"""Topology canvas frame time on the demo site and on a 10,000-pipe network (offscreen rendering).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.canvas
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from anran_desktop.services.bootstrap import ensure_demo_site  # noqa: E402
from anran_desktop.services.network import NetworkService  # noqa: E402
from anran_desktop.store import open_store  # noqa: E402
from anran_desktop.ui.app import make_app  # noqa: E402
from benchmarks.report import markdown_table, write_section  # noqa: E402
from widgets.canvas import TopologyCanvas  # noqa: E402


def grid_view(nx: int, ny: int, spacing: float = 40.0) -> SimpleNamespace:
    """A meshed grid as a NetworkView-like object (nx·(ny−1) + ny·(nx−1) pipes)."""
    rng = np.random.default_rng(1)
    nodes, pipes = [], []
    for i in range(nx):
        for j in range(ny):
            nodes.append(SimpleNamespace(id=f"N{i}_{j}", kind="junction", x=i * spacing, y=j * spacing))
    k = 0
    for i in range(nx):
        for j in range(ny):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < nx and j + dj < ny:
                    k += 1
                    pipes.append(SimpleNamespace(
                        id=f"P{k}", kind="pipe", xy=((i * spacing, j * spacing), ((i + di) * spacing, (j + dj) * spacing)),
                        diameter_mm=float(rng.choice([26.2, 51.4, 73.6, 106.3])), length_m=spacing, segment="",
                        status="open", name="", from_node=f"N{i}_{j}", to_node=f"N{i + di}_{j + dj}"))
    sensors = [SimpleNamespace(id=f"PT-{s:02d}", x=float(rng.uniform(0, nx * spacing)),
                               y=float(rng.uniform(0, ny * spacing)), name="", quantity="pressure_kpa")
               for s in range(20)]
    return SimpleNamespace(nodes=nodes, pipes=pipes, sensors=sensors, cameras=[], areas=[], buildings=[], site={})


def measure(view, label: str) -> list[list[object]]:
    canvas = TopologyCanvas()
    canvas.resize(1200, 800)
    start = time.perf_counter()
    canvas.set_network(view)
    build_ms = (time.perf_counter() - start) * 1000
    canvas.show()
    make_app().processEvents()

    def frames(n: int = 15, action=None) -> float:  # noqa: ANN001
        times = []
        for _ in range(n):
            if action:
                action()
            t = time.perf_counter()
            canvas.viewport().grab()
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times)

    fit = frames()
    canvas.zoom(4.0)
    zoomed = frames()
    pan = frames(action=lambda: canvas.horizontalScrollBar().setValue(canvas.horizontalScrollBar().value() + 40))
    canvas.fit()
    values = {p.id: float(i % 97) for i, p in enumerate(view.pipes)}
    t = time.perf_counter()
    canvas.set_pipe_values(values, mode=TopologyCanvas.MODE_HEAT)
    recolour_ms = (time.perf_counter() - t) * 1000
    heat = frames()
    t = time.perf_counter()
    for _ in range(200):
        canvas.nearest_pipe(100.0, 100.0, 10.0)
    pick_ms = (time.perf_counter() - t) * 1000 / 200
    items = canvas.item_count()
    canvas.close()
    canvas.deleteLater()
    make_app().processEvents()
    return [[label, len(view.pipes), items, f"{build_ms:.0f}", f"{fit:.1f}", f"{zoomed:.1f}", f"{pan:.1f}",
             f"{recolour_ms:.0f}", f"{heat:.1f}", f"{pick_ms:.2f}"]]


def main() -> None:
    make_app()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "c.sqlite3")
        ensure_demo_site(store, history_hours=0)
        rows += measure(NetworkService(store).view(), "demo site 星海花园")
        store.close()
    rows += measure(grid_view(72, 71), "meshed grid")
    headers = ["network", "pipes", "scene items", "build ms", "frame ms (fit)", "frame ms (zoom ×4)",
               "frame ms (panning)", "recolour ms", "frame ms (heat colours)", "hit-test ms"]
    body = markdown_table(headers, rows) + (
        "\n\nFrame = one full repaint of a 1200×800 viewport (`viewport().grab()`, offscreen raster). "
        "Pipes are batched into one path item per colour × width class (and, above 3,000 pipes, per 400 m "
        "tile, each cached as a device pixmap), so a 10,000-pipe network is about a thousand items instead of "
        "10,000; a frame right after a recolour includes refilling the caches (the heat column). Antialiasing "
        "is switched off while more than 2,500 pipes are on screen. Hit-testing is a vectorised "
        "nearest-segment search. "
        f"Load average when the run started: {load:.1f} on {os.cpu_count()} cores (the machine is shared; frame "
        "times grow with the contention, so a high load makes these figures pessimistic).")
    print(body)
    write_section("canvas", "Topology canvas frame time (issue 2)", "QT_QPA_PLATFORM=offscreen python -m benchmarks.canvas",
                  body)


if __name__ == "__main__":
    main()
