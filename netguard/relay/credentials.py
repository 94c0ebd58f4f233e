"""The relay's own login, generated once and kept in the keyring (never in a file)."""

from __future__ import annotations

import hmac
import secrets as random

from netguard import secrets

RELAY_USER = "netguard-relay"


def credentials() -> tuple[str, str]:
    """``(user, password)`` for the mail client; the password is made on first use."""
    password = secrets.get_password(RELAY_USER)
    if password is None:
        password = random.token_urlsafe(18)
        secrets.set_password(RELAY_USER, password)
    return RELAY_USER, password


def matches(user: bytes, password: bytes) -> bool:
    """Whether a client's login is the relay's (compared in constant time)."""
    expected_user, expected = credentials()
    same_user = hmac.compare_digest(user, expected_user.encode())
    return hmac.compare_digest(password, expected.encode()) and same_user
