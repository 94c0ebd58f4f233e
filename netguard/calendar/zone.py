"""The user's time zone by its IANA name, and its VTIMEZONE (RFC 5545 §3.6.5) for one year.

The VTIMEZONE is derived from zoneinfo: the year's offset changes become the STANDARD and
DAYLIGHT parts, each repeating yearly on the same weekday of its month ("last Sunday of
March"), which is how every current DST rule is written.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def local_zone() -> str:
    """The IANA name of this machine's zone: ``$TZ``, else /etc/localtime's link, else UTC."""
    for candidate in (os.environ.get("TZ", "").lstrip(":"), _linked_zone()):
        if candidate and _valid(candidate):
            return candidate
    return "UTC"


def _linked_zone() -> str:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""


def _valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def vtimezone(name: str, year: int) -> list[str]:
    """The VTIMEZONE lines for ``name`` as its rules stand in ``year``."""
    zone = ZoneInfo(name)
    changes = _changes(zone, year)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not changes:
        offset = _offset(datetime(year, 1, 1, tzinfo=zone))
        lines += _part("STANDARD", datetime(1970, 1, 1), offset, offset, "")
    for when, before, after in changes:
        kind = "DAYLIGHT" if zone.dst(when) else "STANDARD"
        local = when.astimezone(zone).replace(tzinfo=None) - (after - before)  # wall time before
        lines += _part(kind, local, before, after, _yearly(local))
    return [*lines, "END:VTIMEZONE"]


def _changes(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """The instants (UTC, to the hour) in ``year`` when the offset changes."""
    found = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    previous = _offset(hour.astimezone(zone))
    while hour.year == year:
        hour += timedelta(hours=1)
        now = _offset(hour.astimezone(zone))
        if now != previous:
            found.append((hour.astimezone(zone), previous, now))
            previous = now
    return found


def _offset(when: datetime) -> timedelta:
    offset = when.utcoffset()
    return offset if offset is not None else timedelta(0)


def _part(kind: str, start: datetime, before: timedelta, after: timedelta,
          rule: str) -> list[str]:
    lines = [f"BEGIN:{kind}", f"DTSTART:{start:%Y%m%dT%H%M%S}",
             f"TZOFFSETFROM:{_hhmm(before)}", f"TZOFFSETTO:{_hhmm(after)}"]
    if rule:
        lines.append(rule)
    return [*lines, f"END:{kind}"]


def _yearly(local: datetime) -> str:
    """The yearly rule for the weekday of ``local``'s month: its last, else its n-th."""
    last = (local + timedelta(days=7)).month != local.month
    nth = -1 if last else (local.day - 1) // 7 + 1
    return f"RRULE:FREQ=YEARLY;BYMONTH={local.month};BYDAY={nth}{DAYS[local.weekday()]}"


def _hhmm(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
