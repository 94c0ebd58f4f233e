"""The app keeps its database open while a ``netguard`` command runs beside it (the README
tells users to run ``netguard allow`` that way): neither may break the other's store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from netguard import outbox
from netguard.model import Role
from netguard.store import messages, open_store
from netguard.store.people import add_me, my_addresses
from netguard.workspace import Workspace
from tests.unit.test_store import headers


def run_cli(home: Path, *args: str) -> None:
    env = {**os.environ, "NETGUARD_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "netguard", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def test_a_command_beside_the_open_app_leaves_its_store_whole(home: Path) -> None:
    path = Workspace.open(str(home)).profile.database
    app = open_store(path)  # the app's connection, holding the WAL
    worker = open_store(path)  # a second connection of the same process, as the app's worker has
    folder = messages.ensure_folder(app, "Sent", Role.SENT)
    messages.add_batch(app, folder, [(1, headers(1))], 1)
    for n, address in enumerate(["frank@example.nl", "anna@example.nl", "ben@example.nl"]):
        run_cli(home, "allow", address)
        assert outbox.allowed(app, [address])  # the app sees what the command wrote
        add_me(worker, f"me{n}@example.nl")  # and writes again after the command exited
        messages.add_batch(app, folder, [(u, headers(u)) for u in range(2 + n * 10, 12 + n * 10)],
                           11 + n * 10)
    fresh = open_store(path)  # what the next process will find
    assert fresh.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert fresh.execute("SELECT count(*) FROM messages").fetchone()[0] == 31
    assert {"me0@example.nl", "me2@example.nl"} <= set(my_addresses(fresh))
    for conn in (fresh, worker, app):
        conn.close()
