"""`netguard send` (guard first), `netguard save-draft` and `netguard outbox`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from netguard import outbox
from netguard.analysis.model import RecipientVerdict
from netguard.errors import ConfigError, KnownError, UsageError
from netguard.mail import send as sending
from netguard.mail.compose import Draft, threaded
from netguard.mail.identity import IdentityMissing
from netguard.settings import Settings
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    send = sub.add_parser("send", help="send a message, the guard first")
    save = sub.add_parser("save-draft", help="save a message to the Drafts folder")
    for parser in (send, save):
        parser.add_argument("--to", action="append", required=True)
        parser.add_argument("--cc", action="append", default=[])
        parser.add_argument("--subject", required=True)
        parser.add_argument("--body-file", required=True)
    exclusive = send.add_mutually_exclusive_group()
    exclusive.add_argument("--force", action="store_true")
    exclusive.add_argument("--close-the-loop", action="store_true",
                           help="this message closes the loop: no fifth-follow-up warning, "
                                "once per unanswered streak")
    send.add_argument("--in-reply-to")
    send.set_defaults(run=run_send)
    save.set_defaults(run=run_save_draft)
    box = sub.add_parser("outbox", help="messages not sent yet; --retry sends them")
    box.add_argument("--retry", action="store_true")
    box.add_argument("--resend-in-doubt", action="store_true",
                     help="with --retry: also send again what may have arrived already")
    box.set_defaults(run=run_outbox)


def run_send(args: argparse.Namespace, workspace: Workspace) -> int:
    settings, conn = _account_settings(workspace), workspace.store
    lang = language(settings.language)
    draft = _draft(args, workspace)
    closing_for = draft.to if args.close_the_loop else ()
    try:
        result = sending.send(conn, settings, draft, force=args.force, closing_for=closing_for)
    except IdentityMissing:
        raise  # nothing was queued: no outbox to point at
    except KnownError as err:
        queued = outbox.pending(conn)  # the message just queued is the newest
        if queued:
            newest = queued[-1]
            key = ("sent_not_filed" if newest.state == "sent"
                   else "in_doubt" if newest.in_doubt else "kept")
            err.args = (text("send", lang, key, reason=err, message_id=newest.message_id),)
        raise
    if not result.sent:
        _explain_stop(result, lang)
        return 3
    print(text("send", lang, "sent", message_id=result.message_id,
               recipients=", ".join(draft.to + draft.cc)))
    if sending.warned(result.verdict):
        print(text("send", lang, "forced"))
    if closed := sending.closes_loop(result.verdict):
        print(text("send", lang, "closing", recipients=", ".join(closed)))
    if result.filed:
        print(text("send", lang, f"filed_{result.filed}", folder=result.sent_folder))
    return 0


def run_save_draft(args: argparse.Namespace, workspace: Workspace) -> int:
    settings = _account_settings(workspace)
    folder, message_id = sending.save_draft(workspace.store, settings, _draft(args, workspace))
    print(text("send", language(settings.language), "draft_saved", folder=folder,
               message_id=message_id))
    return 0


def run_outbox(args: argparse.Namespace, workspace: Workspace) -> int:
    settings, conn = workspace.settings, workspace.store
    lang = language(settings.language)
    if args.resend_in_doubt and not args.retry:
        raise UsageError(text("send", lang, "resend_needs_retry"))
    if args.retry:
        failures = 0
        for message_id, error in sending.retry(conn, _account_settings(workspace),
                                               args.resend_in_doubt):
            key = _retried(outbox.get(conn, message_id), error)
            print(text("send", lang, key, message_id=message_id, error=error))
            failures += bool(error)
        return 1 if failures else 0
    items = outbox.pending(conn)
    if not items:
        print(text("send", lang, "outbox_empty"))
    for item in items:
        error = f"  ({item.last_error})" if item.last_error else ""
        print(text("send", lang, "outbox_item", message_id=item.message_id,
                   recipients=", ".join(item.recipients), attempts=item.attempts,
                   state=_state(item, lang), error=error))
    return 0


def _retried(item: outbox.Pending | None, error: str) -> str:
    if not error:
        return "retried_ok"
    return "retried_in_doubt" if item is not None and item.in_doubt else "retried_failed"


def _state(item: outbox.Pending, lang: str) -> str:
    return text("send", lang, "state_in_doubt") if item.in_doubt else item.state


def _draft(args: argparse.Namespace, workspace: Workspace) -> Draft:
    path = Path(args.body_file)
    try:
        body = sys.stdin.read() if args.body_file == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        lang = language(workspace.settings.language)
        raise UsageError(text("send", lang, "body_missing", path=path, reason=err)) from None
    draft = Draft(to=sending.addresses(args.to), cc=sending.addresses(args.cc),
                  subject=args.subject, body=body,
                  in_reply_to=getattr(args, "in_reply_to", None) or "")
    return threaded(workspace.store, draft)


def _account_settings(workspace: Workspace) -> Settings:
    settings = workspace.settings
    if not settings.account.configured:
        raise ConfigError("No account is configured. Run `netguard account set ...` first.")
    return settings


def _explain_stop(result: sending.SendResult, lang: str) -> None:
    for recipient in result.verdict.recipients:
        if not recipient.warn:
            continue
        finding = recipient.findings[0] if recipient.findings else None
        reason = finding.message if finding else ""
        print(text("send", lang, "stopped", reason=reason), file=sys.stderr)
        if finding:
            print(text("send", lang, "stopped_advice", advice=finding.advice), file=sys.stderr)
        print(_how(recipient, lang), file=sys.stderr)


def _how(recipient: RecipientVerdict, lang: str) -> str:
    """How to go on; after a loop already closed in this streak, why it was judged normally."""
    if recipient.closed_at is None:
        return text("send", lang, "stopped_how", address=recipient.address)
    return text("send", lang, "stopped_how_closed", address=recipient.address,
                date=recipient.closed_at.date().isoformat())
