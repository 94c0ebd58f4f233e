"""Logging: module loggers, a rotating file in the profile, an in-memory tail, no secrets."""

from __future__ import annotations

import collections
import logging
import logging.handlers
import re
from pathlib import Path

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


def setup(log_dir: Path, debug: bool = False) -> None:
    """Configure the ``netguard`` logger once per process."""
    root = logging.getLogger("netguard")
    if getattr(root, "_netguard_configured", False):
        return
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            log_dir / "netguard.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        ),
        TAIL,
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("imapclient").setLevel(logging.WARNING)
    logging.getLogger("imapclient.protocol").setLevel(logging.WARNING)
    root._netguard_configured = True  # type: ignore[attr-defined]
