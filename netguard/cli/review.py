"""`netguard review [--at ISO] [--json] [--calendar FILE.ics [--day mon..sun] [--time HH:MM]]
[--publish]`: the weekly networking review, and the networking hour as a calendar event, in a
file or published to the CalDAV calendar of `netguard calendar set`."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from netguard import secrets
from netguard.analysis.clock import parse_iso
from netguard.analysis.review import SHOWN, Review, build_review, review_to_json
from netguard.calendar.caldav import Target, keyring_key, publish
from netguard.calendar.ics import DAY_NAMES, NetworkingHour, parse_day, parse_time, to_ics
from netguard.calendar.zone import local_zone
from netguard.cli.output import print_json
from netguard.errors import ConfigError
from netguard.texts import language, number, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("review", help="the weekly networking review")
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--all", action="store_true",
                        help=f"every item (without it: the first {SHOWN}, and how many more)")
    parser.add_argument("--calendar", metavar="FILE.ics",
                        help="write the weekly networking hour as a calendar file")
    parser.add_argument("--day", help=f"{'|'.join(DAY_NAMES)} (default: the settings', mon)")
    parser.add_argument("--time", help="HH:MM, local time (default: the settings', 09:00)")
    parser.add_argument("--publish", action="store_true",
                        help="put the networking hour in the CalDAV calendar (calendar set)")
    parser.set_defaults(run=run_review)


def run_review(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    review = build_review(workspace.store, workspace.settings.rules, parse_iso(args.at), lang)
    if args.calendar or args.publish:
        hour = networking_hour(args, workspace, review, lang)
        if args.calendar:
            write_calendar(args.calendar, hour, review, lang)
        if args.publish:
            publish_hour(workspace, hour, review, lang)
    elif args.json:
        print_json(review_to_json(review))
    else:
        print(render(review, lang, None if args.all else SHOWN))
    return 0


def networking_hour(args: argparse.Namespace, workspace: Workspace, review: Review,
                    lang: str) -> NetworkingHour:
    """The weekly event at ``--day`` and ``--time`` with this week's review in it."""
    chosen = workspace.settings.calendar
    return NetworkingHour(
        day=parse_day(args.day or chosen.day), start=parse_time(args.time or chosen.time),
        zone=local_zone(),
        uid=networking_hour_uid(workspace.profile.data_dir),
        summary=text("review", lang, "calendar_summary"),
        description=render(review, lang, SHOWN))


def write_calendar(target: str, hour: NetworkingHour, review: Review, lang: str) -> None:
    """The networking hour as an .ics file any calendar imports."""
    path = Path(target).expanduser()
    path.write_text(to_ics(hour, review.at), encoding="utf-8", newline="")
    print(text("review", lang, "calendar_written", path=path, **_when(hour, lang)))


def publish_hour(workspace: Workspace, hour: NetworkingHour, review: Review,
                 lang: str) -> None:
    """The networking hour in the CalDAV calendar: created once, replaced every week after."""
    chosen = workspace.settings.calendar
    if not (chosen.url and chosen.user):
        raise ConfigError(text("review", lang, "calendar_missing"))
    password = secrets.require_password(keyring_key(chosen.url, chosen.user))
    target = Target(chosen.url, chosen.user, password, chosen.ca_file)
    created = publish(target, hour.uid, to_ics(hour, review.at))
    print(text("review", lang, "published_new" if created else "published_updated",
               url=chosen.url, **_when(hour, lang)))


def _when(hour: NetworkingHour, lang: str) -> dict[str, str]:
    return {"day": text("review", lang, f"day_{DAY_NAMES[hour.day]}"),
            "time": hour.start.strftime("%H:%M"), "zone": hour.zone}


def networking_hour_uid(profile_dir: Path) -> str:
    """One UID per profile: a new export updates the event in the calendar, never adds one."""
    digest = hashlib.sha256(str(profile_dir.resolve()).encode()).hexdigest()[:16]
    return f"networking-hour-{digest}@netguard"


def render(review: Review, lang: str, shown: int | None = None) -> str:
    """The terminal view: numbered items (the first ``shown``; None: all), each with its reason
    and the draft to start from, then how many more there are."""
    if not review.items:
        return text("review", lang, "empty")
    lines = [text("review", lang, "heading", date=review.at.date().isoformat(),
                  count=number(len(review.items), lang))]
    for place, item in enumerate(review.items[:shown], 1):
        who = f"{item.name} <{item.address}>" if item.name else item.address
        lines += ["", f"{place}. {text('review', lang, f'kind_{item.kind}')}: {who}",
                  f"   {item.reason}"]
        if item.template:
            command = f"netguard draft --to {item.address} --template {item.template}"
            lines.append("   " + text("review", lang, "template", command=command))
    if shown is not None and (more := len(review.items) - shown) > 0:
        lines += ["", text("review", lang, "more", count=number(more, lang))]
    return "\n".join(lines)
