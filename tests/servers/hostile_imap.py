"""A scripted hostile IMAP server on 127.0.0.1, for the fault tests (issue 16).

It speaks just enough IMAP4rev1 for NetGuard's sync: CAPABILITY, LOGIN (any password), LIST,
STATUS, EXAMINE, UID SEARCH, UID FETCH of header fields, NOOP, LOGOUT. Each folder holds
``messages`` small messages with UIDs 1..n. A ``Script`` tells it how to misbehave:

``huge``        a command (``LIST``, ``STATUS``, ``SEARCH``, ``EXAMINE``, ``FETCH``; or
                ``GREETING``, the server's first words) whose answer
                announces a literal of ``HUGE`` bytes and then streams filler until the client
                hangs up (at most ``STREAM_CAP`` bytes): the client must refuse it at once
``garbage``     a command whose answer has garbage where numbers or names belong
``cut``         a command whose answer stops in the middle of a literal (the connection closes)
``stall``       a command the server never answers (the client's read timeout must fire)
``left_out``    UIDs (per folder) that FETCH answers leave out
``ahead``       UIDs beyond those asked for that every FETCH answer brings too (as Dovecot
                answers a pipelined FETCH before the one before it completes); a later answer
                of the session leaves out what was sent ahead
``cut_fetch``   the FETCH (counted over every connection, from 1) whose answer stops in the
                middle of its first literal (the connection closes); 0: none
``refuse``      folders whose STATUS and EXAMINE are answered NO (a strict server refusing a raw
                8-bit name)
``extra``       more folders, as ``(raw name bytes, flags)``
``sent_flags``  the flags LIST shows for ``Sent`` (empty: found by name only)
``logins``      connections the server takes at most; later ones are closed at once

    with HostileImap(Script(huge={"LIST"})) as server:
        account = server.account()      # a netguard.settings.Account pointing at it

``streamed`` counts the filler bytes sent; ``commands`` keeps every command line received.
"""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType

from netguard.settings import Account

HUGE = 2_000_000_000
STREAM_CAP = 64_000_000  # filler bytes the server sends at most after a huge announcement
CHUNK = 64 * 1024
_UID_SET = re.compile(rb"^[0-9:*,]+$")
_FIELDS = re.compile(rb"BODY\.PEEK\[HEADER\.FIELDS \(([^)]*)\)\]")
_HUGE_ANSWERS = {"GREETING": b"* OK", "LIST": b'* LIST () "/"', "STATUS": b"* STATUS",
                 "SEARCH": b"* SEARCH", "EXAMINE": b"* FLAGS",
                 "FETCH": b"* 1 FETCH (UID 1 BODY[HEADER]"}
_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\S+)')


@dataclass
class Script:
    huge: set[str] = field(default_factory=set)
    garbage: set[str] = field(default_factory=set)
    cut: set[str] = field(default_factory=set)
    stall: set[str] = field(default_factory=set)
    left_out: dict[str, set[int]] = field(default_factory=dict)
    ahead: int = 0
    cut_fetch: int = 0
    refuse: set[bytes] = field(default_factory=set)
    extra: list[tuple[bytes, bytes]] = field(default_factory=list)
    sent_flags: bytes = b"\\Sent"
    logins: int | None = None
    messages: int = 3


