"""Secrets: the keyring or a clear error with the fix; never a plaintext store by accident."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from netguard import secrets
from netguard.errors import KeyringError
from tests.keyrings import MemoryKeyring


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's PlaintextKeyring: a file anyone with the disk can read."""

    priority = 0.5  # type: ignore[assignment]


class UnencryptedStore(PlaintextKeyring):
    """A backend that says so through an ``encrypted = False`` attribute."""

    encrypted = False


class LockedKeyring(PlaintextKeyring):
    encrypted = True

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")


@pytest.fixture
def nothing_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PYTHON_KEYRING_BACKEND and no keyringrc: whatever keyring found, it found itself."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)


def test_round_trip_through_the_keyring(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    secrets.set_password("sanne@example.nl", "s3cret")
    assert secrets.get_password("sanne@example.nl") == "s3cret"
    assert memory_keyring.passwords == {("netguard", "sanne@example.nl"): "s3cret"}
    secrets.delete_password("sanne@example.nl")
    secrets.delete_password("sanne@example.nl")  # deleting twice is fine
    assert secrets.get_password("sanne@example.nl") is None


def test_no_backend_says_how_to_fix_it(nothing_chosen: None) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringError) as err:
        secrets.set_password("u", "p")
    message = str(err.value)
    assert "Secret Service" in message and "PYTHON_KEYRING_BACKEND" in message
    with pytest.raises(KeyringError):
        secrets.get_password("u")


@pytest.mark.parametrize("backend", [PlaintextKeyring, UnencryptedStore])
def test_a_plaintext_backend_found_by_itself_is_refused(
    nothing_chosen: None, backend: type[PlaintextKeyring]
) -> None:
    store = backend()
    keyring.set_keyring(store)
    with pytest.raises(KeyringError, match="unencrypted"):
        secrets.set_password("u", "p")
    assert store.passwords == {}


def test_an_explicitly_chosen_plaintext_backend_is_honoured_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{__name__}.PlaintextKeyring")
    keyring.core.init_backend()
    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    with caplog.at_level(logging.WARNING, logger="netguard.secrets"):
        secrets.set_password("u", "hunter2-xyz")
    assert secrets.get_password("u") == "hunter2-xyz"
    assert "does not encrypt" in caplog.text
    assert "hunter2-xyz" not in caplog.text


def test_a_keyring_that_refuses_is_a_known_error_without_the_password(
    nothing_chosen: None,
) -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringError, match="refused") as err:
        secrets.get_password("u")
    assert err.value.__cause__ is None  # the backend's traceback is not chained in


def test_require_password_explains_what_to_run() -> None:
    with pytest.raises(KeyringError, match="netguard account set"):
        secrets.require_password("nobody@example.nl")


def test_a_keyringrc_is_still_read_with_configparser_loaded_on_use(tmp_path: Path) -> None:
    # configparser waits for its use (netguard.deferred: a chosen backend never needs it); a
    # keyringrc, read with it when the environment chose nothing, is honoured as before.
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring = tests.keyrings.MemoryKeyring\n")
    probe = ("import sys\nfrom netguard import secrets\nsecrets._keyring()\n"
             "print(type(sys.modules['configparser']).__name__)\n"
             "print(type(secrets.backend()).__name__, secrets._explicitly_chosen())\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path),
                                 "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.stdout.split() == ["_Deferred", "MemoryKeyring", "True"]
