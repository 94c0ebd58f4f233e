"""Logging: a rotating file in the profile's log dir, passwords redacted, imapclient quiet."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from netguard import logs
from netguard.paths import Profile

PASSWORD = "Tr0ub4dor&3-horse"


@pytest.fixture
def fresh_logging() -> Iterator[logging.Logger]:
    """Let logs.setup() run again in this process, and undo it afterwards."""
    root = logging.getLogger("netguard")
    saved = (list(root.handlers), root.level, root.__dict__.pop("_netguard_configured", None))
    imap_level = logging.getLogger("imapclient").level
    root.handlers.clear()
    yield root
    for handler in root.handlers:
        if handler is not logs.TAIL:
            handler.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    if saved[2] is not None:
        root._netguard_configured = saved[2]  # type: ignore[attr-defined]
    else:
        root.__dict__.pop("_netguard_configured", None)
    logging.getLogger("imapclient").setLevel(imap_level)


def flush(root: logging.Logger) -> None:
    for handler in root.handlers:
        handler.flush()


def test_the_log_file_is_in_the_profiles_log_dir(fresh_logging, tmp_path: Path) -> None:
    profile = Profile.locate(tmp_path / "home")
    assert profile.log_dir == (tmp_path / "home" / "logs").resolve()
    logs.setup(profile.log_dir)
    logging.getLogger("netguard.mail.sync").info("Synced %d messages", 12)
    flush(fresh_logging)
    text = (profile.log_dir / "netguard.log").read_text(encoding="utf-8")
    assert "netguard.mail.sync: Synced 12 messages" in text
    assert any("Synced 12 messages" in line for line in logs.TAIL.lines)


@pytest.mark.parametrize(("fmt", "args"), [
    ("LOGIN sanne@example.nl %s", (PASSWORD,)),
    ("login %s %s", ("sanne@example.nl", PASSWORD)),
    ("password=%s", (PASSWORD,)),
    ("Password: %s", (PASSWORD,)),
    ("> AUTHENTICATE PLAIN %s", (PASSWORD,)),
    ("pass %s", (PASSWORD,)),
])
def test_a_password_in_a_log_call_is_redacted(
    fresh_logging, tmp_path: Path, fmt: str, args: tuple[str, ...]
) -> None:
    logs.setup(tmp_path)
    logging.getLogger("netguard.mail.connection").warning(fmt, *args)
    flush(fresh_logging)
    text = (tmp_path / "netguard.log").read_text(encoding="utf-8")
    assert "[redacted]" in text
    assert PASSWORD not in text
    assert not any(PASSWORD in line for line in logs.TAIL.lines)


JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbWFpbCI6ImFAYi5jIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
REFRESH = "M.C512_BAY.0.U.-CtsAB9p!ZxOQ6s7e*K1x2"


@pytest.mark.parametrize(("fmt", "args", "secret"), [
    ("token %s", (JWT,), JWT),
    ("Authorization: Bearer %s", (JWT,), JWT),
    ("answer %s", ('{"access_token": "' + JWT + '"}',), JWT),
    ("answer %s", ('{"refresh_token": "' + REFRESH + '"}',), REFRESH),
    ("refresh_token=%s&client_id=x", (REFRESH,), REFRESH),
    ("> AUTHENTICATE XOAUTH2 %s", ("dXNlcj1hQGIuYwFhdXRoPUJlYXJlciBleUpoYkdj",),
     "dXNlcj1hQGIuYwFhdXRoPUJlYXJlciBleUpoYkdj"),
    ("< %s", ("dXNlcj1hQGIuYwFhdXRoPUJlYXJlciBleUpoYkdj",),
     "dXNlcj1hQGIuYwFhdXRoPUJlYXJlciBleUpoYkdj"),
])
def test_a_token_in_a_log_call_is_redacted(
    fresh_logging, tmp_path: Path, fmt: str, args: tuple[str, ...], secret: str
) -> None:
    logs.setup(tmp_path)
    logging.getLogger("netguard.accounts.oauth").warning(fmt, *args)
    flush(fresh_logging)
    text = (tmp_path / "netguard.log").read_text(encoding="utf-8")
    assert "[redacted]" in text
    assert secret not in text


def test_ordinary_lines_are_left_alone(fresh_logging, tmp_path: Path) -> None:
    logs.setup(tmp_path)
    logging.getLogger("netguard.store").info("Migrating the store to schema %d", 2)
    flush(fresh_logging)
    assert "Migrating the store to schema 2" in (tmp_path / "netguard.log").read_text()


def test_control_characters_from_mail_do_not_reach_the_log_as_such(
        fresh_logging, tmp_path: Path) -> None:
    logs.setup(tmp_path)
    logging.getLogger("netguard.mail.sync").warning("Skipped %s", "Re: hi\x1b]0;pwned\x07")
    flush(fresh_logging)
    written = (tmp_path / "netguard.log").read_text(encoding="utf-8")
    assert "Skipped Re: hi\ufffd]0;pwned\ufffd" in written and "\x1b" not in written
    assert "\x07" not in logs.TAIL.lines[-1]


def test_imapclient_protocol_logging_is_held_at_warning(fresh_logging, tmp_path: Path) -> None:
    logs.setup(tmp_path, debug=True)
    assert fresh_logging.level == logging.DEBUG
    assert logging.getLogger("imapclient").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("imapclient.protocol").getEffectiveLevel() == logging.WARNING


def test_setup_twice_adds_no_second_file_handler(fresh_logging, tmp_path: Path) -> None:
    logs.setup(tmp_path)
    logs.setup(tmp_path / "other")
    files = [h for h in fresh_logging.handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1
