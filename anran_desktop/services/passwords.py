"""Password hashing: salted scrypt with the cost written into each hash, so old hashes can be upgraded.

Format ``scrypt$N$r$p$salt_b64$digest_b64``. The cost (N=2^14, r=8, p=5, 16 MiB) is one of OWASP's
scrypt settings of equal strength; it takes about half a second on one core, so it is only run off the GUI
thread. Hashes written before the cost was stored (``scrypt$salt$digest``, N=2^14, r=8, p=1) still verify
and are re-hashed with the current cost at the next successful sign-in (:func:`needs_rehash`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 5
_LEGACY = (2**14, 8, 1)
_MAXMEM = 64 * 1024 * 1024


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    try:
        if len(parts) == 3 and parts[0] == "scrypt":
            return (*_LEGACY, base64.b64decode(parts[1]), base64.b64decode(parts[2]))
        if len(parts) == 6 and parts[0] == "scrypt":
            n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            if n > 2**20 or r > 32 or p > 16:  # a crafted row must not make sign-in hang
                return None
            return n, r, p, base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except ValueError:
        return None
    return None


def check_password(password: str, stored: str | None) -> bool:
    parsed = _parse(stored) if stored else None
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM,
                                              dklen=len(digest)), digest)


def needs_rehash(stored: str | None) -> bool:
    """True for a hash made with a cost other than the current one (e.g. the legacy format)."""
    parsed = _parse(stored) if stored else None
    return parsed is not None and parsed[:3] != (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def is_current_hash(stored: str) -> bool:
    """True for a well-formed hash with the current cost (what :func:`hash_password` makes)."""
    parsed = _parse(stored)
    return parsed is not None and parsed[:3] == (SCRYPT_N, SCRYPT_R, SCRYPT_P)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(os.urandom(8).hex())


def burn_time(password: str) -> None:
    """Spend the time of one check, so an unknown user name answers as slowly as a known one."""
    check_password(password, _dummy_hash())
