"""Text from mail and servers shown in a terminal: hostile input, in any script.

A display name, a subject or a folder name can carry control characters (an ESC sequence that
colours, clears the screen or sets the window title; a bell; a carriage return that writes over
the line) and bidirectional overrides that show text in another order than it is. Printed as they
are, they reach the terminal as commands. ``SafeStream`` wraps the command's stdout and stderr
(``cli.main``) and shows each of them as U+FFFD. What NetGuard composes with such characters of
its own (the progress bar's carriage return, the lint's underlines) goes to the stream underneath
(``raw``), its hostile parts made ``safe`` first. JSON keeps the data exact: its string escapes
say the same characters in plain ASCII (``json_text``). A table's columns are measured in the
terminal's columns, not in characters (``fit``): a Chinese name is twice as wide as it is long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO
from unicodedata import category, east_asian_width

# C0 controls but tab and newline, DEL, C1 controls, the bidirectional embeddings, overrides
# and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SHOWN = "\ufffd"


def safe(text: str) -> str:
    """``text`` with every character that would steer the terminal shown as U+FFFD."""
    return _UNSAFE.sub(_SHOWN, text)


def json_text(dumped: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: the same data."""
    return _UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", dumped)


class SafeStream:
    """A text stream that writes ``safe`` text to the one it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, buffer, encoding, ...
        return getattr(self.stream, name)


def raw(stream: TextIO | SafeStream) -> TextIO:
    """The stream underneath a ``SafeStream``, for what NetGuard composes itself."""
    return stream.stream if isinstance(stream, SafeStream) else stream


def cells(text: str) -> int:
    """How many columns ``text`` takes in a terminal: two for a wide character (Chinese,
    Japanese, Korean), none for a combining mark or a format character."""
    return sum(map(_cells, text))


def _cells(char: str) -> int:
    if char < "\u0300":  # Latin and the like: the common case, no lookup
        return 1
    if category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` columns: padded with spaces, or cut with "…"."""
    used = cells(text)
    if used <= width:
        return text + " " * (width - used)
    kept, used = [], 0
    for char in text:
        size = _cells(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…" + " " * (width - 1 - used)
