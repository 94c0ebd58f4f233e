"""SPEC §1 "Identity": who I send as, how it is resolved, and the headers built from it."""

from __future__ import annotations

import email
import sqlite3
from datetime import UTC, datetime, timedelta
from email import policy
from email.utils import format_datetime, parseaddr

import pytest

from netguard.mail.compose import Draft, compose, last_in_thread, threaded
from netguard.mail.headers import parse
from netguard.mail.identity import Identity, IdentityMissing, derive, resolve, valid_address
from netguard.model import Role
from netguard.relay.decide import is_mine
from netguard.settings import Account, Settings
from netguard.store import open_store
from netguard.store.messages import add_batch, ensure_folder

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn() -> sqlite3.Connection:
    return open_store(":memory:")


def _store(conn: sqlite3.Connection, role: Role, *messages: tuple[str, str, str]) -> list[str]:
    """Messages ``(from, to, subject)`` into a folder of ``role``, an hour apart."""
    folder = ensure_folder(conn, "Sent" if role is Role.SENT else "INBOX", role)
    start = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    batch = []
    for n, (sender, to, subject) in enumerate(messages, start=start + 1):
        when = START + timedelta(hours=n)
        raw = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
               f"Date: {format_datetime(when)}\r\nMessage-ID: <m{n}@example.test>\r\n\r\nx\r\n")
        batch.append((n, parse(raw.encode(), when)))
    add_batch(conn, folder, batch, len(batch))
    return [headers.message_id for _, headers in batch]


def _settings(**account: str) -> Settings:
    return Settings(language="en", account=Account(host="imap.example.nl", **account))


def test_a_set_identity_wins_over_sent_and_login(conn: sqlite3.Connection) -> None:
    _store(conn, Role.SENT, ("Old Name <old@example.nl>", "a@x.org", "Hi"))
    settings = _settings(user="sanne@login.example", from_name="Sanne de Vries",
                         from_address="Sanne@Example.nl")
    assert resolve(conn, settings) == Identity("Sanne de Vries", "Sanne@Example.nl", "set")


def test_unset_it_is_the_from_most_used_in_sent_with_the_name_most_used_with_it(
        conn: sqlite3.Connection) -> None:
    _store(conn, Role.SENT,
           ("Sanne <sanne@example.nl>", "a@x.org", "1"),
           ("Sanne de Vries <sanne@example.nl>", "b@x.org", "2"),
           ("Sanne de Vries <SANNE@example.nl>", "c@x.org", "3"),
           ("Info <info@shop.example>", "d@x.org", "4"),
           ("Info <info@shop.example>", "e@x.org", "5"))
    _store(conn, Role.RECEIVED, *[("Anna <anna@x.org>", "sanne@example.nl", "r")] * 5)
    identity = resolve(conn, _settings(user="sanne"))
    assert identity == Identity("Sanne de Vries", "sanne@example.nl", "sent")
    # a name set alone keeps the derived address
    named = resolve(conn, _settings(user="sanne", from_name="S. de Vries"))
    assert (named.name, named.address, named.source) == ("S. de Vries", "sanne@example.nl",
                                                         "sent")


def test_a_login_that_is_an_address_is_the_last_default(conn: sqlite3.Connection) -> None:
    assert resolve(conn, _settings(user="sanne@example.nl")) == Identity(
        "", "sanne@example.nl", "login")


def test_a_login_that_is_not_an_address_is_never_the_sender(conn: sqlite3.Connection) -> None:
    settings = _settings(user="sanne")
    assert derive(conn, settings.account) is None
    with pytest.raises(IdentityMissing) as missing:
        resolve(conn, settings)
    message = str(missing.value)
    assert "\n" not in message and "sanne" in message
    assert "netguard account set --from ADDRESS" in message


def test_a_set_from_that_is_not_an_address_stops_sending_rather_than_guessing(
        conn: sqlite3.Connection) -> None:
    _store(conn, Role.SENT, ("Sanne <sanne@example.nl>", "a@x.org", "Hi"))
    settings = _settings(user="sanne@example.nl", from_address="sanne")
    assert derive(conn, settings.account) is None
    with pytest.raises(IdentityMissing, match="--from ADDRESS"):
        resolve(conn, settings)


def test_the_missing_identity_is_said_in_dutch_too(conn: sqlite3.Connection) -> None:
    settings = Settings(language="nl", account=Account(host="h", user="sanne"))
    with pytest.raises(IdentityMissing, match="afzenderadres"):
        resolve(conn, settings)


