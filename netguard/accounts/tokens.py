"""The refresh token's place in the keyring (service ``netguard``), in pieces.

Windows Credential Manager keeps at most 2,560 bytes a secret and keyring writes UTF-16 there,
so a long refresh token is cut into pieces of at most ``PIECE`` characters under the keys
``"<user> oauth2 refresh 0"``, ``... 1``, ..., with their number under ``"<user> oauth2 refresh"``.
Only the refresh token is kept: access tokens live in memory.
"""

from __future__ import annotations

from netguard import secrets

PIECE = 1200  # 1,200 characters as UTF-16 is 2,400 bytes: under the 2,560-byte limit


def _count_key(user: str) -> str:
    return f"{user} oauth2 refresh"


def _piece_key(user: str, index: int) -> str:
    return f"{user} oauth2 refresh {index}"


def save(user: str, token: str) -> None:
    """Keep ``token`` for ``user``, replacing what was there."""
    pieces = [token[i:i + PIECE] for i in range(0, len(token), PIECE)] or [""]
    old = _count(user)
    for index, piece in enumerate(pieces):
        secrets.set_password(_piece_key(user, index), piece)
    secrets.set_password(_count_key(user), str(len(pieces)))
    for index in range(len(pieces), old):
        secrets.delete_password(_piece_key(user, index))


def load(user: str) -> str | None:
    """The refresh token of ``user``, or None when not signed in (or a piece is missing)."""
    count = _count(user)
    if not count:
        return None
    pieces = [secrets.get_password(_piece_key(user, index)) for index in range(count)]
    if any(piece is None for piece in pieces):
        return None
    return "".join(piece or "" for piece in pieces)


def forget(user: str) -> None:
    """Remove the refresh token of ``user`` (signed out)."""
    for index in range(_count(user)):
        secrets.delete_password(_piece_key(user, index))
    secrets.delete_password(_count_key(user))


def _count(user: str) -> int:
    stored = secrets.get_password(_count_key(user))
    return int(stored) if stored and stored.isdigit() else 0
