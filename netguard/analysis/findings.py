"""Turning a rule's observation into a ``Finding`` with its sentences in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from netguard.analysis.facts import ContactFacts
from netguard.analysis.history import Event
from netguard.analysis.model import Finding, Severity
from netguard.terminal import safe
from netguard.texts import text


def make_finding(
    rule: str,
    pitfall: int,
    facts: ContactFacts,
    severity: Severity,
    lang: str,
    *,
    evidence: Iterable[Event] = (),
    message_key: str = "message",
    advice_key: str = "advice",
    **values: object,
) -> Finding:
    """A finding whose message and advice come from ``resources/texts/guard.<lang>.toml``."""
    name = display_name(facts.name, facts.address)
    first = first_name(facts.name) or name
    return Finding(
        pitfall=pitfall,
        rule=rule,
        contact=facts.address,
        severity=severity,
        message=text("guard", lang, f"{rule}_{message_key}", name=name, first=first, **values),
        advice=text("guard", lang, f"{rule}_{advice_key}", name=name, first=first, **values),
        evidence=tuple(e.message_id for e in evidence),
    )


def display_name(name: str, address: str) -> str:
    """The contact's name for a sentence: the display name, else the address. A directory's
    "Jansen, Lotte" reads "Lotte Jansen" ("You and Lotte Jansen used to write each other"). Its
    control characters and bidirectional overrides show as U+FFFD (``terminal.safe``): an
    override in a name would turn the rest of the sentence around, in the app too."""
    return safe(in_order(name.strip())) or address


def in_order(name: str) -> str:
    """"Jansen, Lotte" -> "Lotte Jansen"; a suffix after the comma ("King, Jr.", "Acme, Inc.")
    stays where it is, as does anything with more than one comma or an address in it."""
    last, comma, first = name.partition(",")
    last, first = last.strip(), first.strip()
    if not comma or not last or not first or "," in first or "@" in name:
        return name
    if first.casefold().replace(".", "") in _SUFFIXES:
        return name
    return f"{first} {last}"


# What follows a comma in a name without being a first name (compared without dots and case).
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "msc", "bsc", "mba", "esq",
                       "inc", "ltd", "llc", "plc", "co", "corp", "gmbh", "ag", "bv", "nv", "vof",
                       "sa", "sarl", "srl", "spa", "ab", "as", "oy", "kg"})


def first_name(name: str) -> str:
    """"Jansen, Frank" -> "Frank"; "Frank Jansen" -> "Frank"; "Martin King, Jr." -> "Martin";
    an address-like name -> ""."""
    cleaned = name.strip().strip("\"'")
    if not cleaned or "@" in cleaned:
        return ""
    parts = safe(in_order(cleaned)).split()
    return parts[0].rstrip(",") if parts else ""


def days_between(earlier: int, later: int) -> int:
    return max(0, (later - earlier) // 86_400)


YEAR_DAYS = 365  # beyond this, a count of days says little: a date or years read better


def ago(earlier: int, later: int, lang: str) -> str:
    """When ``earlier`` was, seen from ``later``: "12 days ago", or beyond a year "on 12 March
    2001" ("op 12 maart 2001"), never "9176 days ago"."""
    days = days_between(earlier, later)
    if days <= YEAR_DAYS:
        key = ("ago_today", "ago_day")[days] if days < 2 else "ago_days"
        return text("guard", lang, key, days=days)
    when = datetime.fromtimestamp(earlier, UTC)
    return text("guard", lang, "on_date", day=when.day, year=when.year,
                month=text("guard", lang, f"month_{when.month}"))


def silence(days: int, lang: str) -> str:
    """A stretch of silence: "1 day", "120 days", or beyond a year "more than 2 years" ("ruim 2
    jaar")."""
    if days <= YEAR_DAYS:
        return text("guard", lang, "silence_day" if days == 1 else "silence_days", days=days)
    years = days // YEAR_DAYS
    return text("guard", lang, "silence_year" if years == 1 else "silence_years", years=years)
