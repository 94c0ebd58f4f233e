"""What the relay delivered to whom, and its certificate's home."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from netguard.errors import ConfigError
from netguard.relay import certificate, deliveries
from netguard.store.db import open_store

MID = "<m1@example.test>"


def test_a_retry_needs_every_recipient_to_have_it_already(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.sqlite3")
    deliveries.record(conn, MID, ["Anna@Example.org", "<bert@example.org>"])
    assert deliveries.delivered(conn, MID, ["bert@example.org", "anna@example.org"])
    assert deliveries.delivered(conn, MID, ["anna@example.org"])  # all of them got it
    assert not deliveries.delivered(conn, MID, ["anna@example.org", "carla@example.org"])
    assert not deliveries.delivered(conn, "<m2@example.test>", ["anna@example.org"])
    assert deliveries.known(conn, MID) and not deliveries.known(conn, "<m2@example.test>")


def test_old_deliveries_are_forgotten(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.sqlite3")
    long_ago = int(time.time()) - (deliveries.KEEP_DAYS + 1) * 86400
    conn.execute("INSERT INTO relay_deliveries VALUES (?, ?, ?)", (MID, "anna@example.org",
                                                                   long_ago))
    deliveries.record(conn, "<m2@example.test>", ["anna@example.org"])
    assert not deliveries.known(conn, MID)


def test_a_certificate_that_cannot_be_kept_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot keep its TLS certificate"):
        certificate.ensure(blocker / "tls")
