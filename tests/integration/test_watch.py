"""The Drafts watcher against a real Dovecot (issue 8)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from netguard.cli.main import main
from tests.integration.mailflow import CONTACT, MailSetup, seed_streak, wire


@pytest.fixture
def setup(home: Path, dovecot: Any, smtp_factory: Any) -> MailSetup:
    return wire(home, dovecot, smtp_factory(user=dovecot.user, password=dovecot.password))


def draft(me: str, to: str, message_id: str, body: str = "Hi Anna,\r\n\r\nHow are you?\r\n",
          name: str = "Anna de Vries") -> bytes:
    return (
        f"From: {me}\r\nTo: {name} <{to}>\r\nSubject: Proposal\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\nMessage-ID: {message_id}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    ).encode()


def _watch_once(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["watch", "--once", "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_draft_that_would_be_a_fifth_followup_is_reported_with_warn_and_nothing_changes(
        setup: MailSetup, capsys: pytest.CaptureFixture[str]) -> None:
    seed_streak(setup.workspace, setup.me, followups=4)
    setup.imap.append("Drafts", draft(setup.me, CONTACT, "<d1@example.test>"), flags="\\Draft")
    setup.imap.append("Drafts", draft(setup.me, "bob@example.org", "<d2@example.test>",
                                      name="Bob"), flags="\\Draft")
    before = setup.imap.snapshot()
    lines = _watch_once(capsys)
    assert setup.imap.snapshot() == before
    by_id = {line["message_id"]: line for line in lines}
    assert set(by_id) == {"<d1@example.test>", "<d2@example.test>"}
    warned = by_id["<d1@example.test>"]
    assert warned["verdict"] == "warn" and warned["to"] == [CONTACT]
    assert any(f["rule"] == "followup-overload" for f in warned["findings"])
    assert by_id["<d2@example.test>"]["verdict"] == "clear"


def test_the_same_draft_is_reported_once_unless_it_changed(
        setup: MailSetup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.imap.append("Drafts", draft(setup.me, CONTACT, "<d3@example.test>"))
    assert len(_watch_once(capsys)) == 1
    assert _watch_once(capsys) == []
    changed = "Hi Anna,\r\n\r\nJust following up, any update?? ASAP please!!\r\n"
    setup.imap.append("Drafts", draft(setup.me, CONTACT, "<d3@example.test>", body=changed))
    [line] = _watch_once(capsys)
    assert line["message_id"] == "<d3@example.test>"
    assert any(f["kind"] == "lint" and f["rule"] == "pushy-wording" for f in line["findings"])


def test_watch_without_json_prints_one_readable_line(
        setup: MailSetup, capsys: pytest.CaptureFixture[str]) -> None:
    seed_streak(setup.workspace, setup.me, followups=4)
    setup.imap.append("Drafts", draft(setup.me, CONTACT, "<d4@example.test>"))
    assert main(["watch", "--once"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("warn: draft <d4@example.test> to anna@example.org")


def test_the_watcher_keeps_watching_and_reports_a_draft_saved_later(setup: MailSetup) -> None:
    from netguard.watch import watch

    setup.imap.append("Drafts", draft(setup.me, CONTACT, "<first@example.test>"))
    reports = watch(setup.workspace.store, setup.workspace.settings, once=False, poll_seconds=20)
    try:
        assert next(reports).message_id == "<first@example.test>"
        setup.imap.append("Drafts", draft(setup.me, CONTACT, "<later@example.test>"))
        assert next(reports).message_id == "<later@example.test>"  # noticed at once, no poll wait
    finally:
        reports.close()
