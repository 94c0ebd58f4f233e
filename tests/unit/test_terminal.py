"""Text from mail printed in a terminal (netguard/terminal.py): control characters and
bidirectional overrides in a display name or a subject never reach the terminal as commands;
JSON keeps them exact."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.cli.main import main
from netguard.cli.output import ProgressBar
from netguard.lint.annotate import BOLD, RESET, UNDERLINE, annotate
from netguard.lint.engine import lint
from netguard.paths import Profile
from netguard.store import open_store
from netguard.terminal import SafeStream, cells, fit, json_text, safe

# An escape that sets the window title, a bell, one that clears the screen, a carriage return,
# an 8-bit CSI, DEL, a right-to-left override.
STEERING = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\x7f\u202e"
EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\rOK"
KEPT = "Zoë Müller · محمد العلي · 王伟 · प्रिया\tone\ntwo 🙂"


def test_safe_shows_every_steering_character_and_keeps_the_rest() -> None:
    shown = safe(STEERING + KEPT)
    assert len(shown) == len(STEERING + KEPT)  # one for one: offsets into the text still hold
    assert not any(c in shown for c in "\x1b\x07\r\x9b\x7f\u202e")
    assert shown.count("\ufffd") == 7 and shown.endswith(KEPT)


def test_a_safe_stream_shows_them_whichever_way_it_is_written_to() -> None:
    screen = io.StringIO()
    stream = SafeStream(screen)
    assert stream.write("a\x1b[2J") == 5
    stream.writelines(["b\x07\n", "c\x9b"])
    print("d\x1b", file=stream)
    assert screen.getvalue() == "a\ufffd[2Jb\ufffd\nc\ufffdd\ufffd\n"


def test_json_says_the_same_characters_in_ascii_escapes() -> None:
    data = {"name": STEERING + KEPT, "back\\slash\x85": ["\u2066x\u2069"]}
    written = json_text(json.dumps(data, ensure_ascii=False))
    assert safe(written) == written  # nothing left to steer a terminal
    assert json.loads(written) == data


@pytest.fixture
def hostile(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A contact whose display name, as their mail encodes it, steers a terminal."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    box = Mailbox(conn)
    name = "=?utf-8?b?RXZpbBtdMDtwd25lZAcbWzJKDU9L?= <evil@example.com>"  # base64 of EVIL
    box.sent(name, T0 - days(3), subject="=?utf-8?q?Offerte=1B=5B5m?=")
    box.received(name, T0 - days(2))
    conn.close()
    return home


def test_report_prints_a_hostile_name_harmlessly(
        hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = sys.stdout
    assert main(["report"]) == 0
    assert sys.stdout is out  # the command's streams are given back
    printed = capsys.readouterr().out
    assert "Evil\ufffd]0;pwned\ufffd\ufffd[2J" in printed
    assert not any(c in printed for c in "\x1b\x07\r")


def test_report_json_keeps_the_name_exact(hostile: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--json"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed
    [evil] = json.loads(printed)["contacts"]
    assert evil["name"] == EVIL.replace("\r", " ")  # the header's CR is a space when read


def test_the_lint_marks_a_quoted_mail_without_passing_its_escapes_on() -> None:
    draft = "Hi Sam,\n\n> \x1b]0;pwned\x07 quoted\n\nDid you read my last email? ASAP!!\n"
    result = lint(draft)
    assert result.findings
    for terminal in (True, False):
        shown = annotate(draft, result, terminal=terminal)
        ours = shown.replace(UNDERLINE, "").replace(BOLD, "").replace(RESET, "")
        assert "\x1b" not in ours and "\x07" not in ours
        assert (UNDERLINE in shown) is terminal


def test_columns_are_counted_as_a_terminal_shows_them() -> None:
    assert cells("王伟") == 4 and cells("Zoë") == 3 and cells("e\u0301") == 1
    assert cells("\u200b") == 0 and cells("محمد") == 4
    assert fit("abc", 5) == "abc  "
    assert fit("王伟王伟", 5) == "王伟…"  # 2 + 2 + 1
    assert fit("王伟王伟", 6) == "王伟… "  # a third wide one would not fit beside "…"
    assert all(cells(fit(name, 7)) == 7 for name in ("王伟王伟王伟", "Zoë Müller", "a", ""))


def test_report_rows_line_up_with_wide_names(home: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    box = Mailbox(conn)
    for name in ("=?utf-8?b?546L5Lyf?= <wang@example.cn>",  # 王伟
                 "=?utf-8?b?5bGx55Sw56eA6Iux?= <yamada.hidehide@example.jp>",  # 山田秀英, cut
                 "Anna <anna@example.com>"):
        box.sent(name, T0 - days(3))
    conn.close()
    assert main(["report", "--at", (T0 + days(1)).isoformat()]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "2026-" in line]
    assert len(rows) == 3 and any("王伟" in row for row in rows)
    dates = {cells(row[:row.index("2026-")]) for row in rows}
    assert len(dates) == 1  # every row's date starts in the same terminal column


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_keeps_its_carriage_return_and_shows_the_folder_safely() -> None:
    screen = _Terminal()
    bar = ProgressBar(SafeStream(screen))  # as a command's stderr is wrapped
    bar(5, 10, "送信済みアイテム\x1b]0;pwned\x07 and a very long rest of the name")
    drawn = screen.getvalue()
    assert drawn.startswith("\r") and "\x1b" not in drawn and "\x07" not in drawn
    label = drawn[1:drawn.index(" [")]
    assert cells(label) == 30 and label.startswith("送信済みアイテム\ufffd")
    assert drawn.endswith("] 5/10")