@pytest.mark.parametrize(("value", "expected"), [
    ("sanne@example.nl", "sanne@example.nl"), (" s.de-vries+net@mail.example.nl ",
                                               "s.de-vries+net@mail.example.nl"),
    ("sanne", ""), ("sanne@sanne", ""), ("", ""), ("Sanne <s@x.nl>", ""), ("s@x.nl, t@y.nl", ""),
    ("a b@x.nl", ""), ("s@", ""), ("@x.nl", ""),
])
def test_only_one_plain_address_is_an_address(value: str, expected: str) -> None:
    assert valid_address(value) == expected


def _parsed(message: email.message.EmailMessage) -> email.message.EmailMessage:
    return email.message_from_bytes(message.as_bytes(),  # type: ignore[return-value]
                                    policy=policy.default)


def test_from_is_name_and_address_and_a_non_ascii_name_is_rfc2047_encoded() -> None:
    me = Identity("Zoë de Vries-Ångström", "zoe@example.nl", "set")
    message = compose(me, Draft(to=("anna@example.org",), subject="Idee", body="Hoi\n"))
    raw = message.as_bytes()
    from_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"From:"))
    assert from_line.isascii() and b"=?utf-8?" in from_line and b"<zoe@example.nl>" in from_line
    parsed = _parsed(message)
    assert parseaddr(str(parsed["From"])) == ("Zoë de Vries-Ångström", "zoe@example.nl")
    assert parsed["Message-ID"].endswith("@example.nl>")


def test_a_name_with_a_comma_is_quoted_not_split() -> None:
    message = compose(Identity("de Vries, Sanne", "sanne@example.nl", "set"),
                      Draft(to=("a@x.org",), subject="s", body="b"))
    assert _parsed(message)["From"].addresses[0].display_name == "de Vries, Sanne"
    assert len(_parsed(message)["From"].addresses) == 1


def test_without_a_name_from_is_the_bare_address_and_the_id_on_its_domain() -> None:
    message = compose(Identity("", "me@Mail.Example.NL", "login"),
                      Draft(to=("a@x.org",), subject="s", body="b"))
    assert message["From"] == "me@Mail.Example.NL"
    assert message["Message-ID"].endswith("@mail.example.nl>")


def test_an_international_domain_gives_an_ascii_message_id() -> None:
    me = Identity("Zoë", "zoe@bücher.example", "set")
    assert me.domain == "xn--bcher-kva.example"
    message = compose(me, Draft(to=("a@x.org",), subject="s", body="b"))
    assert message["Message-ID"].endswith("@xn--bcher-kva.example>")


def test_a_reply_to_their_message_is_threaded_like_a_followup_to_mine(
        conn: sqlite3.Connection) -> None:
    [mine] = _store(conn, Role.SENT, ("me@example.nl", "anna@x.org", "Plans"))
    [theirs] = _store(conn, Role.RECEIVED, ("Anna <anna@x.org>", "me@example.nl", "Re: Plans"))
    conn.execute("UPDATE messages SET refs = ?, in_reply_to = ? WHERE message_id = ?",
                 (mine, mine, theirs))
    assert last_in_thread(conn, "Anna@X.org", "RE: plans") == theirs
    reply = threaded(conn, Draft(to=("anna@x.org",), subject="Re: Plans", body="b"))
    assert (reply.in_reply_to, reply.references) == (theirs, (mine,))
    other = threaded(conn, Draft(to=("anna@x.org",), subject="Something else", body="b"))
    assert (other.in_reply_to, other.references) == ("", ())


def test_the_relay_counts_the_set_identity_as_mine_before_any_mail(
        conn: sqlite3.Connection) -> None:
    settings = _settings(user="sanne", from_address="sanne@example.nl")
    assert is_mine(conn, settings, "<Sanne@Example.nl>")
    assert not is_mine(conn, _settings(user="sanne"), "sanne@example.nl")


def test_sent_beats_the_login_a_tie_goes_to_the_latest_and_a_set_address_keeps_its_sent_name(
        conn: sqlite3.Connection) -> None:
    _store(conn, Role.SENT,
           ("Sanne de Vries <sanne@old.example>", "a@x.org", "1"),
           ("Sanne <sanne@new.example>", "b@x.org", "2"))
    settings = _settings(user="login@example.nl")
    assert resolve(conn, settings) == Identity("Sanne", "sanne@new.example", "sent")
    set_only = _settings(user="login@example.nl", from_address="sanne@old.example")
    assert resolve(conn, set_only) == Identity("Sanne de Vries", "sanne@old.example", "set")
