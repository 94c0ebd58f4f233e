"""The bundled demo mailbox: a year of a Dutch freelancer's mail, for `netguard demo` and tests.

``resources/demo/`` holds ``sent.mbox`` and ``inbox.mbox`` built by ``tools/build_demo.py``
(deterministic) and ``expected.toml``, what every contact was built to show at ``DEMO_AT``.
"""

from __future__ import annotations

import sqlite3
import tomllib
from datetime import UTC, datetime
from importlib.resources import as_file
from pathlib import Path
from typing import Any

from netguard.mail.importer import import_path
from netguard.model import Role
from netguard.paths import Profile
from netguard.resources import resource
from netguard.settings import Settings, with_account
from netguard.store.people import add_me
from netguard.workspace import Workspace

# The demo's "now": every report, guard verdict and screenshot of the demo is taken here.
DEMO_AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DEMO_USER = "sanne@meijerontwerp.nl"
DEMO_ALIASES = ("hallo@meijerontwerp.nl",)
_MAILBOXES = (("sent.mbox", Role.SENT), ("inbox.mbox", Role.RECEIVED))


def load_demo(conn: sqlite3.Connection) -> None:
    """Import the demo mailboxes into ``conn`` and register the demo user's addresses."""
    for name, role in _MAILBOXES:
        with as_file(resource("demo", name)) as path:
            import_path(conn, Path(path), role)
    add_me(conn, DEMO_USER, source="login")
    for alias in DEMO_ALIASES:
        add_me(conn, alias, source="alias")


def demo_settings() -> Settings:
    """Settings of the demo profile: the demo user, no server (the demo never connects)."""
    return with_account(Settings(), user=DEMO_USER)


def demo_workspace(root: Path) -> Workspace:
    """A throwaway profile under ``root`` with the demo loaded (the folder is created)."""
    workspace = Workspace(Profile(root, root, root / "logs").ensure())
    workspace.save_settings(demo_settings())
    load_demo(workspace.store)
    return workspace


def expected() -> dict[str, Any]:
    """``expected.toml``: per contact, the rule ids and guard verdict built into the demo."""
    return tomllib.loads(resource("demo", "expected.toml").read_text(encoding="utf-8"))
