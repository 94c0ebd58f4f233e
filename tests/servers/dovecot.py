"""A private Dovecot for tests and benchmarks: own config in a temp dir, loopback, free ports.

    server = DovecotServer.start()          # plain port (STARTTLS offered) + TLS port
    user = server.new_user()                 # fresh passwd-file user with the standard folders
    server.append(user, "Sent", raw_bytes)   # seed through IMAP APPEND
    server.snapshot(user)                    # flags + HIGHESTMODSEQ of every folder
    server.stop()                            # SIGTERM to the master's pid

    DovecotServer.start(oauth2=OAuth2Passdb(issuer, {kid: pem}))   # also XOAUTH2/OAUTHBEARER

With ``oauth2`` set, an ``oauth2`` passdb validates JWT access tokens locally (keys at
``keys/default/RS256/<kid>``, the issuer checked, the user from the ``email`` claim) beside the
passwd-file; without it the config has no oauth2 at all, so the password tests never depend on it.

Folders: ``Sent`` (\\Sent), ``Drafts`` (\\Drafts), ``Archive`` (\\Archive) get their special-use
flag from the config when they exist; ``Verzonden items`` has none. ``new_user(folders=...)``
creates only the folders asked for, so a test can leave out ``Sent`` to force name fallback.
The TLS certificate is self-signed for 127.0.0.1/localhost, made with the openssl CLI;
``ca_file`` trusts it. As root, Dovecot runs its internal/login processes as dovecot/dovenull
and owns mail as ``nobody`` (see FACTS.md).
"""

from __future__ import annotations

