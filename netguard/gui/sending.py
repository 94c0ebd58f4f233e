"""How the composer hands a message over: a small ``Sender`` interface.

The real sender (SMTP + APPEND to Sent, Save to Drafts = APPEND with ``\\Draft``) lives in
the core; the GUI calls it on the account's worker, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol

from netguard.errors import KnownError
from netguard.gui.i18n import t
from netguard.store import open_store
from netguard.workspace import Workspace

if TYPE_CHECKING:  # the mail modules load with the composer, not before the first paint
    from netguard.mail.compose import Draft


class Sender(Protocol):
    def send(self, draft: Draft, force: bool = False,
             closing_for: Collection[str] = ()) -> str:
        """Send; returns a short confirmation. ``force``: the user chose *Send anyway*;
        ``closing_for``: the To addresses this message closes the loop with."""
        ...

    def save_draft(self, draft: Draft) -> str:
        """APPEND to the Drafts folder; returns a short confirmation."""
        ...


class SendingUnavailable(KnownError):
    """Sending is not possible here (demo mode, or no account yet)."""


class UnavailableSender:
    """Used in demo mode and before an account is set up: says so, calmly."""

    def __init__(self, reason: str = "Sending needs an account with an outgoing (SMTP) "
                 "server.") -> None:
        self.reason = reason

    def send(self, draft: Draft, force: bool = False,
             closing_for: Collection[str] = ()) -> str:
        raise SendingUnavailable(self.reason)

    def save_draft(self, draft: Draft) -> str:
        raise SendingUnavailable(self.reason)


def sender_for(workspace: Workspace, demo: bool = False) -> Sender:
    """The account's sender once SMTP is set up; otherwise one that explains calmly."""
    account = workspace.settings.account
    if not demo and account.user and account.smtp_host:
        return AccountSender(workspace)
    return UnavailableSender(t(
        "The demo never sends mail. Copy puts the message on the clipboard." if demo else
        "Sending needs an account with an outgoing (SMTP) server. Set it up under Account; "
        "until then, Copy puts the message on the clipboard."))


class AccountSender:
    """The real thing: the core's guarded send and Save to Drafts, for the configured account.

    Called on the account's worker thread, so it opens its own store connection there. A reply
    is threaded as the CLI threads it (``compose.threaded``); From is the account's identity.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def send(self, draft: Draft, force: bool = False,
             closing_for: Collection[str] = ()) -> str:
        from netguard.mail import send as core
        from netguard.mail.compose import threaded

        conn = open_store(self.workspace.profile.database)
        try:
            result = core.send(conn, self.workspace.settings, threaded(conn, draft), force=force,
                               closing_for=closing_for)
        finally:
            conn.close()
        if not result.sent:
            raise SendingUnavailable(t("The send guard held this message back; nothing was sent."))
        if core.closes_loop(result.verdict):
            return t("Sent to {to}. The loop is closed; NetGuard lets it rest until they "
                     "write back.", to=", ".join(draft.to))
        return t("Sent to {to}.", to=", ".join(draft.to))

    def save_draft(self, draft: Draft) -> str:
        from netguard.mail import send as core
        from netguard.mail.compose import threaded

        conn = open_store(self.workspace.profile.database)
        try:
            folder, _id = core.save_draft(conn, self.workspace.settings, threaded(conn, draft))
        finally:
            conn.close()
        return t("Saved in {folder}.", folder=folder)
