"""``anran app``: the desktop application (and its screenshot mode)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from anran_desktop.ui.instance_guard import InstanceGuard
    from anran_desktop.ui.restore_progress import RestoreProgress


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("app", help="open the desktop application",
                              description="Open the AnRan desktop on the local database (the demo site 星海花园 "
                                          "is imported on first run).")
    p.add_argument("--db", help="database file (default: the user data folder)")
    p.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="interface language (default zh_CN)")
    p.add_argument("--source", default=None,
                   help="data source: simulator | csv:PATH (default: the site's stored ingest configuration, "
                        "else simulator)")
    p.add_argument("--ingest", metavar="SITE.json",
                   help="run this site ingest configuration (MQTT/OPC UA/Modbus/files) and keep it for later starts")
    p.add_argument("--screenshot", metavar="FILE.png", help="save a picture of the window after a few seconds and exit")
    p.add_argument("--screenshot-delay", type=float, default=4.0, metavar="S", help="seconds of live feed first")
    p.add_argument("--window-size", type=_size, metavar="WxH",
                   help="open the window at this size in pixels (e.g. 1366x768, a dispatch-room screen)")
    p.add_argument("--drill-leak", metavar="PIPE:RATE_M3H[@POS_M]",
                   help="drill: the simulator starts a leak now (data marked as drill)")
    p.add_argument("--demo-site", action="store_true",
                   help="on an empty database, load the demo site 星海花园 without the first-run wizard")
    p.add_argument("--user", default="dispatcher",
                   help="user to act as in headless runs; on a real screen it pre-fills the sign-in dialog")
    p.add_argument("--crew", action="store_true", help="open in crew mode (large controls for touch screens)")
    p.add_argument("--restore", metavar="BACKUP.zip",
                   help="first restore this backup (as 'anran restore'), waiting up to a minute for a window still "
                        "closing on the database; then open on the restored database (文件 → 从备份恢复… starts this)")
    p.add_argument("--restore-by", default="", help=argparse.SUPPRESS)  # the desktop user who asked (audit)
    p.set_defaults(func=run_app)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"window size '{text}' is not WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= w <= 10_000 and 240 <= h <= 10_000):
        raise argparse.ArgumentTypeError(f"window size {w}x{h} is outside 320x240 … 10000x10000")
    return w, h


def run_app(args: argparse.Namespace) -> int:
    from anran_desktop.ui.app import make_app

    app = make_app(args.lang)
    headless = bool(args.screenshot) or app.platformName() in ("offscreen", "minimal")
    progress = None
    if args.restore and not headless:  # the window that asked has closed: say what happens meanwhile
        from anran_desktop.ui.restore_progress import RestoreProgress

        progress = RestoreProgress(args.restore)
    guard = None
    try:
        try:
            guard = _guard(Path(args.db) if args.db else None, headless,
                           wait_s=RESTORE_WAIT_S if args.restore else 0.0, progress=progress)
            if guard is None:
                return 3
            restored = _restore(args, guard, progress) if args.restore else None
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()
        return _run(args, app, headless, guard, restored)
    finally:
        if guard is not None:
            guard.release()


RESTORE_WAIT_S = 60.0  # how long ``--restore`` waits for the window that asked for it to let go of the database


def _restore(args: argparse.Namespace, guard: InstanceGuard,
             progress: RestoreProgress | None = None) -> tuple[bool, str]:
    """Restore ``args.restore`` into the database ``guard`` holds (before anything opens it). Returns
    (restored, what to tell the person); a failure leaves the database as it was. ``progress``: the busy
    window that says so meanwhile (the restore then runs on a thread, so it stays painted)."""
    import getpass

    from PySide6.QtCore import QCoreApplication

    from anran_desktop.paths import evidence_dir
    from anran_desktop.store import StoreError
    from anran_desktop.store.backup import restore_recorded
    from widgets.timefmt import local_time

    actor = f"desktop:{args.restore_by}" if args.restore_by else f"console:{getpass.getuser()}"
    try:
        def job() -> tuple:
            return restore_recorded(args.restore, guard.db_path, evidence_dir(), actor)

        if progress is None:
            summary, kept = job()
        else:
            from anran_desktop.ui.restore_progress import run_showing

            summary, kept = run_showing(job, progress, QCoreApplication.translate("RestoreAction", "正在恢复备份…"))
    except StoreError as exc:
        print(f"anran: error: restore refused: {exc}", file=sys.stderr)
        return False, QCoreApplication.translate("RestoreAction", "恢复失败，数据库未改动：{reason}").format(reason=exc)
    print(f"restored {guard.db_path} from {summary.path} (taken {summary.created_at})"
          + (f"; the database it replaced is kept as {kept}" if kept else ""))
    text = QCoreApplication.translate("RestoreAction", "已从备份恢复（备份时间 {taken}）").format(
        taken=local_time(summary.created_at, "%Y-%m-%d %H:%M"))
    if kept:
        text += QCoreApplication.translate("RestoreAction", "；原数据库保留为 {kept}").format(kept=kept)
    return True, text


def _run(args: argparse.Namespace, app: QApplication, headless: bool, guard: InstanceGuard,
         restored: tuple[bool, str] | None = None) -> int:
    """The window's whole life on the database ``guard`` holds (``restored``: what :func:`_restore` did)."""
    import asyncio

    from PySide6.QtWidgets import QMessageBox

    from anran_desktop.store import StoreError, open_store
    from anran_desktop.ui.instance_guard import bring_to_front

    try:
        store = open_store(guard.db_path)
        from anran_desktop.ui.startup import open_site

        # First run on a real screen: the wizard chooses the network, relay and first users.
        opened = open_site(store, interactive=not headless, demo_site=args.demo_site)
        if opened is None:
            print("anran: first-run set-up was cancelled; nothing was written", file=sys.stderr)
            store.close()
            return 1
        network = opened
    except StoreError as exc:
        print(f"anran: error: {exc}", file=sys.stderr)
        if not headless:
            QMessageBox.critical(None, "安燃云", str(exc))
        return 2
    import qasync

    from anran_desktop.ingest.base import DataSource
    from anran_desktop.ingest.simulator import SimulatorSource
    from anran_desktop.services.live import LivePipeline
    from anran_desktop.services.site_ingest import choose_config, source_for
    from anran_desktop.ui.main_window import MainWindow, Services

    source: DataSource
    src_arg = args.source or "simulator"
    # --ingest, or (with no --source and no drill) the configuration this site keeps.
    ingest = choose_config(store, args.ingest) if args.ingest or (args.source is None and not args.drill_leak) else None
    for line in ingest.errors if ingest else []:
        print(f"anran: ingest configuration refused: {line}", file=sys.stderr)
    for line in ingest.notes if ingest else []:
        print(f"anran: {line}", file=sys.stderr)
    if ingest is not None and ingest.config is not None:
        source = source_for(ingest.config)
    elif src_arg.startswith("csv:"):
        from anran_desktop.ingest.csv_replay import CsvReplaySource

        source = CsvReplaySource(src_arg[4:])
    elif src_arg == "simulator":
        from anran_desktop.services.bootstrap import stored_sim_state

        seed = int(store.setting("sim_seed", "7") or 7)
        try:
            source = SimulatorSource(network, seed=seed, state=stored_sim_state(store))
        except ValueError as exc:  # a damaged stored state: start the feed afresh rather than not at all
            print(f"anran: simulator state not restored ({exc}); the feed starts afresh", file=sys.stderr)
            source = SimulatorSource(network, seed=seed)
        if args.drill_leak:
            import time as _time

            from engine.simulate import parse_leak_spec

            try:
                scheduled = parse_leak_spec(args.drill_leak, network, _time.time())
            except ValueError as exc:
                print(f"anran: error: {exc}", file=sys.stderr)
                return 2
            source.sim.add_leak(scheduled.leak, scheduled.onset_s)
            source.drill = True
            from anran_desktop.drills.record import record_drill_start

            record_drill_start(store, f"模拟泄漏 {scheduled.leak.pipe}", [scheduled.leak.pipe], scheduled.onset_s,
                               scheduled.leak.rate_m3h, network.pipes[scheduled.leak.pipe].area)  # for the report
    else:
        print(f"anran: error: unknown --source '{src_arg}' (simulator or csv:PATH)", file=sys.stderr)
        return 2
    services = Services.create(store, network)
    from anran_desktop.ui.session import signed_in_user

    user = signed_in_user(services.loop.users, args.user, interactive=not headless)
    if user is None:
        store.close()
        return 1
    window = MainWindow(services, user=user)
    if args.window_size:
        window.resize(*args.window_size)
    pipeline = LivePipeline(services.telemetry, source)
    import time as _t

    pipeline.prefill(list(network.sensors), _t.time())
    window.attach_pipeline(pipeline)
    if ingest is not None and ingest.errors:
        from anran_desktop.ui.point_health_view import report_config_errors

        report_config_errors(window, ingest.errors, modal=not headless)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    status = 0

    async def main() -> None:
        nonlocal status
        task = pipeline.start()
        from anran_desktop.ui.sync_status import start_sync

        sync_ctl = start_sync(window, store)  # relay configured: sync on this loop, state in the status bar
        if args.crew:
            from anran_desktop.ui.loop_menus import open_crew_mode

            crew = open_crew_mode(window)
            if args.window_size:  # the crew laptop's screen, as the main window's for a dispatcher
                crew.showNormal()
                crew.resize(*args.window_size)
        else:
            window.show()

        def _front() -> None:  # a second start on this database: the window in use comes forward
            crew_window = getattr(window, "crew_window", None)
            bring_to_front(crew_window if crew_window is not None and crew_window.isVisible() else window)

        guard.raise_requested.connect(_front)
        if restored is not None:  # once shown: a message set earlier is overdrawn by the status bar's own widgets
            from anran_desktop.ui.restore_action import tell_restored

            tell_restored(window, *restored, modal=not headless)
        from anran_desktop.ui.crew_sync import start_crew_tickets  # crew tickets through the relay

        crew_ctl = start_crew_tickets(window, store, sync_ctl, crew_mode=args.crew)
        sensors = [s.id for s in window.view.sensors if s.id in ("PT-04", "PT-05", "FT-IN")]
        window.select_sensors(sensors or [s.id for s in window.view.sensors[:2]])
        if headless:
            await asyncio.sleep(args.screenshot_delay)
            from anran_desktop.ui.screenshot import settle

            await settle(window)  # the first live sample solved into the pressure colours (bounded wait)
            await asyncio.sleep(0.5)
            window.curves.flush()
            shot = getattr(window, "crew_window", None) if args.crew else window
            ok = (shot or window).grab().save(args.screenshot)
            status = 0 if ok else 1
            print(f"screenshot saved to {args.screenshot}" if ok else "could not save the screenshot")
        else:
            closed = asyncio.Event()
            app.lastWindowClosed.connect(closed.set)
            await closed.wait()
        if sync_ctl is not None:
            await sync_ctl.stop()
        if crew_ctl is not None:
            await crew_ctl.stop()
        await pipeline.stop()
        if isinstance(source, SimulatorSource) and not source.drill:
            from anran_desktop.services.bootstrap import save_sim_state

            save_sim_state(store, source.sim.state())  # the next start continues from here
        if task.done() and not task.cancelled() and task.exception():
            print(f"anran: live feed stopped: {task.exception()}", file=sys.stderr)

    with loop:
        loop.run_until_complete(main())
        loop.run_until_complete(loop.shutdown_default_executor())
    # Tear the window down while Qt and Python are both still alive (PySide6 can crash in the
    # interpreter's final garbage collection otherwise).
    window.close()
    window.deleteLater()
    app.processEvents()
    from anran_desktop.ui.workers import wait_for_workers

    wait_for_workers()
    store.close()
    return status


