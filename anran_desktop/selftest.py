"""``anran --self-test``: check that this installation (checkout or frozen bundle) really works.

Each check is a small function that raises :class:`CheckFailed` (or any exception) on failure.
Results are printed one per line as ``ok`` or ``FAIL: reason``; the exit status is non-zero if any
check failed. A check whose component is not part of this build fails with
"not available in this build" — it never passes by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.interval import quoted

NOT_AVAILABLE = "not available in this build"


class CheckFailed(RuntimeError):
    """A self-test check found a problem; the message says what."""


@dataclass
class SelfTestContext:
    """State shared between checks (the temporary folder, the opened store, the loaded network)."""

    workdir: Path
    store: Any = None
    network: Any = None
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str
    seconds: float


def _require_module(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise CheckFailed(f"{name}: {NOT_AVAILABLE}") from None
        raise


def check_database(ctx: SelfTestContext) -> str:
    """A new database in a temporary folder opens and is migrated to the newest schema."""
    store_mod = _require_module("anran_desktop.store")
    from anran_desktop.store.db import head_revision, inspect_file

    path = ctx.workdir / "selftest.sqlite3"
    ctx.store = store_mod.open_store(path)
    revision = inspect_file(path)
    head = head_revision()
    if revision != head:
        raise CheckFailed(f"database at revision {revision!r}, expected {head!r}")
    return f"{path.name} created and migrated to {head}"


def check_demo_network(ctx: SelfTestContext) -> str:
    """The bundled demo site loads into the engine model and imports into the database."""
    engine = _require_module("engine")
    from anran_desktop.resources import demo_site_path

    path = demo_site_path()
    if not path.exists():
        raise CheckFailed(f"demo site missing: {path}")
    ctx.network = engine.load_network(path)
    if ctx.store is not None:
        from anran_desktop.store.network_import import import_network

        import_network(ctx.store, path)
    n = ctx.network
    if not n.pipes or not n.sensors:
        raise CheckFailed("the demo network has no pipes or no sensors")
    return f"{len(n.nodes)} nodes, {len(n.pipes)} pipes, {len(n.sensors)} sensors"


def check_solve(ctx: SelfTestContext) -> str:
    """One steady-state solve of the demo network converges with positive pressures."""
    engine = _require_module("engine")
    if ctx.network is None:
        raise CheckFailed("needs the demo network (previous check failed)")
    sol = engine.solve(ctx.network)
    pressures = [float(v) for v in _values(getattr(sol, "pressure_kpa", None) or getattr(sol, "pressures", {}))]
    if not pressures:
        raise CheckFailed("the solution has no node pressures")
    low = min(pressures)
    if not low > 0:
        raise CheckFailed(f"non-positive pressure in the solution ({low:.3f} kPa)")
    iters = getattr(sol, "iterations", None)
    return f"converged{f' in {iters} iterations' if iters is not None else ''}, lowest pressure {low:.2f} kPa"


def _values(obj: Any) -> list[Any]:
    if isinstance(obj, dict):
        return list(obj.values())
    try:
        return list(obj)
    except TypeError:
        return []


def check_localization(ctx: SelfTestContext) -> str:
    """One leak localization: a simulated 30 m³/h leak on the 南区 branch is detected and located."""
    engine = _require_module("engine")
    if ctx.network is None:
        raise CheckFailed("needs the demo network (previous check failed)")
    from engine.simulate import ScheduledLeak, parse_time

    net = ctx.network
    branch = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"]
    pipe = branch[0] if branch else net.pipe_ids()[len(net.pipe_ids()) // 2]
    start = parse_time("2026-11-24T01:00:00Z")
    leak = ScheduledLeak(engine.Leak(pipe, 30.0), start + 1800)
    result = engine.locate(net, engine.simulate(net, 60, leaks=[leak], seed=11, start=start))
    if not result.leak_detected:
        raise CheckFailed(f"a 30 m³/h leak on {pipe} was not detected")
    if pipe not in result.interval_pipes:
        raise CheckFailed(f"the leak on {pipe} is outside the located interval {result.interval_pipes[:5]}")
    return (f"leak on {pipe} detected (onset {result.onset}), interval {len(result.interval_pipes)} pipes / "
            f"{result.interval_length_m:.0f} m at {quoted(result.confidence):.0%}")


#: File-name prefixes of the bundled sample photos under ``resources/samples`` for each reader kind.
SAMPLE_PREFIXES = {"dial": ("gauge", "dial"), "register": ("register", "meter")}


def _sample_photo(kind: str) -> Path:
    from anran_desktop.resources import resource_path

    folder = resource_path("samples")
    if not folder.is_dir():
        raise CheckFailed(f"sample photos: {NOT_AVAILABLE} ({folder} missing)")
    photos = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    for prefix in SAMPLE_PREFIXES[kind]:
        found = [p for p in photos if p.name.lower().startswith(prefix) or p.parent.name.lower().startswith(prefix)]
        if found:
            return found[0]
    raise CheckFailed(f"no bundled {kind} photo under {folder} (names starting with {' or '.join(SAMPLE_PREFIXES[kind])})")


def _read_meter(kind: str) -> str:
    vision = _require_module("vision")
    reader_cls = getattr(vision, "MeterReader", None)
    if reader_cls is None:
        raise CheckFailed(f"vision.MeterReader: {NOT_AVAILABLE}")
    photo = _sample_photo(kind)
    reading = reader_cls().read(photo, kind=kind)
    if reading.value is None:
        reasons = "; ".join(getattr(reading, "reasons", []) or []) or "no value"
        raise CheckFailed(f"{photo.name}: not read ({reasons})")
    from engine.units import reading_text

    review = ", needs review" if getattr(reading, "needs_review", False) else ""
    shown = reading_text(reading.value, getattr(reading, "unit", None))  # as the meter panel words it
    return f"{photo.name} read as {shown} (confidence {reading.confidence:.2f}{review})"


def check_gauge_photo(ctx: SelfTestContext) -> str:
    """A bundled pointer-gauge sample photo is read (vision and OCR models load and run)."""
    return _read_meter("dial")


def check_register_photo(ctx: SelfTestContext) -> str:
    """A bundled drum-register sample photo is read (the OCR recogniser runs)."""
    return _read_meter("register")


def check_window(ctx: SelfTestContext) -> str:
    """The main window is created and shown offscreen (Qt platform plugin, fonts, widgets)."""
    if ctx.store is None or ctx.network is None:
        raise CheckFailed("needs the database and the demo network (previous checks failed)")
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from anran_desktop.ui.app import make_app

    app = make_app()
    from anran_desktop.ui.main_window import MainWindow, Services

    window = MainWindow(Services.create(ctx.store, ctx.network), user="selftest")
    try:
        window.resize(1280, 800)
        window.show()
        for _ in range(5):
            app.processEvents()
        if not window.isVisible():
            raise CheckFailed("the window did not become visible")
        pixmap = window.grab()
        if pixmap.isNull() or pixmap.width() < 100:
            raise CheckFailed("the window could not be rendered")
        platform = app.platformName()
        from anran_desktop.ui.instance_guard import InstanceGuard  # QtNetwork: the one-window lock

        guard = InstanceGuard(Path(ctx.store.path))
        try:
            if not guard.acquire() or guard.problem:
                raise CheckFailed(f"the one-window lock of the database could not be taken {guard.problem}".strip())
        finally:
            guard.release()
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        try:
            from anran_desktop.ui.workers import wait_for_workers

            wait_for_workers()
        except ImportError:
            pass
    return (f"main window {pixmap.width()}×{pixmap.height()} shown on the '{platform}' platform, "
            "one-window lock taken")


CHECKS: tuple[tuple[str, Callable[[SelfTestContext], str]], ...] = (
    ("database opens and migrates", check_database),
    ("demo network loads", check_demo_network),
    ("one solve", check_solve),
    ("one leak localization", check_localization),
    ("gauge photo read", check_gauge_photo),
    ("register photo read", check_register_photo),
    ("window created offscreen", check_window),
)


def run_checks(checks: tuple[tuple[str, Callable[[SelfTestContext], str]], ...] = CHECKS,
               out: Any = None) -> list[CheckResult]:
    """Run ``checks`` in order in a temporary folder, printing one line each; return the results."""
    out = out or sys.stdout
    results: list[CheckResult] = []
    with tempfile.TemporaryDirectory(prefix="anran-selftest-") as tmp:
        ctx = SelfTestContext(Path(tmp))
        try:
            for name, fn in checks:
                t0 = time.perf_counter()
                try:
                    detail = fn(ctx)
                    ok = True
                except Exception as exc:  # noqa: BLE001 — every failure is reported, none escapes
                    ok = False
                    detail = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
                    if os.environ.get("ANRAN_SELFTEST_TRACE"):
                        traceback.print_exc(file=out)
                dt = time.perf_counter() - t0
                results.append(CheckResult(name, ok, detail, dt))
                status = f"ok — {detail}" if ok else f"FAIL: {detail}"
                print(f"{name}: {status} ({dt:.2f} s)", file=out, flush=True)
        finally:
            if ctx.store is not None:
                ctx.store.close()
    return results


def run_self_test() -> int:
    """Entry point of ``anran --self-test``: 0 if every check passed, 1 otherwise."""
    from anran_desktop import __version__

    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "source checkout"
    print(f"安燃云 AnRan {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})")
    results = run_checks()
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)} of {len(results)} checks passed"
          + (f"; failed: {', '.join(r.name for r in failed)}" if failed else ""))
    return 1 if failed else 0
