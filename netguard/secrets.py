"""Passwords behind one small interface over ``keyring`` (service ``netguard``).

No secure backend means a clear ``KeyringError`` with the fix — never a silent fallback to a
plain-text file. A backend the user chose explicitly (``PYTHON_KEYRING_BACKEND`` or a
keyringrc) is honoured, with a notice when it does not encrypt.
"""

from __future__ import annotations

import logging
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

from netguard.deferred import defer
from netguard.errors import KeyringError
from netguard.texts import language, text

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "netguard"
log = logging.getLogger(__name__)

NO_BACKEND = (
    "No secure password store is available, so NetGuard cannot keep your password. "
    "Install and unlock a Secret Service (GNOME Keyring or KWallet) and try again, "
    "or choose a keyring backend yourself with PYTHON_KEYRING_BACKEND or a keyringrc file."
)


# What keyring's own imports bring and a password lookup never uses (netguard.deferred).
_UNUSED_BY_KEYRING = ("urllib.request", "importlib_metadata", "more_itertools")
# keyring reads a keyringrc with configparser only when the environment chose no backend.
_USED_WITHOUT_A_CHOICE = ("configparser",)
# Elsewhere than on macOS, keyring's macOS backend says "macOS required" before it looks at its
# Security framework module, whose import looks for the framework with ldconfig and gcc
# (ctypes.util.find_library, some 60 ms of every backend search on Linux).
_UNUSED_OFF_MACOS = ("keyring.backends.macOS.api",)


def _keyring() -> ModuleType:
    """keyring, imported when a password is first needed: commands that need none (and a
    sync before its connection is set up) do not pay for it (issue 18)."""
    defer(*_UNUSED_BY_KEYRING, *_USED_WITHOUT_A_CHOICE)
    if sys.platform != "darwin":
        defer(*_UNUSED_OFF_MACOS)
    import keyring.core
    import keyring.errors

    return keyring


def _explicitly_chosen() -> bool:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    try:
        return _keyring().core.load_config() is not None
    except Exception:  # a broken keyringrc is keyring's business; treat it as not chosen
        return False


def _is_plaintext(backend: KeyringBackend) -> bool:
    name = type(backend).__name__.lower()
    unencrypted = getattr(backend, "encrypted", True) is False
    return "plaintext" in name or "uncrypted" in name or unencrypted


def backend() -> KeyringBackend:
    """The keyring backend NetGuard may use, or a ``KeyringError`` saying why there is none."""
    from keyring.backends import fail

    chosen = _loaded()
    if isinstance(chosen, fail.Keyring):
        raise KeyringError(NO_BACKEND)
    if _is_plaintext(chosen):
        if not _explicitly_chosen():
            raise KeyringError(NO_BACKEND + f" (Found only {type(chosen).__name__}, which "
                               "stores passwords unencrypted; NetGuard will not pick it itself.)")
        log.warning("The keyring backend %s you chose does not encrypt passwords.",
                    type(chosen).__name__)
    return chosen


def _loaded() -> KeyringBackend:
    """keyring's backend; a ``PYTHON_KEYRING_BACKEND`` that is empty or names a module that is
    not there makes keyring raise ValueError / ImportError: say so, with the fix."""
    try:
        return _keyring().get_keyring()  # type: ignore[no-any-return]
    except (ValueError, ImportError, AttributeError) as err:
        value = os.environ.get("PYTHON_KEYRING_BACKEND", "")
        raise KeyringError(text("errors", language(), "keyring_backend", value=repr(value),
                                reason=err)) from None


def get_password(user: str) -> str | None:
    errors = _keyring().errors
    try:
        return backend().get_password(SERVICE, user)
    except errors.KeyringError as err:
        raise KeyringError(f"The password store refused to give the password: {err}") from None


def set_password(user: str, password: str) -> None:
    errors = _keyring().errors
    try:
        backend().set_password(SERVICE, user, password)
    except errors.KeyringError as err:
        raise KeyringError(f"The password store refused to keep the password: {err}") from None


def delete_password(user: str) -> None:
    errors = _keyring().errors
    try:
        backend().delete_password(SERVICE, user)
    except errors.PasswordDeleteError:
        pass
    except errors.KeyringError as err:
        raise KeyringError(f"The password store refused to delete the password: {err}") from None


def require_password(user: str) -> str:
    password = get_password(user)
    if password is None:
        raise KeyringError(f"No password for {user} in the keyring. "
                           "Run `netguard account set ...` to store it.")
    return password
