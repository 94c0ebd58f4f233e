"""The Drafts watcher (SPEC §8), for webmail users: the guard and the lint on every new draft.

    for report in watch(conn, settings, once=True):   # one pass; once=False keeps watching
        print(report_to_json(report))

Drafts is opened with EXAMINE and read with BODY.PEEK, so nothing on the server changes.
A draft is reported once per content: ``(Message-ID, SHA-256 of the message)`` is remembered
in the store. Between passes the watcher waits with IDLE where the server has it, else it
polls every ``poll_seconds``.
"""

from __future__ import annotations

import email
import hashlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

from imapclient import IMAPClient

from netguard.accounts.credentials import credentials_for
from netguard.analysis import guard
from netguard.analysis.context import recipient_context
from netguard.analysis.model import Verdict
from netguard.analysis.serialize import finding_to_json, recipient_to_json
from netguard.lint.engine import lint
from netguard.lint.model import LintResult
from netguard.lint.serialize import finding_to_json as lint_finding_to_json
from netguard.mail import filing
from netguard.mail.connection import connect, imap_errors
from netguard.mail.headers import parse
from netguard.settings import Settings
from netguard.texts import language, text

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(frozen=True)
class DraftReport:
    message_id: str
    to: tuple[str, ...]
    subject: str
    verdict: Verdict
    lint: LintResult


def watch(conn: sqlite3.Connection, settings: Settings, once: bool = False,
          poll_seconds: float = 60.0) -> Iterator[DraftReport]:
    """Reports for new or changed drafts: one pass, or for ever (IDLE, else polling)."""
    account = settings.account
    with connect(account, credentials_for(settings)) as client:
        folder = filing.drafts_folder(client, account)
        with imap_errors("EXAMINE", folder, account.host):
            client.select_folder(folder, readonly=True)
        yield from check_drafts(conn, settings, client, folder)
        while not once:
            _wait(client, poll_seconds)
            yield from check_drafts(conn, settings, client, folder)


def check_drafts(conn: sqlite3.Connection, settings: Settings, client: IMAPClient,
                 folder: str) -> Iterator[DraftReport]:
    """Every draft in the (already EXAMINEd) folder that was not reported in this form."""
    with imap_errors("SEARCH", folder):
        uids = sorted(client.search(["ALL"]))
    for start in range(0, len(uids), BATCH):
        with imap_errors("FETCH", folder):
            fetched = client.fetch(uids[start:start + BATCH], ["BODY.PEEK[]"])
        for uid in sorted(fetched):
            raw = fetched[uid].get(b"BODY[]")
            if isinstance(raw, bytes):
                report = _check(conn, settings, raw)
                if report is not None:
                    yield report


def _check(conn: sqlite3.Connection, settings: Settings, raw: bytes) -> DraftReport | None:
    headers = parse(raw, datetime.now(UTC))
    digest = hashlib.sha256(raw).hexdigest()
    if _seen(conn, headers.message_id, digest):
        return None
    lang = language(settings.language)
    to = tuple(a.addr for a in headers.to)
    verdict = guard.check(conn, settings.rules, to, [a.addr for a in headers.cc], lang=lang)
    contexts = [recipient_context(conn, settings.rules, address) for address in to]
    result = lint(body_text(raw), recipients=contexts, competitors=settings.lint.competitors)
    conn.execute("INSERT OR IGNORE INTO seen_drafts (message_id, hash) VALUES (?, ?)",
                 (headers.message_id, digest))
    return DraftReport(headers.message_id, to, headers.subject, verdict, result)


def _seen(conn: sqlite3.Connection, message_id: str, digest: str) -> bool:
    row = conn.execute("SELECT 1 FROM seen_drafts WHERE message_id = ? AND hash = ?",
                       (message_id, digest)).fetchone()
    return row is not None


def body_text(raw: bytes) -> str:
    """The draft's plain text (or its HTML, tags left in); mail is hostile, so never raise."""
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        part = message.get_body(preferencelist=("plain", "html"))
        return str(part.get_content()) if part is not None else ""
    except Exception as err:  # any malformed MIME: fall back to the raw bytes
        log.info("Could not decode a draft's body: %s", err)
        _, _, body = raw.partition(b"\r\n\r\n")
        return body.decode("utf-8", "replace")


def _wait(client: IMAPClient, poll_seconds: float) -> None:
    """Return when Drafts may have changed: at once if it already did (NOOP), else on IDLE's
    news or after ``poll_seconds``."""
    with imap_errors("NOOP"):
        _, updates = client.noop()
    if any(isinstance(u, tuple) and b"EXISTS" in u for u in updates):
        return
    if client.has_capability("IDLE"):
        with imap_errors("IDLE"):
            client.idle()
            try:
                client.idle_check(timeout=poll_seconds)
            finally:
                client.idle_done()
        return
    time.sleep(poll_seconds)
    with imap_errors("NOOP"):
        client.noop()


def report_to_json(report: DraftReport) -> dict[str, Any]:
    """SPEC §6 ``watch``: ``{"message_id", "to", "verdict", "findings"}`` plus details."""
    guard_findings = [
        {"kind": "guard", **finding_to_json(f)} for r in report.verdict.recipients
        for f in r.findings
    ]
    lint_findings = [{"kind": "lint", **lint_finding_to_json(f)} for f in report.lint.findings]
    return {
        "message_id": report.message_id,
        "to": list(report.to),
        "verdict": "warn" if report.verdict.warn else "clear",
        "findings": guard_findings + lint_findings,
        "subject": report.subject,
        "recipients": [recipient_to_json(r) for r in report.verdict.recipients],
        "language": report.lint.language,
    }


def describe(report: DraftReport, lang: str) -> str:
    """One line for a terminal: the verdict, the draft, and the first thing to look at."""
    messages = [f.message for r in report.verdict.recipients for f in r.findings]
    messages += [f.message for f in report.lint.findings]
    details = f": {messages[0]}" if messages else ""
    return text("relay", lang, "draft_line", verdict="warn" if report.verdict.warn else "clear",
                message_id=report.message_id, to=", ".join(report.to), details=details)
