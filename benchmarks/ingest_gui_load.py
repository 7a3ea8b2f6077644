"""GUI responsiveness while the desktop ingests live MQTT data (offscreen main window on the demo site).

A publisher process sends the demo site's sensors plus extra points (one QoS 1 JSON message per point
per second) through mosquitto; the main window runs with an :class:`MqttSource` in a LivePipeline, the
demo sensors selected in the live curves. Measured: event-loop latency (a 16 ms timer's overshoot) and
the time to render the whole window (``grab``), i.e. a frame, while the load runs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.ingest_gui_load [--points 500 2000] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "ingest"))

PUBLISHER = r"""
import json, sys, time
import paho.mqtt.client as mqtt
port, seconds = int(sys.argv[1]), float(sys.argv[2])
points = sys.argv[3].split(",")
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="gui-pub")
c.max_inflight_messages_set(0)
c.connect("127.0.0.1", port)
c.loop_start()
t0 = time.time()
for k in range(int(seconds)):
    while time.time() < t0 + k:
        time.sleep(0.01)
    ts = round(time.time(), 3)
    for i, p in enumerate(points):
        base = 100.0 if p.startswith("F") else 300.0
        last = c.publish(f"gui/{p}", json.dumps({"v": base + (i % 7) + 0.05 * (k % 10), "ts": ts}), qos=1)
last.wait_for_publish(30)
c.loop_stop(); c.disconnect()
"""


def run_case(n_points: int, seconds: float, workdir: Path, port: int) -> dict:
    import qasync

    from anran_desktop.ingest.config import MqttSourceConfig
    from anran_desktop.ingest.mqtt_source import MqttSource
    from anran_desktop.services.bootstrap import ensure_demo_site
    from anran_desktop.services.live import LivePipeline
    from anran_desktop.store import open_store
    from anran_desktop.ui.app import make_app
    from anran_desktop.ui.main_window import MainWindow, Services

    app = make_app("zh_CN")
    store = open_store(workdir / f"g{n_points}.db")
    network = ensure_demo_site(store)
    demo = list(network.sensors)
    points = demo + [f"X-{i:05d}" for i in range(max(0, n_points - len(demo)))]  # 0 points: no load (baseline)
    services = Services.create(store, network)
    window = MainWindow(services, user="bench")
    window.resize(1600, 1000)
    src = MqttSource(MqttSourceConfig.model_validate({
        "name": "gui", "port": port, "client_id": f"gui-sub-{n_points}", "clean_session": True,
        "topics": [{"topic": "gui/+", "point": "{1}", "value": "v", "time": "ts"}]}))
    pipe = LivePipeline(services.telemetry, src)
    window.attach_pipeline(pipe)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    lat: list[float] = []
    frames: list[float] = []

    async def main() -> None:
        task = pipe.start()
        window.show()
        window.select_sensors([s for s in demo if s.startswith("PT")][:3])
        await asyncio.sleep(1.0)
        pub = (subprocess.Popen([sys.executable, "-c", PUBLISHER, str(port), str(seconds), ",".join(points)])
               if n_points else None)
        t_end = time.monotonic() + seconds
        k = 0
        while time.monotonic() < t_end:
            t = time.perf_counter()
            await asyncio.sleep(0.016)
            if k % 30 != 1:  # not the tick right after our own grab()
                lat.append((time.perf_counter() - t - 0.016) * 1000)
            k += 1
            if k % 30 == 0:
                f = time.perf_counter()
                window.grab()
                frames.append((time.perf_counter() - f) * 1000)
        while pub is not None and pub.poll() is None:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        await pipe.stop()
        del task

    with loop:
        loop.run_until_complete(main())
    window.close()
    window.deleteLater()
    app.processEvents()
    stored = pipe.samples
    store.close()
    la, fr = np.array(lat), np.array(frames)
    return {"points": n_points, "stored": stored, "lat_p50": float(np.percentile(la, 50)),
            "lat_p99": float(np.percentile(la, 99)), "frame_p50": float(np.percentile(fr, 50)),
            "frame_p99": float(np.percentile(fr, 99))}


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ingest_peers import Mosquitto

    from benchmarks.report import markdown_table, write_section

    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, nargs="+", default=[0, 500, 2000])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        broker = Mosquitto(Path(d), extra="max_inflight_messages 0\nmax_queued_messages 0\n")
        broker.start()
        try:
            for n in args.points:
                r = run_case(n, args.seconds, Path(d), broker.port)
                print(r, flush=True)
                rows.append([f"{n}", f"{r['stored']:,}", f"{r['lat_p50']:.1f}", f"{r['lat_p99']:.1f}",
                             f"{r['frame_p50']:.1f}", f"{r['frame_p99']:.1f}"])
        finally:
            broker.stop()
    md = markdown_table(["points at 1 Hz", "samples stored", "event-loop latency p50 ms", "latency p99 ms",
                         "window frame ms p50", "frame ms p99"], rows)
    md += ("\n\n0 points = the window with no feed (baseline). Offscreen main window on the demo site, 3 gauges in the live curves, MQTT QoS 1 one message per "
           "point per second; the publisher and mosquitto share the 2 cores. A frame is a full `grab()` of the "
           "window (canvas, curves, board).\n")
    if not args.no_write:
        write_section("ingest_gui_load", "GUI under ingest load", "QT_QPA_PLATFORM=offscreen python -m "
                      "benchmarks.ingest_gui_load " + " ".join(sys.argv[1:]), md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
