"""What the tray says, apart from the tray itself (offscreen has no tray: tests read this):
the state of the relay and the Drafts watcher, the tooltip, and the notification for a
message the guard held back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from netguard.gui.i18n import number, t


@dataclass(frozen=True)
class TrayState:
    relay_running: bool = False
    relay_port: int | None = None
    watching_drafts: bool = False
    held: int = 0  # messages held back since the window was last looked at

    def relay_line(self) -> str:
        if not self.relay_running:
            return t("Outbox guard: not running")
        return t("Outbox guard: running on port {port}", port=self.relay_port or "?")

    def watcher_line(self) -> str:
        return (t("Drafts watcher: checking every minute") if self.watching_drafts
                else t("Drafts watcher: off"))

    def tooltip(self) -> str:
        lines = ["NetGuard", self.relay_line(), self.watcher_line()]
        if self.held:
            lines.append(t("{n} held back: open NetGuard to decide", n=number(self.held)))
        return "\n".join(lines)


def held_message(name: str, followups: int, window_days: int,
                 buttons: bool = False) -> tuple[str, str]:
    """Title and text of the notification when the guard holds a message back; ``buttons``:
    the notification itself offers *Allow once* and *Close the loop instead*."""
    if buttons:
        body = t("It would be follow-up number {next} within {days} days. Your mail client still "
                 "has the message: allow it once, or close the loop instead.",
                 next=followups + 1, days=window_days)
    else:
        body = t("It would be follow-up number {next} within {days} days. Open NetGuard to allow "
                 "it once or to close the loop instead.", next=followups + 1, days=window_days)
    return t("NetGuard held back a message to {name}", name=name), body


NO_TRAY = ("This desktop has no system tray, so NetGuard stays open as a minimised window to "
           "keep guarding. Closing the window stops the guard.")


def review_due(now: datetime, day: int, start: time, last_shown: date | None) -> bool:
    """Whether to remind of the weekly review now: on its day, from its hour, once that day."""
    return now.weekday() == day and now.time() >= start and last_shown != now.date()


def review_message(count: int) -> tuple[str, str]:
    return (t("Your networking hour"),
            t("{n} things are worth your time this week. Click to see them.", n=number(count))
            if count else t("Nothing asks for your attention this week. Well kept!"))
