"""The local submission relay between a mail client (smtplib) and a real aiosmtpd upstream."""

from __future__ import annotations

import email
import smtplib
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest

from netguard.cli.main import main
from netguard.errors import UsageError
from netguard.relay.credentials import credentials
from netguard.relay.decide import Decision
from netguard.relay.server import Relay
from netguard.settings import Settings
from tests.integration.mailflow import CONTACT, seed_streak
from tests.integration.relay_env import ME, Env, message, relay_env
from tests.servers.smtp import free_port


@pytest.fixture
def env(home: Path, smtp_factory: Any) -> Iterator[Env]:
    with relay_env(home, smtp_factory) as running:
        yield running


def test_a_clear_message_arrives_upstream_once_before_the_client_is_answered(env: Env) -> None:
    raw = message()
    env.send(raw)
    [received] = env.upstream.received  # already there when the client got its 250
    assert received.rcpt_tos == (CONTACT,)
    sent = email.message_from_bytes(received.content, policy=policy.default)
    original = email.message_from_bytes(raw, policy=policy.default)
    for header in ("From", "To", "Subject", "Date", "Message-ID", "X-Client"):
        assert sent[header] == original[header]
    stored = env.workspace.store.execute(
        "SELECT count(*) FROM messages WHERE message_id = ?", (original["Message-ID"],)
    ).fetchone()[0]
    assert stored == 1


def test_a_fifth_followup_is_refused_with_the_explanation_and_allow_lets_it_through(
        env: Env) -> None:
    seed_streak(env.workspace, ME, followups=4)
    raw = message()
    with pytest.raises(smtplib.SMTPDataError) as refused:
        env.send(raw)
    assert refused.value.smtp_code == 550
    explanation = refused.value.smtp_error.decode()
    assert "5th follow-up to Anna this week without an answer" in explanation
    assert "open NetGuard to send anyway" in explanation
    assert env.upstream.received == []
    assert main(["allow", CONTACT, "--minutes", "15"]) == 0
    env.send(raw)
    assert len(env.upstream.received) == 1
    with pytest.raises(smtplib.SMTPDataError):  # the allowance is used up
        env.send(message())
    assert len(env.upstream.received) == 1


def test_the_refusal_speaks_dutch_for_a_dutch_user_and_the_app_hears_of_it(
        env: Env, home: Path) -> None:
    seed_streak(env.workspace, ME, followups=4)
    port = free_port()
    dutch = Settings(language="nl", account=env.workspace.settings.account)
    notices: list[Decision] = []
    relay = Relay(env.workspace.store, dutch, port=port, on_refused=notices.append).start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.login(*credentials())
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.sendmail(ME, [CONTACT], message())
    finally:
        relay.stop()
    assert "5e follow-up aan Anna deze week" in refused.value.smtp_error.decode()
    [notice] = notices
    assert notice.reply.startswith("550") and notice.headers.to[0].addr == CONTACT


def test_wrong_relay_password_is_refused(env: Env) -> None:
    with env.client(login=False) as client, pytest.raises(smtplib.SMTPAuthenticationError):
        client.login(credentials()[0], "guess")
    assert env.upstream.received == []


def test_without_login_nothing_is_relayed(env: Env) -> None:
    with env.client(login=False) as client, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        client.sendmail(ME, [CONTACT], message())
    assert refused.value.smtp_code == 530
    assert env.upstream.received == []


def test_a_foreign_sender_is_refused(env: Env) -> None:
    with pytest.raises(smtplib.SMTPSenderRefused):
        env.send(message(sender="boss@elsewhere.example"), sender="boss@elsewhere.example")
    with pytest.raises(smtplib.SMTPDataError) as forged:  # my envelope, someone else's From
        env.send(message(sender="boss@elsewhere.example"))
    assert forged.value.smtp_code == 553
    assert env.upstream.received == []


def test_binding_beyond_loopback_is_refused(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError):
        Relay(env.workspace.store, env.workspace.settings, port=free_port(), host="0.0.0.0")
    assert main(["relay", "--host", "192.0.2.1", "--port", str(free_port())]) == 2
    assert "127.0.0.1" in capsys.readouterr().err


def test_upstream_down_is_a_temporary_error_and_the_retry_is_delivered_once(env: Env) -> None:
    env.upstream.stop()
    raw = message()
    with pytest.raises(smtplib.SMTPDataError) as later:
        env.send(raw)
    assert later.value.smtp_code == 451
    env.upstream.start()
    env.send(raw)
    env.send(raw)  # a client that did not get the answer and sends again
    assert len(env.upstream.received) == 1


def test_an_upstream_refusal_is_passed_on_as_permanent(env: Env) -> None:
    env.upstream.refuse(CONTACT)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        env.send(message())
    assert refused.value.smtp_code == 550


def test_credentials_are_printed_as_user_and_password(
        env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relay", "--credentials"]) == 0
    user, password = capsys.readouterr().out.split()
    assert (user, password) == credentials()
    assert len(password) >= 20


def test_a_retry_of_a_delivered_fourth_followup_is_acknowledged_not_refused(env: Env) -> None:
    seed_streak(env.workspace, ME, followups=3)
    raw = message()
    env.send(raw)  # the fourth follow-up: clear, and now counted in the store
    env.send(raw)  # the client lost the answer and retries: no warning, no second copy
    assert len(env.upstream.received) == 1


def test_a_port_in_use_is_a_clear_error(env: Env) -> None:
    from netguard.errors import NetworkError

    with pytest.raises(NetworkError, match="cannot listen"):
        Relay(env.workspace.store, env.workspace.settings, port=env.port).start()
