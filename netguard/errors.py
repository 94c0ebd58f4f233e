"""Known errors: things that go wrong in the world, not in NetGuard.

Each carries one calm sentence for the user. Anything that is not a ``KnownError`` is a bug
and is reported as one (CLI: a traceback only with ``--debug``; GUI: the crash dialog).
"""

from __future__ import annotations


class KnownError(Exception):
    """A failure the user can understand and act on; ``str(err)`` is the message."""

    exit_code = 1


class UsageError(KnownError):
    """The command line or an input file was wrong."""

    exit_code = 2


class ConfigError(KnownError):
    """Settings are missing or invalid (no account configured, bad settings.toml, ...)."""


class KeyringError(KnownError):
    """No secure password store is available, or it refused."""


class AuthError(KnownError):
    """The server refused the login. Never retried automatically."""


class NetworkError(KnownError):
    """The server could not be reached, or the connection dropped or timed out."""


class CertificateError(NetworkError):
    """The server's TLS certificate could not be verified."""

    def __init__(self, message: str, fingerprint: str = "") -> None:
        super().__init__(message)
        self.fingerprint = fingerprint


class ServerError(KnownError):
    """The server answered NO or BAD to a command."""


class StoreError(KnownError):
    """The local database could not be opened, migrated or written (disk full, locked, ...)."""


class TemplateError(KnownError):
    """A draft template is broken; the message names its file and line."""


class NotAvailableYet(KnownError):
    """A command whose capability has not landed yet."""


def os_reason(err: OSError) -> str:
    """An OSError in words, without its errno: "permission denied", "no space left on device"."""
    return (err.strerror or type(err).__name__).lower()
