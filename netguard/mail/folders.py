"""Which folders to read (SPEC §4): Sent, Drafts, and the folders where replies land.

Sent: the user's override, else SPECIAL-USE ``\\Sent`` (or XLIST), else well-known localized
names (``resources/mail/folder_names.toml``), ranked by how much of each candidate is from my
addresses. When that does not settle it, a ``ConfigError`` names the candidates. Replies: INBOX
plus ``\\Archive`` / ``\\All``, or the configured list. Nothing here creates or renames a folder.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from imapclient import IMAPClient

from netguard.errors import ConfigError
from netguard.mail.connection import answer_parsed, imap_errors
from netguard.model import Role
from netguard.resources import read_text
from netguard.settings import Account
from netguard.texts import language, text

log = logging.getLogger(__name__)
SAMPLE = 50  # messages per candidate looked at when ranking
_MARGIN = 0.25  # how much "more mine" the best candidate must be than the next
_SKIP = frozenset({"\\noselect", "\\nonexistent"})
_XLIST_FLAGS = {"\\allmail": "\\all"}
Me = Iterable[str] | Callable[[], Iterable[str]]


@dataclass(frozen=True)
class Folder:
    """A folder as LISTed: decoded name, lower-cased flags, hierarchy delimiter."""

    name: str
    flags: frozenset[str]
    delimiter: str = "/"

    @property
    def leaf(self) -> str:
        return self.name.rsplit(self.delimiter, 1)[-1] if self.delimiter else self.name


@dataclass(frozen=True)
class Folders:
    """The folders a sync reads, by role."""

    sent: str
    drafts: str | None
    received: tuple[str, ...]

    def to_sync(self) -> tuple[tuple[str, Role], ...]:
        return ((self.sent, Role.SENT), *((name, Role.RECEIVED) for name in self.received))


@cache
def well_known(kind: str) -> tuple[str, ...]:
    """The localized names of ``kind`` (``sent`` or ``drafts``), lower-cased."""
    table = tomllib.loads(read_text("mail", "folder_names.toml"))
    return tuple(str(name).lower() for name in table[kind])


def list_folders(client: IMAPClient) -> list[Folder]:
    """Every selectable folder, names decoded from modified UTF-7, with special-use flags."""
    with imap_errors("LIST", host=client.host), answer_parsed():
        rows = client.list_folders()
        if client.has_capability("XLIST") and not client.has_capability("SPECIAL-USE"):
            rows = client.xlist_folders()
    folders = []
    for flags, delimiter, name in rows:
        lowered = frozenset(_flag(f) for f in flags)
        if lowered & _SKIP:
            continue
        delim = delimiter.decode() if isinstance(delimiter, bytes) else (delimiter or "")
        folders.append(Folder(_text(name), lowered, delim))
    return folders


def discover(client: IMAPClient, account: Account, me: Me) -> Folders:
    """Sent, Drafts and the reply folders of this account (see the module docstring).

    ``me`` (my addresses) is only needed to rank Sent candidates: a callable is asked then.
    """
    folders = list_folders(client)
    return Folders(
        sent=find_sent(client, account, folders, me),
        drafts=find_drafts(account, folders),
        received=find_received(account, folders),
    )


def find_sent(client: IMAPClient, account: Account, folders: Sequence[Folder], me: Me) -> str:
    if account.sent_folder:
        return _existing(account.sent_folder, folders)
    flagged = [f.name for f in folders if "\\sent" in f.flags]
    candidates = flagged or _by_name(folders, well_known("sent"))
    if not candidates:
        raise ConfigError(_say("sent_missing", folders=_names(folders)))
    if len(candidates) == 1:
        return candidates[0]
    return _rank(client, candidates, frozenset(me() if callable(me) else me))


def find_drafts(account: Account, folders: Sequence[Folder]) -> str | None:
    if account.drafts_folder:
        return _existing(account.drafts_folder, folders)
    flagged = [f.name for f in folders if "\\drafts" in f.flags]
    candidates = flagged or _by_name(folders, well_known("drafts"))
    return candidates[0] if candidates else None


def find_received(account: Account, folders: Sequence[Folder]) -> tuple[str, ...]:
    if account.reply_folders:
        return tuple(_existing(name, folders) for name in account.reply_folders)
    inbox = [f.name for f in folders if f.name.upper() == "INBOX"]
    extra = [f.name for f in folders
             if f.flags & {"\\archive", "\\all"} and "\\sent" not in f.flags]
    return tuple(dict.fromkeys([*(inbox or ["INBOX"]), *extra]))


def share_from_me(client: IMAPClient, folder: str, me: frozenset[str]) -> float:
    """The share of the newest ``SAMPLE`` messages of ``folder`` whose From is one of mine."""
    from netguard.mail.headers import parse  # only here: a sync with nothing new needs none

    with imap_errors("EXAMINE", folder, client.host), answer_parsed():
        client.select_folder(folder, readonly=True)
        uids = sorted(client.search("ALL"))[-SAMPLE:]
        rows = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (FROM)]"]) if uids else {}
    if not rows:
        return 0.0
    epoch = datetime.fromtimestamp(0, UTC)
    mine = 0
    for data in rows.values():
        raw = next((v for k, v in data.items() if k.startswith(b"BODY")), b"") or b""
        sender = parse(raw, epoch).sender
        mine += sender is not None and sender.addr in me
    return mine / len(rows)


def _rank(client: IMAPClient, candidates: Sequence[str], me: frozenset[str]) -> str:
    shares = sorted(((share_from_me(client, name, me), name) for name in candidates),
                    reverse=True)
    log.info("Sent folder candidates (share from me): %s", shares)
    (best, name), (second, _) = shares[0], shares[1]
    if best > 0 and best - second >= _MARGIN:
        return name
    key = "sent_ambiguous" if me else "sent_ambiguous_no_me"  # `me add` is what settles it
    raise ConfigError(_say(key, candidates=", ".join(candidates)))


def _by_name(folders: Sequence[Folder], names: Sequence[str]) -> list[str]:
    """Folders whose whole name or last component is well known, in the list's order."""
    order = {name: index for index, name in enumerate(names)}
    found = [(min(order.get(f.name.lower(), 999), order.get(f.leaf.lower(), 999)), f.name)
             for f in folders]
    return [name for rank, name in sorted(found) if rank < 999]


def _existing(name: str, folders: Sequence[Folder]) -> str:
    for folder in folders:
        if folder.name == name or (name.upper() == "INBOX" == folder.name.upper()):
            return folder.name
    raise ConfigError(_say("folder_missing", folder=name, folders=_names(folders)))


def _names(folders: Sequence[Folder]) -> str:
    return ", ".join(f.name for f in folders) or "-"


def _flag(flag: object) -> str:
    value = _text(flag).lower()
    return _XLIST_FLAGS.get(value, value)


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _say(key: str, **values: object) -> str:
    return text("mail", language(), key, **values)
