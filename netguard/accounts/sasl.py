"""The SASL strings for a bearer token: XOAUTH2 (Google, Microsoft) and OAUTHBEARER (RFC 7628).

A server that refuses the token answers with a JSON challenge; the client ends the exchange with
an empty response (XOAUTH2) or ``\\x01`` (OAUTHBEARER), after which the server says NO / 535.
"""

from __future__ import annotations

from collections.abc import Callable

XOAUTH2 = "XOAUTH2"
OAUTHBEARER = "OAUTHBEARER"
MECHANISMS = (XOAUTH2, OAUTHBEARER)


def initial_response(mechanism: str, user: str, token: str, host: str = "",
                     port: int = 0) -> str:
    """The client's first message for ``mechanism``."""
    if mechanism == XOAUTH2:
        return f"user={user}\x01auth=Bearer {token}\x01\x01"
    where = (f"host={host}\x01" if host else "") + (f"port={port}\x01" if port else "")
    return f"n,a={_gs2_name(user)},\x01{where}auth=Bearer {token}\x01\x01"


def _gs2_name(user: str) -> str:
    return user.replace("=", "=3D").replace(",", "=2C")


def failure_response(mechanism: str) -> str:
    """What ends the exchange after the server's error challenge."""
    return "" if mechanism == XOAUTH2 else "\x01"


def conversation(mechanism: str, first: str) -> Callable[[bytes | None], str]:
    """A stateful SASL callback: ``first`` once, then the failure response to any challenge."""
    answered = False

    def step(_challenge: bytes | None = None) -> str:
        nonlocal answered
        if answered:
            return failure_response(mechanism)
        answered = True
        return first

    return step


def choose(offered: set[str], preferred: str = "") -> str:
    """The mechanism to use: ``preferred`` when offered, else XOAUTH2, else OAUTHBEARER."""
    for mechanism in (preferred, *MECHANISMS):
        if mechanism and mechanism in offered:
            return mechanism
    return preferred or XOAUTH2
