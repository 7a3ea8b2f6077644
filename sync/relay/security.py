"""Hashing of secrets and bearer tokens for the relay."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time

import jwt

ROLES = ("resident", "dispatcher", "crew", "property_manager")


def token_digest(token: str) -> str:
    """SHA-256 of a high-entropy token (site tokens, household codes) for lookup at rest."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """scrypt(n=2**14, r=8, p=1) with a random salt, as ``scrypt$salt$hash``."""
    salt = os.urandom(16)
    dk = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(dk).decode()


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt_b64, dk_b64 = stored.split("$")
        dk = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt_b64), n=2**14, r=8, p=1, dklen=32)
        return hmac.compare_digest(dk, base64.b64decode(dk_b64))
    except (ValueError, TypeError):
        return False


def issue_token(secret: str, account_id: int, role: str, ttl_s: int = 3600) -> tuple[str, int]:
    exp = int(time.time()) + ttl_s
    return jwt.encode({"sub": str(account_id), "role": role, "exp": exp}, secret, algorithm="HS256"), exp


def read_token(secret: str, token: str) -> dict | None:
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
