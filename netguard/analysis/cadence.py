"""Keep-in-touch cadence (issue 19): the user chooses per contact how often they want to be in
touch; the contact is due when the last exchange either way is older than that. Any exchange
resets it. Stored per contact (``store.people.set_cadence``); the codes are the CLI's."""

from __future__ import annotations

from netguard.analysis.facts import DAY
from netguard.errors import UsageError

CADENCES: dict[str, int] = {"2w": 14, "1m": 30, "3m": 91, "6m": 182, "1y": 365}  # days
NONE = "none"


def parse_cadence(code: str) -> str | None:
    """A cadence code as typed (``1m``, ``none``): the code to store, None for none."""
    cleaned = code.strip().lower()
    if cleaned == NONE:
        return None
    if cleaned not in CADENCES:
        choices = "|".join([*CADENCES, NONE])
        raise UsageError(f"{code!r} is not a cadence; choose one of {choices}")
    return cleaned


def is_due(code: str, last_exchange: int | None, at: int) -> bool:
    """Due when the last exchange either way is more than the cadence ago, or there was none."""
    if last_exchange is None:
        return True
    return at - last_exchange > CADENCES[code] * DAY


def overdue_days(code: str, last_exchange: int | None, at: int) -> int | None:
    """Whole days past the cadence; None without any exchange."""
    if last_exchange is None:
        return None
    return max(0, (at - last_exchange - CADENCES[code] * DAY) // DAY)
