"""The crew laptop's relay sign-in: relay URL, relay user and password (crew mode's 中继设置 dialog).

Where each part goes:

* the relay URL → the ``relay_url`` setting (as the first-run wizard stores it; ``site.ini`` is the
  installer's fallback);
* the relay user → the ``crew_relay_user`` setting (empty: the signed-in user's name);
* the password → never the database: a file ``crew-relay-password`` in the user's configuration folder
  (``paths.config_dir()``), created with mode 600 and replaced atomically, named by the
  ``crew_password_file`` setting — the same secrets-file rule as data-source passwords
  (``ingest/secrets.py``: a file others may read is refused when it is read). ``ANRAN_CREW_PASSWORD``
  still takes precedence. The project has no OS keyring dependency; a site that wants one can point
  ``crew_password_file`` at a file on an encrypted volume.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from anran_desktop.install_config import validate_relay_url
from anran_desktop.store import Store

USER_SETTING = "crew_relay_user"
PASSWORD_FILE_SETTING = "crew_password_file"
PASSWORD_FILE_NAME = "crew-relay-password"


@dataclass(frozen=True)
class CrewCredentials:
    url: str
    user: str
    password: str


def check(url: str, user: str, password: str) -> CrewCredentials:
    """The three fields checked; ValueError names the field that is wrong."""
    url = validate_relay_url(url)  # says what is wrong with the URL
    user = user.strip()
    if not user:
        raise ValueError("relay user: empty")
    if not password or "\n" in password or "\r" in password:
        raise ValueError("relay password: empty or more than one line")
    return CrewCredentials(url, user, password)


def write_secret_file(path: Path, secret: str) -> None:
    """Write ``secret`` (one line) to ``path`` readable by its owner only, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # an older .tmp left with other bits
        os.write(fd, (secret + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def save(store: Store, creds: CrewCredentials, directory: Path | None = None) -> Path:
    """Store the URL and user as settings and the password in its own file; returns the file's path."""
    if directory is None:
        from anran_desktop.paths import config_dir

        directory = config_dir()
    path = directory / PASSWORD_FILE_NAME
    write_secret_file(path, creds.password)
    store.set_setting("relay_url", creds.url)
    store.set_setting(USER_SETTING, creds.user)
    store.set_setting(PASSWORD_FILE_SETTING, str(path))
    return path


def relay_user(store: Store, signed_in: str) -> str:
    return store.setting(USER_SETTING) or signed_in


async def try_connection(creds: CrewCredentials) -> int:
    """Sign in to the relay as the crew member and read my tickets; returns how many. Raises
    ``RelayCallError`` saying what failed (unreachable, wrong password, not a crew account)."""
    from sync.crew_client import CrewRelayClient

    client = CrewRelayClient(creds.url, creds.user, creds.password, timeout_s=8.0)
    try:
        return len(await client.my_tickets())
    finally:
        await client.aclose()
