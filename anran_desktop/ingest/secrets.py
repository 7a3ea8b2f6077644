"""Where a source's password comes from — never from a log line.

A source may give its password three ways (at most one):

* ``"password_env": "ANRAN_MQTT_PASSWORD"`` — the name of an environment variable;
* ``"password_file": "secrets/mqtt-iot.txt"`` — a file holding only the password (first line), readable
  by the user alone: a file that others may read is refused, one the user's group may read is used with
  a warning (``chmod 600`` fixes both);
* ``"password": "…"`` — plain text in the configuration (accepted with a warning: it is stored wherever the
  configuration is stored).

The configuration keeps the *reference*; the password is read when the source connects (and once when the
configuration is loaded, so a missing variable or an unsafe file is reported at once, naming the field).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class SecretError(ValueError):
    """A password reference that cannot be used; the message names the field (never the password)."""


class HasPassword(Protocol):
    name: str
    password: str | None
    password_env: str | None
    password_file: str | None


def check_file_mode(path: Path, where: str) -> None:
    """Refuse a secrets file others can read or write; warn when the group can read it (POSIX)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SecretError(f"{where}: cannot read {path} ({exc.strerror})") from None
    if os.name != "posix":
        return
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise SecretError(f"{where}: {path} is readable or writable by other users "
                          f"(mode {stat.filemode(mode)}); run: chmod 600 {path}")
    if mode & (stat.S_IRGRP | stat.S_IWGRP):
        log.warning("%s: %s is accessible to its group (mode %s); chmod 600 is safer", where, path,
                    stat.filemode(mode))


def resolve_password(cfg: HasPassword, field_prefix: str = "") -> str | None:
    """The password the configuration refers to (``None`` when it gives none). ``field_prefix`` places
    the field in messages, e.g. ``"sources.0."``."""
    if cfg.password_env:
        value = os.environ.get(cfg.password_env)
        if value is None:
            raise SecretError(f"{field_prefix}password_env (source {cfg.name}): environment variable "
                              f"{cfg.password_env} is not set")
        return value
    if cfg.password_file:
        path = Path(cfg.password_file)
        where = f"{field_prefix}password_file (source {cfg.name})"
        check_file_mode(path, where)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretError(f"{where}: cannot read {path} ({exc})") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise SecretError(f"{where}: {path} is empty")
        return lines[0]
    return cfg.password


def one_reference(password: str | None, password_env: str | None, password_file: str | None) -> None:
    """Validator helper: at most one of the three ways."""
    given = [n for n, v in (("password", password), ("password_env", password_env),
                            ("password_file", password_file)) if v]
    if len(given) > 1:
        raise ValueError(f"give only one of password, password_env, password_file (got {', '.join(given)})")
