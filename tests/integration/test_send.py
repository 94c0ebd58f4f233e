"""Sending and saving against a real Dovecot and a real aiosmtpd (issue 7)."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest

from netguard import outbox, secrets
from netguard.analysis import guard
from netguard.analysis.report import build_report
from netguard.cli.main import main
from netguard.errors import AuthError, CertificateError, NetworkError
from netguard.mail.compose import Draft
from netguard.mail.connection import connect
from netguard.mail.send import retry, save_draft, send
from netguard.mail.smtp import Envelope, SmtpRefused, deliver
from netguard.settings import Account
from tests.integration.mailflow import CONTACT, MailSetup, seed_streak, wire


@pytest.fixture
def setup(home: Path, dovecot: Any, smtp_factory: Any) -> MailSetup:
    smtp = smtp_factory(user=dovecot.user, password=dovecot.password)
    return wire(home, dovecot, smtp)


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.txt"
    path.write_text("Hi Anna,\n\nI came across an article on your sector and thought of you.\n")
    return path


def _parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def _in_folder(setup: MailSetup, folder: str, message_id: str) -> list[bytes]:
    return [raw for raw in setup.imap.messages(folder) if message_id.encode() in raw]


def _flags(setup: MailSetup, folder: str, message_id: str) -> tuple[bytes, ...]:
    with connect(setup.workspace.settings.account, setup.imap.password) as client:
        client.select_folder(folder, readonly=True)
        [uid] = client.search(["HEADER", "Message-ID", message_id])
        return tuple(f for f in client.get_flags([uid])[uid] if f != b"\\Recent")


def test_clean_followup_is_delivered_once_threaded_and_filed_in_sent_once(
        setup: MailSetup, body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeded = seed_streak(setup.workspace, setup.me, followups=1)
    code = main(["send", "--to", CONTACT, "--subject", "Re: Proposal", "--body-file", str(body)])
    assert code == 0, capsys.readouterr()
    [received] = setup.smtp.received
    message = _parsed(received.content)
    assert received.rcpt_tos == (CONTACT,)
    assert received.mail_from == setup.me
    assert message["From"] == setup.me
    assert message["In-Reply-To"] == seeded[-1]
    assert message["References"].split() == [seeded[-1]]
    assert message["Date"] and message["Message-ID"].endswith(setup.me.split("@")[1] + ">")
    assert len(_in_folder(setup, "Sent", message["Message-ID"])) == 1
    assert _flags(setup, "Sent", message["Message-ID"]) == (b"\\Seen",)
    assert outbox.pending(setup.workspace.store) == []
    # the very next guard check counts it: two follow-ups in the window now
    verdict = guard.check(setup.workspace.store, setup.workspace.settings.rules, [CONTACT])
    assert verdict.recipients[0].followups_in_window == 2


def test_fifth_followup_is_refused_without_force_and_delivered_with_it(
        setup: MailSetup, body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_streak(setup.workspace, setup.me, followups=4)
    args = ["send", "--to", CONTACT, "--subject", "Proposal", "--body-file", str(body)]
    assert main(args) == 3
    assert "--force" in capsys.readouterr().err
    assert setup.smtp.received == []
    assert outbox.pending(setup.workspace.store) == []
    assert main([*args, "--force"]) == 0
    assert len(setup.smtp.received) == 1
    forced = setup.workspace.store.execute(
        "SELECT address, via FROM guard_overrides").fetchall()
    assert forced == [(CONTACT, "force")]


def test_close_the_loop_goes_out_at_the_fifth_followup_once_per_streak(
        setup: MailSetup, body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_streak(setup.workspace, setup.me, followups=4)
    args = ["send", "--to", CONTACT, "--subject", "Proposal", "--body-file", str(body),
            "--close-the-loop"]
    assert main(args) == 0, capsys.readouterr()
    assert "closes the loop" in capsys.readouterr().out
    [received] = setup.smtp.received
    message_id = _parsed(received.content)["Message-ID"]
    assert len(_in_folder(setup, "Sent", message_id)) == 1
    store = setup.workspace.store
    assert store.execute("SELECT address, message_id FROM closings").fetchall() == [
        (CONTACT, message_id)]
    assert store.execute("SELECT count(*) FROM guard_overrides").fetchone() == (0,)
    report = build_report(store, setup.workspace.settings.rules)
    assert [c.status for c in report.contacts] == [("let-it-rest",)]
    # a second close-the-loop in the same unanswered streak is a sixth follow-up: held back
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "already closed the loop" in err and "--force" in err
    assert len(setup.smtp.received) == 1


def test_close_the_loop_and_force_exclude_each_other(
        body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "--to", CONTACT, "--subject", "S", "--body-file", str(body),
                 "--force", "--close-the-loop"]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_allow_lets_exactly_the_next_message_past_the_send_guard(
        setup: MailSetup, body: Path) -> None:
    seed_streak(setup.workspace, setup.me, followups=4)
    args = ["send", "--to", CONTACT, "--subject", "Proposal", "--body-file", str(body)]
    assert main(["allow", CONTACT]) == 0
    assert main(args) == 0
    assert main(args) == 3
    assert len(setup.smtp.received) == 1


def test_smtp_down_then_up_keeps_the_message_and_delivers_it_once(
        setup: MailSetup, body: Path) -> None:
    setup.smtp.stop()
    conn, settings = setup.workspace.store, setup.workspace.settings
    draft = Draft(to=(CONTACT,), subject="Hello", body=body.read_text())
    with pytest.raises(NetworkError):
        send(conn, settings, draft)
    [kept] = outbox.pending(conn)
    assert kept.attempts == 1 and kept.last_error
    setup.smtp.start()
    assert retry(conn, settings) == [(kept.message_id, "")]
    assert retry(conn, settings) == []
    [received] = setup.smtp.received
    assert _parsed(received.content)["Message-ID"] == kept.message_id
    assert len(_in_folder(setup, "Sent", kept.message_id)) == 1


def test_retry_does_not_resend_what_is_already_in_sent(setup: MailSetup, body: Path) -> None:
    conn, settings = setup.workspace.store, setup.workspace.settings
    setup.smtp.stop()
    with pytest.raises(NetworkError):
        send(conn, settings, Draft(to=(CONTACT,), subject="Hello", body="Hi"))
    [kept] = outbox.pending(conn)
    setup.imap.append("Sent", kept.raw)  # the server filed it: it did go out
    setup.smtp.start()
    assert retry(conn, settings) == [(kept.message_id, "")]
    assert setup.smtp.received == []
    assert len(_in_folder(setup, "Sent", kept.message_id)) == 1


def test_wrong_smtp_password_is_a_clear_error_and_the_message_is_kept(
        home: Path, dovecot: Any, smtp_factory: Any, body: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    smtp = smtp_factory(user=dovecot.user, password="not-the-same")
    setup = wire(home, dovecot, smtp)
    code = main(["send", "--to", CONTACT, "--subject", "Hello", "--body-file", str(body)])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused the login" in err and "outbox" in err
    assert dovecot.password not in err
    [kept] = outbox.pending(setup.workspace.store)
    assert AuthError.__name__ and "refused the login" in kept.last_error
    assert body.exists() and smtp.received == []


def test_saved_draft_lands_in_drafts_with_the_draft_flag(setup: MailSetup, body: Path) -> None:
    draft = Draft(to=(CONTACT,), subject="Idea", body=body.read_text())
    folder, message_id = save_draft(setup.workspace.store, setup.workspace.settings, draft)
    assert folder == "Drafts"
    [raw] = _in_folder(setup, "Drafts", message_id)
    assert _parsed(raw)["To"] == CONTACT
    assert set(_flags(setup, "Drafts", message_id)) == {b"\\Draft", b"\\Seen"}
    assert setup.smtp.received == []


def test_save_draft_command(setup: MailSetup, body: Path) -> None:
    assert main(["save-draft", "--to", CONTACT, "--subject", "Idea", "--body-file",
                 str(body)]) == 0
    assert len(setup.imap.messages("Drafts")) == 1


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_submission_verifies_the_certificate(smtp_factory: Any, security: str) -> None:
    smtp = smtp_factory(security=security, user="me@example.test", password="pw")
    account = Account(user="me@example.test", smtp_host="localhost", smtp_port=smtp.port,
                      smtp_security=security, ca_file=str(smtp.cert_file), timeout_seconds=10)
    envelope = Envelope("me@example.test", (CONTACT,), b"Subject: x\r\n\r\nhi\r\n")
    deliver(account, "pw", envelope)
    assert len(smtp.received) == 1
    with pytest.raises(CertificateError):
        deliver(Account(**{**account.__dict__, "ca_file": ""}), "pw", envelope)
    assert len(smtp.received) == 1


def test_a_refused_recipient_refuses_the_whole_message(smtp_server: Any) -> None:
    smtp_server.refuse("nobody@example.org")
    account = Account(user=smtp_server.user, smtp_host=smtp_server.host, smtp_port=smtp_server.port,
                      smtp_security="plain", timeout_seconds=10)
    envelope = Envelope(smtp_server.user, (CONTACT, "nobody@example.org"), b"Subject: x\r\n\r\n")
    with pytest.raises(SmtpRefused) as refused:
        deliver(account, smtp_server.password, envelope)
    assert refused.value.code == 550 and not refused.value.temporary
    assert smtp_server.received == []


def test_outbox_command_lists_and_retries_what_was_not_sent(
        setup: MailSetup, body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup.smtp.stop()
    args = ["send", "--to", CONTACT, "--subject", "Hello", "--body-file", str(body)]
    assert main(args) == 1
    assert "netguard outbox --retry" in capsys.readouterr().err
    assert main(["outbox"]) == 0
    assert CONTACT in capsys.readouterr().out
    setup.smtp.start()
    assert main(["outbox", "--retry"]) == 0
    assert main(["outbox", "--retry"]) == 0
    assert len(setup.smtp.received) == 1
    assert main(["outbox"]) == 0
    assert "empty" in capsys.readouterr().out


def test_file_sent_never_leaves_sent_to_the_server(
        home: Path, dovecot: Any, smtp_factory: Any, body: Path) -> None:
    smtp = smtp_factory(user=dovecot.user, password=dovecot.password)
    setup = wire(home, dovecot, smtp, file_sent="never")
    draft = Draft(to=(CONTACT,), subject="Hello", body="Hi")
    result = send(setup.workspace.store, setup.workspace.settings, draft)
    assert result.sent and result.filed == "skipped"
    assert len(smtp.received) == 1 and setup.imap.messages("Sent") == []
    stored = setup.workspace.store.execute(
        "SELECT count(*) FROM messages WHERE message_id = ?", (result.message_id,)).fetchone()[0]
    assert stored == 1


def test_sent_but_not_filed_is_said_and_the_retry_files_without_sending_again(
        home: Path, dovecot: Any, smtp_factory: Any, body: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    smtp = smtp_factory(user=dovecot.user, password="smtp-only")  # IMAP refuses this one
    setup = wire(home, dovecot, smtp)
    secrets.set_password(dovecot.user, "smtp-only")
    args = ["send", "--to", CONTACT, "--subject", "Hello", "--body-file", str(body)]
    assert main(args) == 1
    assert "but not filed in Sent" in capsys.readouterr().err
    [kept] = outbox.pending(setup.workspace.store)
    assert kept.state == "sent" and len(smtp.received) == 1
    verdict = guard.check(setup.workspace.store, setup.workspace.settings.rules, [CONTACT])
    assert verdict.recipients[0].streak_length == 1  # counted at once all the same
    secrets.set_password(dovecot.user, dovecot.password)
    smtp.stop()  # filing needs no SMTP
    assert retry(setup.workspace.store, setup.workspace.settings) == [(kept.message_id, "")]
    assert len(smtp.received) == 1
    assert len(_in_folder(setup, "Sent", kept.message_id)) == 1


def test_cli_sends_as_the_identity_set_in_account_setup_and_threads_the_followup(
        setup: MailSetup, body: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeded = seed_streak(setup.workspace, setup.me, followups=1)
    assert main(["account", "set", "--name", "Sanne de Vriës", "--from",
                 "sanne@example.nl"]) == 0
    assert "Sanne de Vriës <sanne@example.nl>" in capsys.readouterr().out
    assert main(["account", "show"]) in (0, 1)  # 1 only when folders cannot be checked
    assert "Sanne de Vriës <sanne@example.nl> (set)" in capsys.readouterr().out
    code = main(["send", "--to", CONTACT, "--subject", "Re: Proposal", "--body-file", str(body)])
    assert code == 0, capsys.readouterr()
    [received] = setup.smtp.received
    assert received.mail_from == "sanne@example.nl"
    from_line = next(line for line in received.content.split(b"\r\n")
                     if line.startswith(b"From:"))
    assert from_line.isascii() and from_line.endswith(b" <sanne@example.nl>")
    message = _parsed(received.content)
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Sanne de Vriës", "sanne@example.nl")
    assert message["Message-ID"].endswith("@example.nl>")
    assert message["In-Reply-To"] == seeded[-1]
    assert message["References"].split() == [seeded[-1]]
    [filed] = _in_folder(setup, "Sent", message["Message-ID"])
    assert _parsed(filed)["From"].addresses[0].display_name == "Sanne de Vriës"


def test_cli_save_draft_uses_the_identity_derived_from_sent(
        setup: MailSetup, body: Path) -> None:
    seed_streak(setup.workspace, "Sanne de Vries <sanne@example.nl>", followups=2)
    assert main(["save-draft", "--to", CONTACT, "--subject", "Re: Proposal", "--body-file",
                 str(body)]) == 0
    [raw] = setup.imap.messages("Drafts")
    draft = _parsed(raw)
    assert str(draft["From"]) == "Sanne de Vries <sanne@example.nl>"
    assert draft["Message-ID"].endswith("@example.nl>") and draft["In-Reply-To"]


def test_cli_with_no_identity_stops_before_sending_with_one_line_on_how_to_set_it(
        home: Path, dovecot: Any, smtp_factory: Any, body: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    smtp = smtp_factory(user="sanne", password=dovecot.password)
    setup = wire(home, dovecot, smtp, user="sanne")  # the login is not an address
    code = main(["send", "--to", CONTACT, "--subject", "Hello", "--body-file", str(body)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "\n" not in err and "netguard account set --from ADDRESS" in err
    assert smtp.received == [] and outbox.pending(setup.workspace.store) == []
