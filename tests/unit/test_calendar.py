"""The networking hour as an .ics file (issue 19): parsed back with ``icalendar`` it carries
the weekly RRULE, the time zone and this week's review; folding, escaping, the first start,
and `netguard review --calendar`."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from netguard.calendar.ics import (
    NetworkingHour,
    escape,
    first_start,
    fold,
    parse_day,
    parse_time,
    to_ics,
)
from netguard.calendar.zone import vtimezone
from netguard.cli.main import main
from netguard.demo_mailbox import DEMO_AT, load_demo
from netguard.errors import UsageError
from netguard.paths import Profile
from netguard.store import open_store

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday
REVIEW = "This week: 2 things.\n\n1. Give back: Zoë Janssen; a thank-you, a useful intro"


def hour(zone: str = "Europe/Amsterdam", day: int = 0, start: time = time(9, 0)) -> NetworkingHour:
    return NetworkingHour(day=day, start=start, zone=zone, uid="networking-hour-x@netguard",
                          summary="Networking hour", description=REVIEW)


def parsed(text: str):  # type: ignore[no-untyped-def]
    icalendar = pytest.importorskip("icalendar")  # a test dependency (pyproject: test)
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_ics_parses_back_with_rrule_zone_and_review() -> None:
    calendar, event = parsed(to_ics(hour(), AT))
    assert str(event["UID"]) == "networking-hour-x@netguard"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["MO"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Amsterdam"
    assert (start.weekday(), start.hour, start.minute) == (0, 9, 0)
    assert start.date().isoformat() == "2026-11-23"  # the Monday after the Friday
    assert start.utcoffset() == timedelta(hours=1)  # winter time in Amsterdam
    assert str(event["DESCRIPTION"]) == REVIEW  # commas, semicolons and lines survive
    assert event.decoded("DURATION") == timedelta(hours=1)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"


def test_the_vtimezone_knows_summer_time() -> None:
    lines = vtimezone("Europe/Amsterdam", 2027)
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in lines
    assert "DTSTART:20270328T020000" in lines and "DTSTART:20271031T030000" in lines
    summer = to_ics(hour(), datetime(2027, 6, 1, tzinfo=UTC))
    _, event = parsed(summer)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Los_Angeles",
                                  "Pacific/Auckland"])
def test_other_zones_parse_with_their_offset(zone: str) -> None:
    _, event = parsed(to_ics(hour(zone, day=2, start=time(17, 30)), AT))
    start = event.decoded("DTSTART")
    assert (start.weekday(), start.hour, start.minute) == (2, 17, 30)
    from zoneinfo import ZoneInfo
    assert start.utcoffset() == start.replace(tzinfo=ZoneInfo(zone)).utcoffset()


def test_lines_fold_at_75_octets_never_inside_a_character() -> None:
    line = "DESCRIPTION:" + "ë" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(p.removeprefix(" ") for p in pieces) == line
    assert all("\n" not in p for p in to_ics(hour(), AT).split("\r\n"))


def test_escape() -> None:
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    # a name from mail: a lone CR would end the line (and start a property of its own)
    assert escape("Evil\x1b[2J\rATTENDEE:x\tok\x7f") == "Evil\ufffd[2J\\nATTENDEE:x\tok\ufffd"


def test_first_start_today_before_and_after_the_hour() -> None:
    friday = hour(day=4, start=time(17, 0))
    assert first_start(friday, AT) == datetime(2026, 11, 20, 17, 0)  # 16:00 there: later today
    assert first_start(hour(day=4, start=time(9, 0)), AT) == datetime(2026, 11, 27, 9, 0)


def test_day_and_time_arguments() -> None:
    assert parse_day("Wed") == 2 and parse_day("sun") == 6
    assert parse_time("7:05") == time(7, 5)
    with pytest.raises(UsageError):
        parse_day("someday")
    with pytest.raises(UsageError):
        parse_time("25:00")


def test_review_calendar_writes_the_file(home: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    load_demo(conn)
    conn.close()
    target = tmp_path / "hour.ics"
    argv = ["review", "--at", DEMO_AT.isoformat(), "--calendar", str(target), "--day", "tue",
            "--time", "08:30"]
    assert main(argv) == 0
    assert "every Tuesday at 08:30 (Europe/Amsterdam)" in capsys.readouterr().out
    _, event = parsed(target.read_text(encoding="utf-8"))
    assert event["RRULE"]["BYDAY"] == ["TU"]
    assert "Eva Smit" in str(event["DESCRIPTION"])
    first_uid = str(event["UID"])
    assert main(argv) == 0  # a second export: the same event, not another one
    _, again = parsed(target.read_text(encoding="utf-8"))
    assert str(again["UID"]) == first_uid
    assert main(["review", "--calendar", str(target), "--day", "someday"]) == 2
