"""Logging: module loggers, a rotating file in the profile, an in-memory tail, no secrets."""

from __future__ import annotations

import collections
import contextlib
import logging
import logging.handlers
import re
import sys
from pathlib import Path

from netguard.errors import os_reason
from netguard.terminal import safe
from netguard.texts import language, text

_REDACT = re.compile(
    r"(?i)(\b(?:login|password|pass|auth(?:enticate)?|bearer|client_secret|code_verifier"
    r"|(?:access|refresh|id)_token|code)\b[\"']?\s*[:=]?\s*[\"']?)(\S+(?:\s+\S+)?)"
)
# Tokens that stand on their own: a JWT, or a base64 XOAUTH2 / OAUTHBEARER response.
_TOKEN = re.compile(r"\beyJ[\w-]{8,}\.[\w-]+\.[\w-]*|\b(?:dXNlcj|bixhP|biws)[A-Za-z0-9+/=]{16,}")


class RedactingFilter(logging.Filter):
    """Blanks anything that follows LOGIN / PASSWORD / AUTH / a token's name in a log line,
    and any token that stands on its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _REDACT.search(message) or _TOKEN.search(message):
            message = _REDACT.sub(r"\1[redacted]", message)
            record.msg = _TOKEN.sub("[redacted]", message)
            record.args = None
        return True


class TailHandler(logging.Handler):
    """Keeps the last ``size`` formatted lines for a log view in the app."""

    def __init__(self, size: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


TAIL = TailHandler()


class _SafeFormatter(logging.Formatter):
    """Lines whose control characters (from a subject or a server's answer) are shown as
    U+FFFD: a log read in a terminal (``tail -f``) is not steered by mail (``terminal``)."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record))


class FileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file; if writing it fails later (disk full, permissions changed), one
    warning on stderr and no more file log — never a traceback per line."""

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        logging.getLogger("netguard").removeHandler(self)
        with contextlib.suppress(OSError, ValueError):  # closing a broken file fails too
            self.close()
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        _warn(Path(self.baseFilename), reason)


def _warn(path: Path, reason: str) -> None:
    print(text("errors", language(), "log_unwritable", path=path, reason=reason), file=sys.stderr)


def _file_handler(log_dir: Path) -> list[logging.Handler]:
    """The file handler, or none (with one warning) when the log file cannot be written."""
    path = log_dir / "netguard.log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        return [FileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")]
    except OSError as err:
        _warn(path, os_reason(err))
        return []


def setup(log_dir: Path, debug: bool = False) -> None:
    """Configure the ``netguard`` logger once per process."""
    root = logging.getLogger("netguard")
    if getattr(root, "_netguard_configured", False):
        return
    formatter = _SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [*_file_handler(log_dir), TAIL]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("imapclient").setLevel(logging.WARNING)
    logging.getLogger("imapclient.protocol").setLevel(logging.WARNING)
    root._netguard_configured = True  # type: ignore[attr-defined]
