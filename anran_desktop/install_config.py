"""The machine-wide site configuration written by the installer (relay URL and site token).

The Windows installer (``packaging/windows/anran.iss``) writes an INI file, also in silent campus
roll-outs (``/RELAYURL=... /SITETOKEN=...``)::

    [relay]
    url = https://relay.example.cn
    site_token = ...

Where it is read from, first found wins:

1. ``ANRAN_SITE_CONFIG`` (a file path; tests and portable installs),
2. Windows: ``%PROGRAMDATA%\\AnRan\\site.ini`` (Inno Setup's ``{commonappdata}\\AnRan``),
   elsewhere: ``/etc/anran/site.ini``.

No Qt here: the store, the relay client and the first-run wizard all read it.
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

FILE_NAME = "site.ini"


class InstallConfigError(ValueError):
    """The site configuration file exists but is unusable; the message names the file and the key."""


@dataclass(frozen=True)
class InstallConfig:
    """What the installer configured for this machine."""

    relay_url: str | None
    site_token: str | None
    source: Path


def machine_config_path() -> Path:
    """Where the installer writes the site configuration on this platform."""
    override = os.environ.get("ANRAN_SITE_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or os.environ.get("ALLUSERSPROFILE") or r"C:\ProgramData"
        return Path(base) / "AnRan" / FILE_NAME
    return Path("/etc/anran") / FILE_NAME


def validate_relay_url(url: str) -> str:
    """Return the URL without trailing slash, or raise ValueError saying what is wrong with it."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"relay URL '{url}' must start with https:// (or http:// on a test network)")
    if not parts.hostname:
        raise ValueError(f"relay URL '{url}' has no host name")
    if parts.query or parts.fragment:
        raise ValueError(f"relay URL '{url}' must not have a query or fragment")
    return url.rstrip("/")


def validate_site_token(token: str) -> str:
    """Return the token stripped, or raise ValueError (empty, whitespace or control characters inside)."""
    token = token.strip()
    if not token:
        raise ValueError("the site token is empty")
    if any(ch.isspace() or ord(ch) < 32 for ch in token):
        raise ValueError("the site token must not contain spaces or control characters")
    if len(token) > 4096:
        raise ValueError("the site token is longer than 4096 characters")
    return token


def parse_install_config(text: str, source: Path) -> InstallConfig:
    """Parse the INI text; raises :class:`InstallConfigError` naming ``source`` and the bad key."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(source))
    except configparser.Error as exc:
        raise InstallConfigError(f"{source}: not a valid INI file ({exc.message.splitlines()[0]})") from None
    section = parser["relay"] if parser.has_section("relay") else {}
    url = (section.get("url") or "").strip() or None
    token = (section.get("site_token") or "").strip() or None
    try:
        if url is not None:
            url = validate_relay_url(url)
        if token is not None:
            token = validate_site_token(token)
    except ValueError as exc:
        raise InstallConfigError(f"{source}: [relay] {exc}") from None
    return InstallConfig(url, token, source)


def read_install_config(path: Path | None = None) -> InstallConfig | None:
    """The machine's site configuration, or ``None`` when the installer wrote none."""
    path = path or machine_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InstallConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")  # Inno Setup may write a BOM
    except UnicodeDecodeError:
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InstallConfigError(f"{path}: not UTF-8 or UTF-16 text") from None
    return parse_install_config(text, path)