def _guard(db: Path | None, headless: bool, wait_s: float = 0.0,
           progress: RestoreProgress | None = None) -> InstanceGuard | None:
    """The database's one-window lock, or None (told on stderr and on screen) if a window has it open
    (``wait_s``: for that long, as a window that is closing has it; ``progress`` stays painted meanwhile)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from anran_desktop.paths import default_db_path
    from anran_desktop.ui.instance_guard import InstanceGuard, already_open_text, lock_path

    db = (db if db is not None else default_db_path()).expanduser().resolve()
    with contextlib.suppress(OSError):  # if the folder cannot be made, open_store says why
        db.parent.mkdir(parents=True, exist_ok=True)  # the lock file goes beside the database
    guard = InstanceGuard(db)
    if progress is not None:
        from anran_desktop.ui.restore_progress import acquire_showing

        got = acquire_showing(guard, wait_s, progress)
    else:
        got = guard.acquire(wait_ms=int(wait_s * 1000))
    if got:
        if guard.problem:
            print(f"anran: warning: {guard.problem}; a second window on this database would not be refused",
                  file=sys.stderr)
        return guard
    holder = guard.holder()
    raised = guard.ask_holder_to_raise()
    who = "" if holder is None else f" ({holder})"
    print(f"anran: error: {guard.db_path} is already open in another AnRan window{who}; "
          f"{'that window was brought to the front' if raised else 'switch to that window'} — "
          "one database is used by one window at a time"
          + (" (nothing was restored)" if wait_s else "")
          + ("" if raised or holder is None or holder.here else
             f"; if AnRan on {holder.host} has stopped (a power cut), delete {lock_path(guard.db_path)}"),
          file=sys.stderr)
    if progress is not None:
        progress.close()  # not over the message
    if not headless and not raised:
        text = already_open_text(guard.db_path, holder, raised)
        if wait_s:
            text += QCoreApplication.translate("RestoreAction", "备份未恢复。")
        QMessageBox.information(None, "安燃云", text)
    return None
