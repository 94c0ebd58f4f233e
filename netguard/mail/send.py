"""Sending with the guard in front, and saving drafts — losing nothing on the way.

    result = send(conn, settings, draft, force=False)   # the guard first; result.sent
    send(conn, settings, draft, closing_for=draft.to)   # the close-the-loop: no warning
    retry(conn, settings)                                # what is still in the outbox
    retry(conn, settings, resend_in_doubt=True)          # ... and what may have arrived
    save_draft(conn, settings, draft)                    # APPEND to Drafts (\\Draft \\Seen)

A message goes to the outbox before SMTP sees it and leaves only when SMTP accepted it and
it was filed. A retry never sends twice: same Message-ID, and Sent is checked first. A message
whose data went out without an answer recorded is *in doubt* (it may have arrived): a retry
files it if Sent has it, and otherwise sends it again only with ``resend_in_doubt``.
After a send the message enters the local store at once, so the next guard check counts it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from netguard import outbox
from netguard.accounts.credentials import Credentials, credentials_for
from netguard.analysis import guard
from netguard.analysis.model import Verdict
from netguard.errors import KnownError, NetworkError
from netguard.mail import filing
from netguard.mail.compose import Draft, compose
from netguard.mail.connection import connect
from netguard.mail.headers import parse
from netguard.mail.identity import resolve
from netguard.mail.smtp import Envelope, deliver, recipients_of
from netguard.model import Role
from netguard.outbox import Pending
from netguard.settings import Account, Settings
from netguard.store import closings
from netguard.store.messages import add_batch, ensure_folder
from netguard.store.people import my_addresses
from netguard.texts import language, text

log = logging.getLogger(__name__)


class InDoubt(KnownError):
    """A retry left a message alone that may have been delivered already."""
SEEN, DRAFT = b"\\Seen", b"\\Draft"
# Servers that file submitted mail in Sent themselves (FACTS.md): no APPEND in "auto" mode.
AUTO_FILERS = ("smtp.gmail.com", "smtp.googlemail.com", "smtp.office365.com",
               "smtp-mail.outlook.com")


@dataclass(frozen=True)
class SendResult:
    """``sent`` is False when the guard stopped the message (``verdict.warn``)."""

    verdict: Verdict
    sent: bool
    message_id: str = ""
    filed: str = ""  # "appended" | "found" | "skipped" | "" (no IMAP account)
    sent_folder: str = ""


def warned(verdict: Verdict) -> tuple[str, ...]:
    return tuple(r.address for r in verdict.recipients if r.warn)


def closes_loop(verdict: Verdict) -> tuple[str, ...]:
    """The recipients this message closes the loop with (the guard did not warn for them)."""
    return tuple(r.address for r in verdict.recipients if r.closing)


def send(conn: sqlite3.Connection, settings: Settings, draft: Draft, force: bool = False,
         at: datetime | None = None, *, closing_for: Collection[str] = ()) -> SendResult:
    """Guard, queue, submit, file. Raises a known error when SMTP fails (the message stays
    queued); returns ``sent=False`` without sending when the guard warns and nothing allows it.

    ``closing_for``: the To addresses this message is sent to as the close-the-loop; where it
    is the first of its streak, the guard does not warn and the store records it as closing.
    """
    lang = language(settings.language)
    verdict = guard.check(conn, settings.rules, draft.to, draft.cc, at, lang,
                          closing_for=closing_for)
    stopped = warned(verdict)
    if stopped and not force and not outbox.allowed(conn, stopped):
        return SendResult(verdict, sent=False)
    account, me = settings.account, resolve(conn, settings)
    credentials = credentials_for(settings)
    message = compose(me, draft)
    message_id = str(message["Message-ID"])
    outbox.put(conn, message_id, message.as_bytes(), sender=me.address,
               recipients=recipients_of(draft.to, draft.cc), forced=bool(stopped))
    if stopped:
        outbox.record_override(conn, message_id, stopped, "force" if force else "allow")
    closings.record(conn, message_id, closes_loop(verdict))
    pending = outbox.get(conn, message_id)
    assert pending is not None
    filed, folder = dispatch(conn, account, credentials, pending)
    return SendResult(verdict, True, message_id, filed, folder)


def retry(conn: sqlite3.Connection, settings: Settings,
          resend_in_doubt: bool = False) -> list[tuple[str, str]]:
    """Try everything still in the outbox; ``[(message_id, error or "")]``. A message in doubt
    that Sent does not have is left alone (its error says so) unless ``resend_in_doubt``."""
    account, lang = settings.account, language(settings.language)
    results: list[tuple[str, str]] = []
    pending = outbox.pending(conn)
    if not pending:
        return results
    credentials = credentials_for(settings)
    for item in pending:
        try:
            dispatch(conn, account, credentials, item, resend_in_doubt)
        except InDoubt:
            results.append((item.message_id, text("send", lang, "in_doubt_left")))
        except KnownError as err:
            results.append((item.message_id, str(err)))
        else:
            results.append((item.message_id, ""))
    return results


def dispatch(conn: sqlite3.Connection, account: Account, credentials: Credentials | str,
             item: Pending, resend_in_doubt: bool = False) -> tuple[str, str]:
    """Submit (unless already accepted), file in Sent, store locally, leave the outbox.

    Raises ``InDoubt`` for a message in doubt that Sent does not have, without
    ``resend_in_doubt``."""
    me = my_addresses(conn)
    if item.state == "queued":
        if item.attempts and _already_filed(account, credentials, item.message_id, me):
            log.info("%s is already in Sent: not sending it again", item.message_id)
        elif item.in_doubt and not resend_in_doubt:
            log.info("%s may have been delivered: not sending it again", item.message_id)
            raise InDoubt(item.message_id)
        else:
            _submit(conn, account, credentials, item)
        outbox.mark_sent(conn, item.message_id)
    try:
        filed, folder = file_in_sent(account, credentials, item, me)
    except KnownError as err:
        outbox.failed(conn, item.message_id, f"sent, but not filed in Sent: {err}")
        remember_sent(conn, item.raw, account.sent_folder)
        raise
    remember_sent(conn, item.raw, folder)
    outbox.remove(conn, item.message_id)
    return filed, folder


def _submit(conn: sqlite3.Connection, account: Account, credentials: Credentials | str,
            item: Pending) -> None:
    """Hand the message to SMTP. Its hand-over is recorded before the data goes out; only a
    refusal from the server (not a lost connection) takes that back."""
    outbox.attempt(conn, item.message_id)
    try:
        deliver(account, credentials, Envelope(item.sender, item.recipients, item.raw),
                on_data=lambda: outbox.handing_over(conn, item.message_id))
    except NetworkError as err:
        outbox.failed(conn, item.message_id, str(err))
        raise
    except KnownError as err:
        if not item.in_doubt:  # a refusal of this attempt says nothing about an earlier one
            outbox.not_delivered(conn, item.message_id)
        outbox.failed(conn, item.message_id, str(err))
        raise


def _already_filed(account: Account, credentials: Credentials | str, message_id: str,
                   me: frozenset[str]) -> bool:
    if not account.host:
        return False
    with connect(account, credentials) as client:
        return filing.contains(client, filing.sent_folder(client, account, me),
                               message_id)


def file_in_sent(account: Account, credentials: Credentials | str, item: Pending,
                 me: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Make sure the message is in Sent exactly once: ``(how, folder)``."""
    mode = account.file_sent
    if not account.host or mode == "never":
        return "skipped", account.sent_folder
    if mode == "auto" and account.smtp_host.lower() in AUTO_FILERS:
        return "skipped", account.sent_folder
    with connect(account, credentials) as client:
        folder = filing.sent_folder(client, account, me)
        if filing.contains(client, folder, item.message_id):
            return "found", folder
        filing.append(client, folder, item.raw, (SEEN,), _date_of(item.raw))
    return "appended", folder


