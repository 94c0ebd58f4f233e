"""Issue 16 through the real relay and a real aiosmtpd upstream: copies and retries, UTF-8
addresses, long lines, STARTTLS, wrong logins, and a big message beside small ones."""

from __future__ import annotations

import base64
import hashlib
import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netguard.cli.main import main
from netguard.relay.certificate import CERT_NAME, KEY_NAME
from netguard.relay.credentials import credentials
from netguard.relay.server import Relay
from tests.integration.mailflow import CONTACT, seed_streak
from tests.integration.relay_env import ME, Env, message, relay_env
from tests.servers.smtp import free_port

BCC = "bert@example.org"


@pytest.fixture
def env(home: Path, smtp_factory: Any) -> Iterator[Env]:
    with relay_env(home, smtp_factory) as running:
        yield running


def data_reply(env: Env, raw: bytes, to: list[str],
               options: tuple[str, ...] = ()) -> tuple[int, str]:
    """The relay's answer to DATA for one transaction."""
    with env.client() as client:
        client.ehlo()
        client.mail(ME, list(options))
        for address in to:
            client.rcpt(address)
        code, reply = client.data(raw)
    return code, reply.decode()


def test_a_bcc_copy_in_a_second_transaction_is_delivered(env: Env) -> None:
    seed_streak(env.workspace, ME, followups=3)  # the copy must not count as a 5th follow-up
    raw = message()
    env.send_to(raw, [CONTACT])
    env.send_to(raw, [BCC])  # the same message, Bcc, in its own transaction
    assert [r.rcpt_tos for r in env.upstream.received] == [(CONTACT,), (BCC,)]


def test_a_bounce_that_keeps_the_message_id_goes_to_its_new_recipient(env: Env) -> None:
    raw = message()
    env.send(raw)
    bounced = f"Resent-From: {ME}\r\nResent-To: {BCC}\r\n".encode() + raw  # neomutt's bounce
    assert data_reply(env, bounced, [BCC])[0] == 250
    assert [r.rcpt_tos for r in env.upstream.received] == [(CONTACT,), (BCC,)]


def test_bouncing_a_message_someone_else_wrote_goes_out_as_mine(env: Env) -> None:
    received = message(sender="boss@elsewhere.example", to=ME)  # in my INBOX
    bounced = f"Resent-From: Me <{ME}>\r\nResent-To: {BCC}\r\n".encode() + received
    assert data_reply(env, bounced, [BCC])[0] == 250
    [delivered] = env.upstream.received
    assert delivered.rcpt_tos == (BCC,)
    forged = b"Resent-From: boss@elsewhere.example\r\n" + received
    assert data_reply(env, forged, ["carla@example.org"])[0] == 553  # the resender: me


def test_a_true_retry_to_the_same_recipients_is_answered_already_delivered(env: Env) -> None:
    raw = message()
    assert data_reply(env, raw, [CONTACT, BCC])[0] == 250
    code, reply = data_reply(env, raw, [BCC.upper(), CONTACT])  # order and case differ
    assert (code, "Already delivered" in reply) == (250, True)
    assert len(env.upstream.received) == 1


def test_a_utf8_address_is_delivered_upstream_with_smtputf8(env: Env) -> None:
    env.send_to(message(), ["jürgen@example.org"], options=("SMTPUTF8",))
    [received] = env.upstream.received
    assert received.rcpt_tos == ("jürgen@example.org",)
    assert "SMTPUTF8" in received.mail_options
    assert f"SIZE={len(received.content)}" in received.mail_options


def test_a_utf8_address_to_an_upstream_without_smtputf8_is_refused_for_good(
        home: Path, smtp_factory: Any) -> None:
    with relay_env(home, smtp_factory, smtputf8=False) as env:
        code, reply = data_reply(env, message(), ["jürgen@example.org"], ("SMTPUTF8",))
        assert code == 553 and "SMTPUTF8" in reply  # never a 451 the client retries forever
        assert env.upstream.received == []


def test_a_line_of_1500_characters_reaches_the_upstream(home: Path, smtp_factory: Any) -> None:
    line = "x" * 1500
    with relay_env(home, smtp_factory, line_limit=100_000) as env:
        env.send(message(body=f"{line}\r\n.{line}\r\n"))
        [received] = env.upstream.received
    assert f"\r\n{line}\r\n.{line}\r\n".encode() in received.content


def test_an_upstream_that_refuses_a_long_line_is_passed_on_as_permanent(env: Env) -> None:
    code, reply = data_reply(env, message(body="y" * 1500 + "\r\n"), [CONTACT])
    assert code == 500 and "refused the message" in reply


