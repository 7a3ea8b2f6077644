"""Ingest load: points × rate sustained end to end — MQTT broker (mosquitto) → MqttSource (QoS 1,
JSON per point) → LivePipeline (SQLite store + ring buffers for the curves) → engine input
(``align`` of the last 60 s of every point onto a 1 s grid, once a second).

A separate publisher process sends one message per point per tick. A rate is *sustained* when every
message is stored, the store/align loop keeps up (lag p99 < 2 s from publish to stored) and nothing is
rejected or dropped.

    .venv/bin/python -m benchmarks.ingest_load            # 500, 1000, 2000, 4000 points at 1 Hz
    .venv/bin/python -m benchmarks.ingest_load --points 500 --rates 1 2 5 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
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
port, n, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-pub")
c.max_inflight_messages_set(0)
c.max_queued_messages_set(0)
c.connect("127.0.0.1", port)
c.loop_start()
topics = [f"bench/PT-{i:05d}/p" for i in range(n)]
t0 = time.time()
ticks = int(seconds * rate)
last = None
for k in range(ticks):
    due = t0 + k / rate
    while time.time() < due:
        time.sleep(min(0.01, due - time.time()))
    ts = round(time.time(), 3)
    for i, tp in enumerate(topics):
        last = c.publish(tp, json.dumps({"v": 300.0 + (i % 50) + 0.01 * k, "ts": ts}), qos=1)
if last is not None:
    last.wait_for_publish(60)
c.loop_stop(); c.disconnect()
print(ticks * n, time.time() - t0)
"""


async def run_case(port: int, db: Path, points: int, rate: float, seconds: float) -> dict:
    from anran_desktop.ingest.align import align
    from anran_desktop.ingest.base import SourceState
    from anran_desktop.ingest.config import MqttSourceConfig
    from anran_desktop.ingest.mqtt_source import MqttSource
    from anran_desktop.services.live import LivePipeline
    from anran_desktop.services.telemetry import TelemetryService
    from anran_desktop.store import open_store

    store = open_store(db)
    tel = TelemetryService(store)
    cfg = MqttSourceConfig.model_validate({
        "name": "bench", "port": port, "client_id": f"bench-sub-{points}-{rate}", "clean_session": True,
        "topics": [{"topic": "bench/+/p", "point": "{1}", "value": "v", "time": "ts"}]})
    src = MqttSource(cfg)
    pipe = LivePipeline(tel, src, ring_seconds=120)
    lags: list[float] = []
    align_ms: list[float] = []

    def on_batch(batch: list) -> None:
        now = time.time()
        lags.extend(now - s.time for s in batch[:: max(1, len(batch) // 50)])

    pipe.on_batch(on_batch)
    pipe.start()
    while src.status.state != SourceState.RUNNING:
        await asyncio.sleep(0.05)

    async def engine_input() -> None:
        while True:
            await asyncio.sleep(1.0)
            t = time.perf_counter()
            now = time.time()
            series = {p: r.arrays() for p, r in list(pipe.rings.items())}
            if series:
                align(series, now - 60, now, 1.0)
            align_ms.append((time.perf_counter() - t) * 1000)

    eng = asyncio.ensure_future(engine_input())
    pub = await asyncio.create_subprocess_exec(sys.executable, "-c", PUBLISHER, str(port), str(points), str(rate),
                                               str(seconds), stdout=subprocess.PIPE)
    out, _ = await pub.communicate()
    sent, pub_s = out.split()
    sent = int(sent)
    deadline = time.time() + 20
    while pipe.samples < sent and time.time() < deadline:
        await asyncio.sleep(0.1)
    eng.cancel()
    await src.stop()
    await pipe.stop()
    store.close()
    lag = np.array(lags) if lags else np.array([np.inf])
    return {"points": points, "rate": rate, "offered": points * rate, "sent": sent, "stored": pipe.samples,
            "publisher_rate": sent / float(pub_s), "lag_p50": float(np.percentile(lag, 50)),
            "lag_p99": float(np.percentile(lag, 99)), "align_ms": float(np.median(align_ms)) if align_ms else 0.0,
            "rejected": src.status.samples_rejected,
            "ok": pipe.samples == sent and float(np.percentile(lag, 99)) < 2.0 and src.status.samples_rejected == 0}


def main() -> int:
    from ingest_peers import Mosquitto

    from benchmarks.report import markdown_table, write_section

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    ap.add_argument("--rates", type=float, nargs="+", default=[1.0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = ap.parse_args()
    rows, best = [], 0.0
    with tempfile.TemporaryDirectory() as d:
        broker = Mosquitto(Path(d), extra="max_inflight_messages 0\nmax_queued_messages 0\n")
        broker.start()
        try:
            for n in args.points:
                for r in args.rates:
                    res = asyncio.run(run_case(broker.port, Path(d) / f"b{n}_{r}.db", n, r, args.seconds))
                    print(res, flush=True)
                    if res["ok"]:
                        best = max(best, res["offered"])
                    rows.append([f"{n}", f"{r:g}", f"{res['offered']:,.0f}", f"{res['publisher_rate']:,.0f}",
                                 f"{res['stored']:,} / {res['sent']:,}", f"{res['lag_p50']:.2f}",
                                 f"{res['lag_p99']:.2f}", f"{res['align_ms']:.0f}", "yes" if res["ok"] else "no"])
        finally:
            broker.stop()
    md = markdown_table(["points", "Hz", "offered samples/s", "publisher achieved/s", "stored / sent",
                         "lag p50 s", "lag p99 s", "align 60 s grid ms", "sustained"], rows)
    md += (f"\n\nMax sustained rate measured: **{best:,.0f} samples/s** (one MQTT message per sample, QoS 1, "
           f"{args.seconds:g} s per case). The publisher runs as a separate process on the same 2 cores, so "
           "figures are pessimistic; GUI frame time under load is not measured here (see docs/ingest.md).\n")
    if not args.no_write:
        cmd = "python -m benchmarks.ingest_load " + " ".join(sys.argv[1:])
        write_section("ingest_load", "Ingest load (MQTT → store → curves/engine input)", cmd.strip(), md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