import contextlib
import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
HOST = "127.0.0.1"
STANDARD_FOLDERS = ("Sent", "Drafts", "Archive", "Verzonden items")
_ids = itertools.count(1)

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login{mechanisms}
auth_verbose = yes
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
mail_fsync = never
{ownership}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
{oauth2_passdb}userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
  default_fields = home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox Archive {{
    special_use = \\Archive
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass(frozen=True)
class OAuth2Passdb:
    """Local JWT validation: the trusted issuer and its public keys by ``kid`` (PEM)."""

    issuer: str
    keys: dict[str, bytes]


_OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf
}}
"""

_OAUTH2_CONF = """\
introspection_mode = local
local_validation_key_dict = fs:posix:prefix={root}/keys/
issuers = {issuer}
username_attribute = email
debug = yes
"""


def _oauth2(root: Path, oauth2: OAuth2Passdb | None) -> dict[str, str]:
    """The config pieces for ``oauth2`` (none when it is not asked for)."""
    if oauth2 is None:
        return {"mechanisms": "", "oauth2_passdb": ""}
    keys = root / "keys" / "default" / "RS256"
    keys.mkdir(parents=True)
    for kid, pem in oauth2.keys.items():
        (keys / kid).write_bytes(pem)
    (root / "oauth2.conf").write_text(_OAUTH2_CONF.format(root=root, issuer=oauth2.issuer))
    return {"mechanisms": " xoauth2 oauthbearer",
            "oauth2_passdb": _OAUTH2_PASSDB.format(root=root)}


@dataclass(frozen=True)
class User:
    name: str
    password: str


@dataclass(frozen=True)
class FolderSnapshot:
    """What must not change during a read-only sync."""

    highestmodseq: int
    flags: tuple[tuple[int, tuple[bytes, ...]], ...]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def make_certificate(directory: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 and localhost; returns the cert path."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem"),
         "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return directory / "cert.pem"


class DovecotServer:
    """One running Dovecot master process and its temp dir."""

    def __init__(self, root: Path, port: int, tls_port: int, process: subprocess.Popen[bytes]):
        self.root = root
        self.host = HOST
        self.port = port
        self.tls_port = tls_port
        self.ca_file = root / "cert.pem"
        self.log_path = root / "dovecot.log"
        self.mail_root = root / "mail"
        self.process = process
        self.pid = process.pid

    @classmethod
    def start(cls, oauth2: OAuth2Passdb | None = None) -> DovecotServer:
        root = Path(tempfile.mkdtemp(prefix="netguard-dovecot-"))
        root.chmod(0o755)
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        make_certificate(root)
        (root / "passwd").write_text("".join(  # Dovecot re-reads it at most once a second
            f"{user.name}:{{PLAIN}}{user.password}::::::\n" for user in _pool()))
        port, tls_port = free_port(), free_port()
        config = root / "dovecot.conf"
        config.write_text(_CONFIG.format(root=root, host=HOST, port=port, tls_port=tls_port,
                                         ownership=_ownership(root), **_oauth2(root, oauth2)))
        with (root / "stderr.log").open("wb") as stderr:
            process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)],
                                       stdout=subprocess.DEVNULL, stderr=stderr)
        server = cls(root, port, tls_port, process)
        server._wait_ready()
        return server

    def _wait_ready(self, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (self.root / "stderr.log").read_text(errors="replace")
                raise RuntimeError(f"dovecot exited: {err}{self.log_text()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return
            time.sleep(0.02)
        raise RuntimeError(f"dovecot did not start: {self.log_text()}")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def login_attempts(self, user: str) -> int:
        """How many times the auth process checked a password for ``user``."""
        pattern = re.compile(rf"passwd-file\({re.escape(user)},")
        return sum(1 for line in self.log_text().splitlines()
                   if pattern.search(line) and ("mismatch" in line or "unknown" in line))

    # users and seeding -------------------------------------------------------------------

    def new_user(self, folders: Iterable[str] = STANDARD_FOLDERS) -> User:
        """A fresh user (an address) with INBOX and ``folders``; nothing else is shared."""
        user = _user(next(_ids))
        with self.imap(user) as imap:
            for folder in folders:
                _ok(imap.create(_quote(folder)))
        return user

    @contextlib.contextmanager
    def imap(self, user: User) -> Iterable[imaplib.IMAP4]:  # type: ignore[misc]
        """A logged-in imaplib connection on the plain port."""
        imap = imaplib.IMAP4(HOST, self.port, timeout=10)
        try:
            _ok(imap.login(user.name, user.password))
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def append(self, user: User, folder: str, *messages: bytes, flags: str = "") -> None:
        with self.imap(user) as imap:
            for raw in messages:
                _ok(imap.append(_quote(folder), flags or None, None, raw))

    def seed_maildir(self, user: User, folder: str, messages: Iterable[bytes]) -> None:
        """Write ``messages`` into ``folder`` as Maildir files with their right ``S=`` sizes:
        thousands a second, where APPEND manages a few hundred. Dovecot indexes them when the
        folder is next opened."""
        base = self.mail_root / user.name
        cur = (base if folder.upper() == "INBOX" else base / f".{folder}") / "cur"
        cur.mkdir(parents=True, exist_ok=True)
        for number, data in enumerate(messages):
            sizes = f"S={len(data)},W={len(data) + data.count(10)}"
            (cur / f"{1_700_000_000 + number}.M{number}P1.seed,{sizes}:2,S").write_bytes(data)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            subprocess.run(["chown", "-R", f"{nobody.pw_uid}:{nobody.pw_gid}", str(base)],
                           check=True)

    def snapshot(self, user: User) -> dict[str, FolderSnapshot]:
        """Flags per UID and HIGHESTMODSEQ of every folder, for read-only checks."""
        result: dict[str, FolderSnapshot] = {}
        with self.imap(user) as imap:
            for name in folder_names(imap):
                typ, data = imap.status(_quote(name), "(HIGHESTMODSEQ)")
                _ok((typ, data))
                modseq = int(re.search(rb"HIGHESTMODSEQ (\d+)", data[0] or b"").group(1))  # type: ignore[union-attr]
                _ok(imap.select(_quote(name), readonly=True))
                typ, rows = imap.uid("FETCH", "1:*", "(FLAGS)")
                flags = []
                for row in rows:
                    if isinstance(row, bytes) and (found := re.search(
                            rb"UID (\d+) FLAGS \(([^)]*)\)|FLAGS \(([^)]*)\) UID (\d+)", row)):
                        uid = int(found.group(1) or found.group(4))
                        names = (found.group(2) or found.group(3) or b"").split()
                        kept = sorted(n for n in names if n != rb"\Recent")  # per session
                        flags.append((uid, tuple(kept)))
                result[name] = FolderSnapshot(modseq, tuple(sorted(flags)))
                imap.close()
        return result

    def set_uidvalidity(self, user: User, folder: str, uidvalidity: int) -> None:
        """Change a folder's UIDVALIDITY (as a server restore would)."""
        subprocess.run(
            ["doveadm", "-c", str(self.root / "dovecot.conf"), "mailbox", "update",
             "-u", user.name, "--uid-validity", str(uidvalidity), folder],
            check=True, capture_output=True,
        )


def _user(number: int) -> User:
    return User(f"user{number}@example.test", f"secret-{number}")


def _pool(size: int = 2000) -> list[User]:
    return [_user(number) for number in range(1, size + 1)]


def folder_names(imap: imaplib.IMAP4) -> list[str]:
    """Raw (modified UTF-7) names of every folder."""
    typ, rows = imap.list()
    _ok((typ, rows))
    names = []
    for row in rows:
        if isinstance(row, bytes):
            found = re.match(rb'\([^)]*\) (?:"[^"]*"|NIL) (.*)$', row)
            if found:
                names.append(found.group(1).decode().strip('"'))
    return names


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(response: tuple[str, list[object]]) -> None:
    if response[0] != "OK":
        raise RuntimeError(f"IMAP command failed: {response}")


def _ownership(root: Path) -> str:
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return f"default_internal_user = {me}\ndefault_login_user = {me}\n"
    nobody = pwd.getpwnam("nobody")
    os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    return ("default_internal_user = dovecot\ndefault_login_user = dovenull\n"
            f"mail_uid = {nobody.pw_uid}\nmail_gid = {nobody.pw_gid}\nfirst_valid_uid = 1\n")
