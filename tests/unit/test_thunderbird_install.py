"""`netguard thunderbird install|uninstall` on a temporary HOME with a made-up profiles.ini."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from netguard.thunderbird.install import PREF_LINE
from netguard.thunderbird.profiles import default_profile
from netguard.thunderbird.xpi import ADDON_ID

PROFILES_INI = """\
[Profile1]
Name=old
IsRelative=1
Path=abcd.old

[Profile0]
Name=default-esr
IsRelative=1
Path=wxyz.default-esr
Default=1

[General]
StartWithLastProfile=1
"""


def netguard(home: Path, user_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(user_home), "LANG": "en_GB.UTF-8"}
    env.pop("XDG_CONFIG_HOME", None)
    return subprocess.run([sys.executable, "-m", "netguard", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=60)


@pytest.fixture
def user_home(tmp_path: Path) -> Path:
    user = tmp_path / "user"
    for name in ("wxyz.default-esr", "abcd.old"):
        (user / ".thunderbird" / name).mkdir(parents=True)
    (user / ".thunderbird" / "profiles.ini").write_text(PROFILES_INI, encoding="utf-8")
    return user


def test_the_default_profile_comes_from_profiles_ini(user_home: Path) -> None:
    assert default_profile(user_home) == user_home / ".thunderbird" / "wxyz.default-esr"
    ini = user_home / ".thunderbird" / "profiles.ini"
    ini.write_text(PROFILES_INI + "[Install4F96D1932A9F858E]\nDefault=abcd.old\nLocked=1\n",
                   encoding="utf-8")
    assert default_profile(user_home) == user_home / ".thunderbird" / "abcd.old"
    ini.write_text("[Profile0]\nIsRelative=0\nPath=/elsewhere/p\n", encoding="utf-8")
    assert default_profile(user_home) == Path("/elsewhere/p")
    ini.write_text("not an ini file", encoding="utf-8")
    assert default_profile(user_home) is None


def test_install_puts_the_manifest_the_launcher_and_the_addon_in_place(
    home: Path, user_home: Path,
) -> None:
    profile = user_home / ".thunderbird" / "wxyz.default-esr"
    (profile / "user.js").write_text('user_pref("mail.x", 1);', encoding="utf-8")
    result = netguard(home, user_home, "thunderbird", "install")
    assert result.returncode == 0, result.stderr
    manifest_path = user_home / ".mozilla" / "native-messaging-hosts" / "netguard.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["type"], manifest["allowed_extensions"]) == (
        "netguard", "stdio", [ADDON_ID])
    launcher = Path(manifest["path"])
    assert launcher.is_file() and os.access(launcher, os.X_OK)
    with zipfile.ZipFile(profile / "extensions" / f"{ADDON_ID}.xpi") as archive:
        assert "manifest.json" in archive.namelist()
    assert (profile / "user.js").read_text(encoding="utf-8") == (
        f'user_pref("mail.x", 1);\n{PREF_LINE}\n')
    assert str(profile / "extensions") in result.stdout and "Restart Thunderbird" in result.stdout
    netguard(home, user_home, "thunderbird", "install")  # twice: the pref is there once
    assert (profile / "user.js").read_text(encoding="utf-8").count(PREF_LINE) == 1


def test_the_installed_launcher_starts_the_native_host(home: Path, user_home: Path) -> None:
    assert netguard(home, user_home, "thunderbird", "install").returncode == 0
    launcher = user_home / ".mozilla" / "native-messaging-hosts" / "netguard-native-host"
    request = json.dumps({"type": "ping"}).encode()
    env = {**os.environ, "HOME": str(user_home)}
    done = subprocess.run([str(launcher), "/manifest.json", ADDON_ID],
                          input=struct.pack("=I", len(request)) + request,
                          capture_output=True, env=env, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout[4:])["ok"] is True


def test_install_into_a_named_profile_and_uninstall_again(home: Path, user_home: Path) -> None:
    profile = user_home / "elsewhere"
    profile.mkdir()
    assert netguard(home, user_home, "thunderbird", "install", "--profile",
                    str(profile)).returncode == 0
    assert (profile / "extensions" / f"{ADDON_ID}.xpi").is_file()
    assert not (user_home / ".thunderbird" / "wxyz.default-esr" / "extensions").exists()
    result = netguard(home, user_home, "thunderbird", "uninstall", "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    assert not (profile / "extensions" / f"{ADDON_ID}.xpi").exists()
    assert list((user_home / ".mozilla" / "native-messaging-hosts").iterdir()) == []
    assert (profile / "user.js").read_text(encoding="utf-8") == ""
    again = netguard(home, user_home, "thunderbird", "uninstall", "--profile", str(profile))
    assert "Nothing of NetGuard's was installed" in again.stdout


def test_without_a_profile_install_says_how_to_add_the_addon_by_hand(
    home: Path, tmp_path: Path,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = netguard(home, empty, "thunderbird", "install")
    assert result.returncode == 0, result.stderr
    package = empty / ".mozilla" / "native-messaging-hosts" / f"{ADDON_ID}.xpi"
    assert package.is_file()
    assert f"Install Add-on From File, and choose {package}" in result.stdout


def test_a_profile_folder_that_does_not_exist_is_a_usage_error(
    home: Path, user_home: Path,
) -> None:
    result = netguard(home, user_home, "thunderbird", "install", "--profile",
                      str(user_home / "nope"))
    assert result.returncode == 2
    assert "is not a Thunderbird profile folder" in result.stderr
    assert not (user_home / ".mozilla").exists()
