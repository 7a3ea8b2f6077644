"""Build the one-folder AnRan bundle with PyInstaller (Linux and Windows).

    python packaging/build.py                 # -> dist/anran/anran (anran.exe on Windows)
    python packaging/build.py --dist DIR --work DIR

Prints the bundle folder and its size. Nothing is downloaded: everything comes from the venv.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "anran.spec"


def folder_size(path: Path) -> int:
    """Total bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def executable(dist: Path) -> Path:
    """The frozen ``anran`` executable inside a built ``dist`` folder."""
    return dist / "anran" / ("anran.exe" if sys.platform == "win32" else "anran")


def build(dist: Path, work: Path, *, quiet: bool = True) -> Path:
    """Run PyInstaller on the spec; returns the executable. Raises RuntimeError with the log tail on failure."""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=quiet, text=True)
    if proc.returncode != 0:
        tail = "\n".join(((proc.stderr or "") + (proc.stdout or "")).splitlines()[-30:])
        raise RuntimeError(f"PyInstaller failed (exit {proc.returncode}):\n{tail}")
    exe = executable(dist)
    if not exe.exists():
        raise RuntimeError(f"PyInstaller finished but {exe} is missing")
    return exe


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller work folder")
    ap.add_argument("--verbose", action="store_true", help="show PyInstaller's output")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        exe = build(args.dist, args.work, quiet=not args.verbose)
    except RuntimeError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return 1
    size = folder_size(exe.parent)
    print(f"built {exe} in {time.perf_counter() - t0:.0f} s; bundle {size / 1e6:.0f} MB")
    print(f"check it: {exe} --self-test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
