"""Typed settings: SPEC §1 defaults, a faithful round trip, clear errors, never a secret."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import get_type_hints

import pytest

from netguard import settings as settings_mod
from netguard.errors import ConfigError
from netguard.settings import SETTINGS_VERSION, Lint, Rules, Settings, load, save, with_account


def test_defaults_are_the_spec_thresholds() -> None:
    rules = Settings().rules
    assert (rules.window_days, rules.followup_limit, rules.bulk_recipients) == (7, 5, 10)
    assert (rules.relationship_min, rules.neglect_after_days) == (2, 90)
    assert (rules.rest_after, rules.rest_quiet_days) == (3, 14)
    assert (rules.unreciprocated_min, rules.unreciprocated_days) == (3, 90)
    assert Settings().language == "auto"


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load(tmp_path / "settings.toml") == Settings()


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    changed = replace(
        with_account(Settings(), host="imap.example.nl", user="sanne@example.nl", port=143,
                     security="starttls", reply_folders=["INBOX", "Archief \"oud\""],
                     sent_folder="Verzonden items", timeout_seconds=12.5),
        language="nl",
        rules=replace(Rules(), followup_limit=4, neglect_after_days=60),
        lint=Lint(competitors=["Pixelprutsers B.V.", "Ünicode & Co\\"]),
    )
    save(changed, path)
    assert load(path) == changed
    assert path.stat().st_mode & 0o777 == 0o600
    tomllib.loads(path.read_text(encoding="utf-8"))  # valid TOML for other tools


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\nfuture_key = 3\n[rules]\nwindow_days = 10\nnew_rule = 1\n")
    loaded = load(path)
    assert loaded.rules.window_days == 10


@pytest.mark.parametrize(("text", "key"), [
    ("[rules]\nwindow_days = \"seven\"\n", "window_days"),
    ("[rules]\nfollowup_limit = true\n", "followup_limit"),
    ("[account]\nport = 99.5\n", "port"),
    ("[account]\nsecurity = \"tls\"\n", "security"),
    ("[lint]\ncompetitors = [\"a\", 3]\n", "competitors"),
    ("rules = 3\n", "rules"),
    ("language = \"de\"\n", "language"),
])
def test_wrong_types_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=key) as err:
        load(path)
    assert str(path) in str(err.value)


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[rules\nwindow_days = 7")
    with pytest.raises(ConfigError, match="Cannot read settings file"):
        load(path)


def test_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"version = {SETTINGS_VERSION + 1}\n")
    with pytest.raises(ConfigError, match="Update NetGuard"):
        load(path)


def test_an_older_version_is_upgraded_step_by_step(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(settings_mod, "SETTINGS_VERSION", 2)
    monkeypatch.setattr(settings_mod, "UPGRADES", {
        1: lambda raw: {**raw, "rules": {"window_days": raw.pop("window", 7)}},
    })
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\nwindow = 9\n")
    loaded = load(path)
    assert loaded.rules.window_days == 9


def test_no_secret_key_exists_or_is_written(tmp_path: Path) -> None:
    secretish = ("password", "passwd", "secret", "token", "pass")

    def names(cls: type) -> list[str]:
        found = []
        hints = get_type_hints(cls)
        for f in fields(cls):
            found.append(f.name)
            if hasattr(hints[f.name], "__dataclass_fields__"):
                found += names(hints[f.name])
        return found

    all_names = names(Settings)
    assert {"host", "user", "window_days", "competitors"} <= set(all_names)
    assert not [n for n in all_names if any(s in n.lower() for s in secretish)]
    path = tmp_path / "settings.toml"
    save(with_account(Settings(), host="h", user="u"), path)
    text = path.read_text().lower()
    assert "password =" not in text and "secret" not in text.replace("no secrets", "")
