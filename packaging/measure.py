"""Measure the frozen bundle: size on disk and start-up time to a shown main window (offscreen).

    python packaging/measure.py [--dist DIR] [--runs 5] [--build]

Writes the "packaging" section of docs/benchmarks.md through benchmarks/report.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from build import build, executable, folder_size  # noqa: E402


def startup_seconds(exe: Path, home: Path) -> float:
    """Seconds from launching ``anran app --screenshot`` until the shown window was saved (0 s delay)."""
    shot = home / "start.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANRAN_HOME": str(home)}
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), "app", "--screenshot", str(shot), "--screenshot-delay", "0"],
                          env=env, capture_output=True, text=True, timeout=600)
    dt = time.perf_counter() - t0
    if proc.returncode != 0 or not shot.exists():
        raise RuntimeError(f"frozen app did not show its window: {proc.stderr[-2000:]}")
    shot.unlink()
    return dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", action="store_true", help="build first (timed)")
    args = ap.parse_args(argv)
    build_s = None
    if args.build:
        t0 = time.perf_counter()
        build(args.dist, ROOT / "build" / "pyinstaller")
        build_s = time.perf_counter() - t0
    exe = executable(args.dist)
    size = folder_size(exe.parent)
    files = sum(1 for p in exe.parent.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        first = startup_seconds(exe, home)  # first run: creates the database, imports the demo site
        warm = [startup_seconds(exe, home) for _ in range(args.runs)]
    t0 = time.perf_counter()
    subprocess.run([str(exe), "--version"], capture_output=True, timeout=120, check=True)
    version_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    st = subprocess.run([str(exe), "--self-test"], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                        capture_output=True, text=True, timeout=600)
    selftest_s = time.perf_counter() - t0

    from benchmarks.report import markdown_table, write_section

    rows = [["bundle size (one folder)", f"{size / 1e6:.0f} MB ({files} files)"],
            ["start-up to shown window, first run (DB created, demo site imported + 24 h history)",
             f"{first:.1f} s"],
            [f"start-up to shown window, later runs (median of {len(warm)})", f"{statistics.median(warm):.2f} s"],
            ["frozen `anran --version` (bootloader + interpreter, no Qt)", f"{version_s:.2f} s"],
            ["frozen --self-test", f"{selftest_s:.1f} s, exit {st.returncode}"]]
    if build_s is not None:
        rows.append(["build time (PyInstaller, clean)", f"{build_s:.0f} s"])
    load = f" (1-minute load average {os.getloadavg()[0]:.1f} at the end)" if hasattr(os, "getloadavg") else ""
    md = (markdown_table(["measure", "value"], rows)
          + f"\n\n{sys.platform}, {os.cpu_count()} cores shared with other work{load}; start-up is wall time of "
          "`anran app --screenshot FILE --screenshot-delay 0` (offscreen), i.e. process start to the window "
          "shown and grabbed, then exit. That includes a fixed 1.5 s wait of the screenshot mode (live feed "
          "settling before the grab) and the orderly shutdown, so the window itself is up about 1.5 s earlier. "
          "The first run is dominated by the demo site's 24 h history backfill (`ensure_demo_site`).\n")
    if st.returncode != 0:
        failed = [ln for ln in st.stdout.splitlines() if ": FAIL: " in ln]
        md += "\nFrozen self-test failures: " + "; ".join(f"`{ln}`" for ln in failed) + "\n"
    write_section("packaging", "Installer bundle: size and frozen start-up", "python packaging/measure.py --build",
                  md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
