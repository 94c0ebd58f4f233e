"""Reference times: ``at`` defaults to now; everything compares in UTC epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime

from netguard.errors import UsageError


def reference(at: datetime | None) -> datetime:
    """``at`` as an aware UTC datetime (a naive one is taken as UTC); now when None."""
    if at is None:
        return datetime.now(UTC)
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def epoch(at: datetime) -> int:
    return int(at.timestamp())


def utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def from_epoch(seconds: int | None) -> datetime | None:
    return None if seconds is None else utc(seconds)


def parse_iso(text: str | None) -> datetime | None:
    """``--at``: ISO 8601; without an offset it is the user's local time. None stays None."""
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as err:
        example = "2026-11-20T09:30+01:00"
        raise UsageError(f"--at {text!r} is not an ISO 8601 time (e.g. {example})") from err
    return reference(parsed if parsed.tzinfo else parsed.astimezone())
