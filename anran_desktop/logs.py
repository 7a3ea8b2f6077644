"""Logging set-up: a rotating log file in the user's log folder, plus the console.

The file lives under :func:`anran_desktop.paths.logs_dir` (never next to the executable), rotates at
``max_bytes`` and keeps ``backups`` old files. Call :func:`setup_logging` once at start-up.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FILE_NAME = "anran.log"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_MARK = "_anran_handler"


def setup_logging(level: int | str | None = None, *, console: bool = True, max_bytes: int = 2_000_000,
                  backups: int = 5, log_dir: Path | None = None) -> Path:
    """Configure the root logger; returns the path of the log file.

    ``level`` defaults to ``ANRAN_LOG_LEVEL`` or INFO. Calling it again replaces AnRan's own handlers
    (no duplicated lines) and leaves handlers installed by others (pytest, embedding apps) alone.
    Times in the file are UTC ISO 8601.
    """
    if max_bytes <= 0 or backups < 1:
        raise ValueError("max_bytes must be positive and backups at least 1")
    level = level if level is not None else os.environ.get("ANRAN_LOG_LEVEL", "INFO")
    if isinstance(level, str):
        resolved = logging.getLevelName(level.upper())
        if not isinstance(resolved, int):
            raise ValueError(f"unknown log level '{level}' (DEBUG, INFO, WARNING, ERROR)")
        level = resolved
    if log_dir is None:
        from anran_desktop.paths import logs_dir

        log_dir = logs_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME

    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()

    formatter = logging.Formatter(FORMAT, datefmt="%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = __import__("time").gmtime
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                        encoding="utf-8", delay=True)
    file_handler.setFormatter(formatter)
    setattr(file_handler, _MARK, True)
    root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(max(level, logging.WARNING))
        setattr(stream, _MARK, True)
        root.addHandler(stream)
    root.setLevel(level)
    logging.captureWarnings(True)
    return path
