"""The demo's output folder starts clean on every run: a previous run's files are replaced, never mixed.

``DIR`` may be missing, empty, or the output of an earlier ``anran demo`` (it holds the marker file, or —
from runs before the marker — ``demo.db`` and ``relay.db``). Anything else is refused untouched, so
``--out ~`` cannot delete someone's files. The previous run is moved aside first and deleted only after the
new run succeeded; a failed run is removed and the previous one put back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

MARKER = ".anran-demo"


def is_previous_run(out: Path) -> bool:
    return (out / MARKER).is_file() or ((out / "demo.db").is_file() and (out / "relay.db").is_file())


@contextlib.contextmanager
def fresh_out_dir(out: Path) -> Iterator[Path]:
    """Yield ``out`` empty (with the marker); on success the previous run is gone, on failure it is back."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder; choose another --out")
    aside: Path | None = None
    if out.is_dir() and any(out.iterdir()):
        if not is_previous_run(out):
            raise ValueError(f"{out}: the folder is not empty and is not the output of an earlier anran demo; "
                             "choose an empty or new folder for --out (nothing was changed)")
        aside = out.with_name(f".{out.name}.previous-{os.getpid()}")
        if aside.exists():
            shutil.rmtree(aside)
        out.rename(aside)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text("output of anran demo; replaced by the next run into this folder\n",
                                  encoding="utf-8")
        yield out
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        if aside is not None:
            aside.rename(out)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
