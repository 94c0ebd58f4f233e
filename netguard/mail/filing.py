"""Putting a message into an IMAP folder: Sent after a send, Drafts for a saved draft.

The folder is found by SPECIAL-USE, then by its well-known (also localized) names, unless
the account names it. Looking for a Message-ID uses EXAMINE, so it changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from imapclient import IMAPClient
from imapclient.imapclient import DRAFTS, SENT

from netguard.errors import ServerError
from netguard.mail.connection import imap_errors

SENT_NAMES = (
    "Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail",
    "[Google Mail]/Sent Mail", "INBOX.Sent", "Verzonden items", "Verzonden",
    "[Gmail]/Verzonden berichten", "Gesendet", "Envoyés",
)
DRAFTS_NAMES = (
    "Drafts", "Draft", "[Gmail]/Drafts", "[Google Mail]/Drafts", "INBOX.Drafts",
    "Concepten", "[Gmail]/Concepten", "Entwürfe", "Brouillons",
)


def sent_folder(client: IMAPClient, override: str = "") -> str:
    return _folder(client, override, SENT, SENT_NAMES, "Sent")


def drafts_folder(client: IMAPClient, override: str = "") -> str:
    return _folder(client, override, DRAFTS, DRAFTS_NAMES, "Drafts")


def _folder(client: IMAPClient, override: str, flag: bytes, names: tuple[str, ...],
            what: str) -> str:
    if override:
        return override
    with imap_errors("LIST"):
        found = client.find_special_folder(flag)
        if found:
            return str(found)
        existing = {str(name).casefold(): str(name) for _, _, name in client.list_folders()}
    for name in names:
        if name.casefold() in existing:
            return existing[name.casefold()]
    raise ServerError(f"No {what} folder found on the server. Name it in the account settings.")


def contains(client: IMAPClient, folder: str, message_id: str) -> bool:
    """Whether ``folder`` holds a message with this Message-ID (read-only)."""
    with imap_errors("EXAMINE", folder):
        client.select_folder(folder, readonly=True)
        found = client.search(["HEADER", "Message-ID", message_id])
        client.unselect_folder()
    return bool(found)


def append(client: IMAPClient, folder: str, raw: bytes, flags: tuple[bytes, ...],
           when: datetime | None = None) -> None:
    with imap_errors("APPEND", folder):
        client.append(folder, raw, flags=flags, msg_time=when)
