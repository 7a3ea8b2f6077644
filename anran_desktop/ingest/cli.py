"""``anran ingest``: check a site's source configuration, run its sources into the store headless,
and report point health from stored data."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ingest", help="field data sources: check, run headless, point health",
                              description="MQTT / OPC UA / Modbus TCP / SCADA CSV / AMR sources of a site.")
    sub = p.add_subparsers(dest="ingest_command", metavar="ACTION", required=True)
    c = sub.add_parser("check", help="validate a site configuration (JSON) and list its sources")
    c.add_argument("config", help="site configuration JSON")
    c.set_defaults(func=run_check)
    r = sub.add_parser("run", help="run the configured sources into the store")
    r.add_argument("config", help="site configuration JSON")
    r.add_argument("--db", help="database file (default: the user data folder)")
    r.add_argument("--seconds", type=float, default=None,
                   help="stop after this long (default: until file sources end; live sources run until Ctrl-C)")
    r.add_argument("--json", action="store_true", help="print the final status as JSON")
    r.set_defaults(func=run_run)
    h = sub.add_parser("health", help="点位健康度 of the stored points over a recent window")
    h.add_argument("--db", help="database file (default: the user data folder)")
    h.add_argument("--window", type=float, default=3600.0, help="seconds of history to assess (default 3600)")
    h.add_argument("--now", type=float, default=None, help="assess as of this UTC epoch time (default: now)")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=run_health)


def run_check(args: argparse.Namespace) -> int:
    from anran_desktop.ingest.config import ConfigError, load_config

    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"anran ingest: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.config}: OK — site {cfg.site or '(unnamed)'}, {len(cfg.sources)} source(s)")
    for s in cfg.sources:
        n = len(getattr(s, "topics", None) or getattr(s, "nodes", None) or getattr(s, "registers", None)
                or getattr(s, "columns", None) or [])
        where = getattr(s, "url", None) or getattr(s, "path", None) or f"{getattr(s, 'host', '')}:{getattr(s, 'port', '')}"
        print(f"  {s.kind:<10} {s.name:<16} {where}  ({n} mapping(s))" if n else f"  {s.kind:<10} {s.name:<16} {where}")
    return 0


def run_run(args: argparse.Namespace) -> int:
    import asyncio
    import contextlib
    from pathlib import Path

    from anran_desktop.ingest.base import SourceState
    from anran_desktop.ingest.config import ConfigError, build_source, load_config
    from anran_desktop.services.live import LivePipeline
    from anran_desktop.services.telemetry import TelemetryService
    from anran_desktop.store import StoreError, open_store

    try:
        cfg = load_config(args.config)
        store = open_store(Path(args.db) if args.db else None)
    except (ConfigError, StoreError) as exc:
        print(f"anran ingest: error: {exc}", file=sys.stderr)
        return 2
    tel = TelemetryService(store)
    sources = [build_source(s) for s in cfg.sources]
    pipes = [LivePipeline(tel, s, ring_seconds=10) for s in sources]

    async def main() -> None:
        tasks = [p.start() for p in pipes]
        loop = asyncio.get_running_loop()
        deadline = None if args.seconds is None else loop.time() + args.seconds
        while True:
            if all(t.done() for t in tasks):
                break
            if deadline is not None and loop.time() >= deadline:
                break
            await asyncio.sleep(0.2)
        for s in sources:
            await s.stop()
        with contextlib.suppress(TimeoutError):  # let the pipelines write what is queued
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=5)
        for p in pipes:
            await p.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    report = []
    for src, pipe in zip(sources, pipes, strict=True):
        st = src.status
        report.append({"source": src.name, "kind": src.kind, "state": st.state.value, "message": st.message,
                       "received": st.samples_received, "stored": pipe.samples, "rejected": st.samples_rejected,
                       "rejects_by_reason": st.rejects_by_reason, "reconnects": st.reconnects,
                       "write_errors": pipe.write_errors})
    store.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for r in report:
            reasons = ", ".join(f"{k}={v}" for k, v in r["rejects_by_reason"].items())
            print(f"{r['kind']:<10} {r['source']:<16} {r['state']:<12} stored {r['stored']:>8}  "
                  f"rejected {r['rejected']:>6}{' (' + reasons + ')' if reasons else ''}  "
                  f"reconnects {r['reconnects']}  {r['message']}")
    failed = any(s.status.state == SourceState.FAILED for s in sources)
    return 1 if failed else 0


def run_health(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from anran_desktop.ingest.quality import assess_points
    from anran_desktop.store import StoreError, open_store
    from anran_desktop.store.telemetry import TelemetryRepo

    try:
        store = open_store(Path(args.db) if args.db else None)
    except StoreError as exc:
        print(f"anran ingest: error: {exc}", file=sys.stderr)
        return 2
    repo = TelemetryRepo(store)
    now = args.now if args.now is not None else time.time()
    series = {p: repo.series(p, now - args.window, now) for p in sorted(repo.points())}
    health = assess_points(series, now)
    store.close()
    if args.json:
        print(json.dumps({p: {"score": h.score, "level": h.level, "reasons": h.reasons, "codes": h.codes}
                          for p, h in health.items()}, ensure_ascii=False, indent=1))
    else:
        for p, h in health.items():
            print(f"{p:<16} {h.score:5.1f} {h.level:<9} {'；'.join(h.reasons)}")
    return 0
