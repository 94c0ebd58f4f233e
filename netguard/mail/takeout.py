"""Google Takeout: one mbox holds sent and received mail, told apart by ``X-Gmail-Labels``.

Without the labels an "All mail" export imported as sent would make every correspondent
"me". With them: ``Sent`` is my mail, the rest was received, and spam, chats and drafts are
left out (they are not correspondence).
"""

from __future__ import annotations

import re

from netguard.model import Role

_LABELS = re.compile(rb"^x-gmail-labels:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)",
                     re.IGNORECASE | re.MULTILINE)
_LEAVE_OUT = frozenset({"spam", "chat", "chats", "drafts", "draft"})


def labels(header: bytes) -> frozenset[str] | None:
    """The message's Gmail labels, lower-cased; None when it has no X-Gmail-Labels."""
    match = _LABELS.search(header)
    if match is None:
        return None
    text = match.group(1).decode("utf-8", "replace")
    return frozenset(label.strip().strip('"').lower() for label in text.split(","))


def role_for(header: bytes, default: Role) -> Role | None:
    """The folder role for a message: by its labels, else ``default``; None: leave it out."""
    found = labels(header)
    if found is None:
        return default
    if found & _LEAVE_OUT:
        return None
    return Role.SENT if "sent" in found else Role.RECEIVED