class HostileImap(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script: Script | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.script = script or Script()
        self.port = self.server_address[1]
        self.streamed = 0
        self.connections = 0
        self.fetches = 0
        self.commands: list[bytes] = []
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> HostileImap:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def account(self, **changes: object) -> Account:
        values: dict[str, object] = {"host": "127.0.0.1", "port": self.port, "user": "me",
                                     "security": "plain", "timeout_seconds": 5.0}
        values.update(changes)
        return Account(**values)  # type: ignore[arg-type]

    def folders(self) -> list[tuple[bytes, bytes]]:
        """(raw name, flags) of every folder LIST shows."""
        return [(b"INBOX", b""), (b"Sent", self.script.sent_flags), *self.script.extra]

    def command(self, line: bytes) -> None:
        self.commands.append(line)


class _Session(socketserver.StreamRequestHandler):
    server: HostileImap
    timeout = 60

    def handle(self) -> None:
        self.selected = b""
        self.answered: set[int] = set()  # UIDs of the selected folder sent (ahead, too)
        self.server.connections += 1
        logins = self.server.script.logins
        if logins is not None and self.server.connections > logins:
            return
        if "GREETING" in self.server.script.huge:
            self.huge("GREETING")
            return
        self.send(b"* OK [CAPABILITY IMAP4rev1] hostile test server ready")
        while not self.server.stopping.is_set():
            line = self.rfile.readline(100_000)
            if not line:
                return
            self.server.command(line.rstrip(b"\r\n"))
            try:
                if not self.answer(line.rstrip(b"\r\n")):
                    return
            except OSError:
                return

    def send(self, *lines: bytes) -> None:
        self.wfile.write(b"".join(line + b"\r\n" for line in lines))
        self.wfile.flush()

    def answer(self, line: bytes) -> bool:
        """Answer one command; False ends the session."""
        tag, _, rest = line.partition(b" ")
        words = rest.split(b" ")
        command = words[0].upper()
        if command == b"UID":
            command, words = words[1].upper(), words[1:]
        name = command.decode("ascii", "replace")
        script = self.server.script
        if name in script.stall:
            self.server.stopping.wait(60)
            return False
        if name in script.huge:
            self.huge(name)
            return False
        if name in script.cut:
            self.send(b"* 1 FETCH (UID 1 BODY[HEADER] {1000}")
            self.wfile.write(b"Subject: half")
            return False
        handler = getattr(self, "do_" + name.lower(), None)
        if handler is None:
            self.send(tag + b" BAD unknown command")
            return True
        return bool(handler(tag, b" ".join(words[1:])))

    def huge(self, command: str) -> None:
        """An answer of ``command``'s own shape announcing a ``HUGE`` literal, then filler."""
        self.send(_HUGE_ANSWERS[command] + b" {%d}" % HUGE)
        filler = b"x" * CHUNK
        while self.server.streamed < STREAM_CAP and not self.server.stopping.is_set():
            self.wfile.write(filler)
            self.server.streamed += len(filler)

    def garbage(self, command: str) -> bool:
        return command in self.server.script.garbage

    # commands ----------------------------------------------------------------------------

    def do_capability(self, tag: bytes, args: bytes) -> bool:
        self.send(b"* CAPABILITY IMAP4rev1", tag + b" OK done")
        return True

    def do_login(self, tag: bytes, args: bytes) -> bool:
        self.send(tag + b" OK [CAPABILITY IMAP4rev1] logged in")
        return True

    def do_noop(self, tag: bytes, args: bytes) -> bool:
        self.send(tag + b" OK done")
        return True

    def do_logout(self, tag: bytes, args: bytes) -> bool:
        self.send(b"* BYE bye", tag + b" OK done")
        return False

    def do_list(self, tag: bytes, args: bytes) -> bool:
        if self.garbage("LIST"):
            self.send(b"* LIST (\\Sent \"/\" {3}", b"abc) ((( \"", tag + b" OK done")
            return True
        rows = [b'* LIST (%s) "/" "%s"' % (flags, name) for name, flags in self.server.folders()]
        self.send(*rows, tag + b" OK done")
        return True

    def do_status(self, tag: bytes, args: bytes) -> bool:
        folder = _name(args)
        if folder in self.server.script.refuse or not self.exists(folder):
            self.send(tag + b" NO Mailbox does not exist")
            return True
        count = self.server.script.messages
        value = b"banana" if self.garbage("STATUS") else b"%d" % (count + 1)
        self.send(b'* STATUS "%s" (UIDNEXT %s UIDVALIDITY 7)' % (folder, value), tag + b" OK done")
        return True

    def do_examine(self, tag: bytes, args: bytes) -> bool:
        folder = _name(args)
        if folder in self.server.script.refuse or not self.exists(folder):
            self.send(tag + b" NO Mailbox does not exist")
            return True
        self.selected, self.answered = folder, set()
        self.send(b"* %d EXISTS" % self.server.script.messages, b"* OK [UIDVALIDITY 7] ok",
                  b"* OK [UIDNEXT %d] ok" % (self.server.script.messages + 1),
                  tag + b" OK [READ-ONLY] examined")
        return True

    def do_search(self, tag: bytes, args: bytes) -> bool:
        asked = _uids(args.split(b" ")[-1], self.server.script.messages)
        found = b" ".join(b"%d" % uid for uid in asked)
        if self.garbage("SEARCH"):
            found += b" 12x!"
        self.send(b"* SEARCH " + found if found else b"* SEARCH", tag + b" OK done")
        return True

    def do_fetch(self, tag: bytes, args: bytes) -> bool:
        uid_text, _, query = args.partition(b" ")
        fields = _FIELDS.search(query)
        script = self.server.script
        left_out = script.left_out.get(self.selected.decode(), set())
        self.server.fetches += 1
        asked = list(_uids(uid_text, script.messages))
        if asked and script.ahead:
            asked += range(asked[-1] + 1, min(asked[-1] + script.ahead, script.messages) + 1)
        to_send = [uid for uid in asked if uid not in left_out and uid not in self.answered]
        if self.server.fetches == script.cut_fetch:
            uid = to_send[0] if to_send else 1
            self.wfile.write(b"* %d FETCH (UID %d BODY[HEADER] {1000}\r\nSubject: half"
                             % (uid, uid))
            return False
        self.answered.update(to_send)
        for uid in to_send:
            header = _header(self.selected, uid)
            self.wfile.write(b'* %d FETCH (UID %d INTERNALDATE "01-Jul-2025 10:00:00 +0000" '
                             b"BODY[HEADER.FIELDS (%s)] {%d}\r\n%s)\r\n"
                             % (uid, uid, fields[1] if fields else b"", len(header), header))
        self.send(tag + b" OK done")
        return True

    def exists(self, folder: bytes) -> bool:
        return any(folder == name for name, _ in self.server.folders())


def _name(args: bytes) -> bytes:
    """The first argument: a quoted string (unescaped) or an atom."""
    match = _QUOTED.match(args)
    if match is None:
        return b""
    return re.sub(rb"\\(.)", rb"\1", match[1]) if match[1] is not None else match[2]


def _uids(text: bytes, highest: int) -> Iterator[int]:
    """The UIDs of a UID set such as ``1:3,7`` or ``4:*`` that exist (1..highest)."""
    if not _UID_SET.match(text):
        return
    for part in text.split(b","):
        first, _, last = part.partition(b":")
        low = highest if first == b"*" else int(first)
        high = low if not last else highest if last == b"*" else int(last)
        yield from range(max(min(low, high), 1), min(max(low, high), highest) + 1)


def _header(folder: bytes, uid: int) -> bytes:
    me, other = b"me@example.test", b"anna@example.nl"
    sender, to = (me, other) if folder == b"Sent" else (other, me)
    return (b"Message-ID: <%d.%s@hostile.test>\r\nDate: Tue, 01 Jul 2025 10:00:00 +0200\r\n"
            b"From: %s\r\nTo: %s\r\nSubject: message %d\r\n\r\n"
            % (uid, folder.replace(b" ", b"_"), sender, to, uid))

