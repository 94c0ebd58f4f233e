"""Reference times: ``at`` defaults to now; everything compares in UTC epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime


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
