"""How findings speak: long-ago dates as dates, a contact without a name by address, once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.findings import ago, silence
from netguard.analysis.guard import load_facts
from netguard.analysis.report import build_report
from netguard.analysis.rules import burst_after_silence, let_it_rest, neglected
from netguard.settings import Rules

RULES = Rules()
SHERRIFF = "john.sherriff@enron.com"
MARCH_2001 = datetime(2001, 3, 12, 9, 30, tzinfo=UTC)


def epoch(when: datetime) -> int:
    return int(when.timestamp())


@pytest.mark.parametrize(("earlier", "lang", "expected"), [
    (T0 - days(12), "en", "12 days ago"),
    (T0 - days(12), "nl", "12 dagen geleden"),
    (T0 - days(365), "en", "365 days ago"),
    (T0 - days(1), "en", "yesterday"),
    (T0 - days(0.5), "nl", "vandaag"),
    (MARCH_2001, "en", "on 12 March 2001"),
    (MARCH_2001, "nl", "op 12 maart 2001"),
])
def test_ago_counts_days_up_to_a_year_then_names_the_date(
        earlier: datetime, lang: str, expected: str) -> None:
    assert ago(epoch(earlier), epoch(T0), lang) == expected


def test_silence_beyond_a_year_in_years() -> None:
    assert silence(120, "en") == "120 days"
    assert silence(400, "en") == "more than a year"
    assert silence(9176, "en") == "more than 25 years"
    assert silence(800, "nl") == "ruim 2 jaar"


def enron(box: Mailbox) -> None:
    """An exchange in 2001 with someone whose mail carries no display name."""
    for n in range(2):
        box.sent(SHERRIFF, MARCH_2001 - days(20 - n))
        box.received(SHERRIFF, MARCH_2001 - days(10 - n))
    box.sent(SHERRIFF, MARCH_2001)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", f"You and {SHERRIFF} used to write each other, but your last exchange was on "
           "12 March 2001."),
    ("nl", f"Jij en {SHERRIFF} schreven elkaar geregeld, maar jullie laatste contact was op "
           "12 maart 2001."),
])
def test_neglected_long_ago_reads_as_a_date(lang: str, expected: str) -> None:
    box = Mailbox()
    enron(box)
    finding = neglected.evaluate(load_facts(box.conn, RULES, SHERRIFF, T0), RULES, lang)
    assert finding is not None
    assert finding.message == expected


def test_let_it_rest_recent_reads_as_days() -> None:
    box = Mailbox()
    for d in (60, 45, 30, 15):
        box.sent("Frank Jansen <frank@example.com>", T0 - days(d))
    finding = let_it_rest.evaluate(load_facts(box.conn, RULES, "frank@example.com", T0), RULES,
                                   "en")
    assert finding is not None
    assert finding.message == ("Frank Jansen has not answered your last 3 follow-ups; the most "
                               "recent one was 15 days ago.")


def test_burst_after_years_of_silence_speaks_of_years() -> None:
    box = Mailbox()
    enron(box)
    box.received(SHERRIFF, MARCH_2001 + days(1))
    for d in (5, 3, 1):
        box.sent(SHERRIFF, T0 - days(d))
    finding = burst_after_silence.evaluate(load_facts(box.conn, RULES, SHERRIFF, T0), RULES, "en")
    assert finding is not None
    assert finding.message.startswith("After more than 25 years of silence you sent "
                                      f"{SHERRIFF} 3 messages")


def test_a_contact_without_a_name_has_no_name_in_the_report() -> None:
    box = Mailbox()
    enron(box)
    (contact,) = build_report(box.conn, RULES, T0).contacts
    assert (contact.address, contact.name) == (SHERRIFF, "")  # the GUI shows the address once
