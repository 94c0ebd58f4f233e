"""The networking hour as an iCalendar file (RFC 5545), written by hand: one VEVENT repeating
weekly (RRULE) at the day and time the user picks, in their time zone (with its VTIMEZONE),
carrying this week's review as its description. Its UID is stable per profile, so importing
a newer file updates the event instead of adding a second one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from netguard.calendar.zone import DAYS, vtimezone
from netguard.errors import UsageError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FOLD_AT = 75  # octets per line (RFC 5545 §3.1)


@dataclass(frozen=True, slots=True)
class NetworkingHour:
    day: int  # 0 = Monday
    start: time
    zone: str  # IANA name
    uid: str
    summary: str
    description: str
    minutes: int = 60


def parse_day(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in DAY_NAMES:
        raise UsageError(f"--day {text!r}: choose one of {', '.join(DAY_NAMES)}")
    return DAY_NAMES.index(key)


def parse_time(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError as err:
        raise UsageError(f"--time {text!r} is not a time such as 09:00") from err


def first_start(hour: NetworkingHour, at: datetime) -> datetime:
    """The first occurrence at or after ``at``, as wall time in the hour's zone."""
    local = at.astimezone(ZoneInfo(hour.zone))
    ahead = (hour.day - local.weekday()) % 7
    start = datetime.combine(local.date() + timedelta(days=ahead), hour.start)
    if start <= local.replace(tzinfo=None):
        start += timedelta(days=7)
    return start


def to_ics(hour: NetworkingHour, at: datetime) -> str:
    """The calendar as text with CRLF line ends, folded at 75 octets."""
    start = first_start(hour, at)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//NetGuard//Networking hour//EN",
             "CALSCALE:GREGORIAN", *vtimezone(hour.zone, start.year),
             "BEGIN:VEVENT", f"UID:{hour.uid}",
             f"DTSTAMP:{at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
             f"DTSTART;TZID={hour.zone}:{start:%Y%m%dT%H%M%S}",
             f"DURATION:PT{hour.minutes // 60}H{hour.minutes % 60}M",
             f"RRULE:FREQ=WEEKLY;BYDAY={DAYS[hour.day]}",
             f"SUMMARY:{escape(hour.summary)}", f"DESCRIPTION:{escape(hour.description)}",
             "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def escape(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks (a lone
    carriage return too: it would end the line); the other control characters TEXT may not
    hold (a name from mail can) are shown as U+FFFD."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", value).replace("\n", "\\n")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # RFC 5545 CONTROL, but HTAB and LF


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space; never inside a
    UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, FOLD_AT - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
