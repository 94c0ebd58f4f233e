"""Putting a message into an IMAP folder: Sent after a send, Drafts for a saved draft.

The folder is the one sync reads (the account's override, SPECIAL-USE, localized names).
Looking for a Message-ID uses EXAMINE, so it changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from imapclient import IMAPClient

from netguard.errors import ServerError
from netguard.mail.connection import imap_errors
from netguard.mail.folders import find_drafts, find_sent, list_folders
from netguard.settings import Account


def sent_folder(client: IMAPClient, account: Account, me: Iterable[str] = ()) -> str:
    """The account's Sent folder, found the way sync finds it (``netguard.mail.folders``)."""
    return find_sent(client, account, list_folders(client), frozenset(me) | {account.user})


def drafts_folder(client: IMAPClient, account: Account) -> str:
    found = find_drafts(account, list_folders(client))
    if found is None:
        raise ServerError("No Drafts folder found on the server. Name it in the account "
                          "settings (drafts_folder).")
    return found


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