def save_draft(conn: sqlite3.Connection, settings: Settings,
               draft: Draft) -> tuple[str, str]:
    """APPEND the draft to Drafts with \\Draft and \\Seen: ``(folder, message_id)``."""
    account = settings.account
    message = compose(resolve(conn, settings), draft)
    credentials = credentials_for(settings)
    with connect(account, credentials) as client:
        folder = filing.drafts_folder(client, account)
        filing.append(client, folder, message.as_bytes(), (DRAFT, SEEN))
    return folder, str(message["Message-ID"])


def remember_sent(conn: sqlite3.Connection, raw: bytes, folder: str = "") -> None:
    """Put a message I just sent into the store's Sent folder, unless it is there already.

    It gets a negative UID (local, below any server UID); a later sync of the same message
    is the same Message-ID, which the analysis counts once.
    """
    headers = parse(raw, datetime.now(UTC))
    known = conn.execute(
        "SELECT 1 FROM messages m JOIN folders f ON f.id = m.folder_id "
        "WHERE f.role = 'sent' AND m.message_id = ? LIMIT 1", (headers.message_id,)
    ).fetchone()
    if known:
        return
    folder_id = ensure_folder(conn, folder or _store_sent_folder(conn), Role.SENT)
    lowest = conn.execute("SELECT min(0, coalesce(min(uid), 0)) FROM messages "
                          "WHERE folder_id = ?", (folder_id,)).fetchone()[0]
    add_batch(conn, folder_id, [(int(lowest) - 1, headers)], 0)


def _store_sent_folder(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT name FROM folders WHERE role = 'sent' ORDER BY id LIMIT 1"
                       ).fetchone()
    return str(row[0]) if row else "Sent"


def _date_of(raw: bytes) -> datetime | None:
    headers = parse(raw, datetime.now(UTC))
    return headers.time


def addresses(values: Sequence[str]) -> tuple[str, ...]:
    """Command-line recipients: comma-separated or repeated, blanks dropped."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