def test_starttls_then_login_with_the_relays_own_certificate(env: Env) -> None:
    cert = env.tls_dir / CERT_NAME
    assert (env.tls_dir / KEY_NAME).stat().st_mode & 0o777 == 0o600
    with smtplib.SMTP("127.0.0.1", env.port, timeout=30) as client:
        client.ehlo()
        assert client.has_extn("starttls") and client.has_extn("auth")  # both ways offered
        client.starttls(context=ssl.create_default_context(cafile=cert))
        client.login(*credentials())
        client.sendmail(ME, [CONTACT], message())
    assert len(env.upstream.received) == 1


def test_the_certificate_is_made_once(env: Env) -> None:
    cert = env.tls_dir / CERT_NAME
    before = cert.read_bytes()
    again = Relay(env.workspace.store, env.workspace.settings, port=free_port(),
                  tls_dir=env.tls_dir)
    again.start().stop()
    assert cert.read_bytes() == before


def wrong_login(client: smtplib.SMTP) -> int:
    secret = base64.b64encode(b"\0netguard-relay\0not-the-password").decode()
    return client.docmd("AUTH", f"PLAIN {secret}")[0]


def test_wrong_logins_are_logged_delayed_and_disconnected(
        env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="netguard.relay")
    with smtplib.SMTP("127.0.0.1", env.port, timeout=30) as client:
        client.ehlo()
        assert [wrong_login(client) for _ in range(3)] == [535, 535, 535]
        assert client.getreply()[0] == 421
        with pytest.raises(smtplib.SMTPServerDisconnected):
            client.noop()
    assert env.delays == [1, 2]  # a growing delay after the first two, then the door
    logged = [r.getMessage() for r in caplog.records if "wrong sign-in" in r.getMessage()]
    assert len(logged) == 3 and "netguard-relay" in logged[0]
    assert not any("not-the-password" in line for line in logged)
    with env.client() as client:  # the right login still works on a new connection
        client.noop()


def test_the_size_limit_is_announced_and_kept(env: Env) -> None:
    with env.client() as client:
        client.ehlo()
        assert int(client.esmtp_features["size"]) == 50 * 1024 * 1024
        assert client.mail(ME, [f"SIZE={60 * 1024 * 1024}"])[0] == 552


def test_the_certificate_command_prints_its_file_and_fingerprint(
        env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relay", "--certificate"]) == 0
    path, fingerprint = capsys.readouterr().out.splitlines()
    assert Path(path) == env.tls_dir / CERT_NAME  # the one the relay serves
    cert = ssl.PEM_cert_to_DER_cert(Path(path).read_text())
    assert fingerprint == "SHA256 " + hashlib.sha256(cert).digest().hex(":").upper()


def big_message() -> bytes:
    """About 20 MB: a short 8-bit text part (as most mail clients write) and an attachment."""
    attachment = base64.encodebytes(bytes(range(256)) * 60_000).replace(b"\n", b"\r\n")
    head = message(subject="Big", body="").replace(
        b"X-Client", b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\nX-Client")
    text = "Hallo Anna, hierbij de offerte. Groetjes, Jürgen".encode()
    return (head + b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" + text + b"\r\n--b\r\n"
            b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + attachment + b"--b--\r\n")


def start_big(env: Env, raw: bytes) -> tuple[smtplib.SMTP, threading.Thread]:
    """Send a big message's DATA in a thread and leave its answer unread."""
    client = env.client()
    client.mail(ME, ["BODY=8BITMIME"])
    client.rcpt(CONTACT)
    assert client.docmd("DATA")[0] == 354
    sender = threading.Thread(target=client.send, args=(raw + b".\r\n",))
    sender.start()
    return client, sender


def test_a_20_mb_message_does_not_hold_up_small_ones(home: Path, smtp_factory: Any) -> None:
    with relay_env(home, smtp_factory, hold_over=1_000_000) as env:
        big, sender = start_big(env, big_message())
        waits: list[float] = []
        try:  # small messages one after another while the relay has the big one
            while not env.upstream.holding.is_set() and len(waits) < 500:
                to = f"small{len(waits)}@example.org"  # each a first message: the guard is quiet
                started = time.monotonic()
                env.send(message(subject="Small", to=to), to=to)
                waits.append(time.monotonic() - started)
            smalls = [r for r in env.upstream.received if b"Subject: Small" in r.content]
            assert len(smalls) == len(waits)  # delivered while the big one was held
        finally:
            env.upstream.release()
            sender.join(60)
        assert big.getreply()[0] == 250
        big.close()
    assert max(waits) < 2, f"a small message waited {max(waits):.1f} s"


def test_a_client_that_leaves_during_data_sends_nothing_and_harms_no_one(env: Env) -> None:
    client = env.client()
    client.mail(ME)
    client.rcpt(CONTACT)
    assert client.docmd("DATA")[0] == 354
    client.send(message(subject="Cut off")[:-10])
    client.close()
    env.send(message(subject="Next"))
    assert [b"Subject: Next" in r.content for r in env.upstream.received] == [True]
