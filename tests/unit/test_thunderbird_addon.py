"""The add-on as NetGuard packs it: a deterministic .xpi with a Manifest V3 manifest and
every file it names; its JavaScript parses (node --check) and its decisions pass node's tests."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

from netguard.thunderbird.xpi import ADDON_ID, manifest, pack, sources

NODE_TESTS = Path(__file__).parent / "thunderbird"


def test_the_packed_manifest_asks_for_what_the_guard_needs(tmp_path: Path) -> None:
    with zipfile.ZipFile(pack(tmp_path / "a.xpi")) as archive:
        packed = json.loads(archive.read("manifest.json"))
    assert packed == manifest()
    assert packed["manifest_version"] == 3
    assert packed["browser_specific_settings"]["gecko"]["id"] == ADDON_ID
    assert {"compose", "compose.send", "nativeMessaging", "addressBooks"} <= set(
        packed["permissions"])
    assert packed["compose_action"]["default_title"] == "__MSG_checkButton__"


def test_every_file_the_addon_names_is_packed(tmp_path: Path) -> None:
    with zipfile.ZipFile(pack(tmp_path / "a.xpi")) as archive:
        names = set(archive.namelist())
    data = manifest()
    named = set(data["background"]["scripts"]) | set(data["icons"].values())  # type: ignore[index]
    named |= set(data["compose_action"]["default_icon"].values())  # type: ignore[index]
    named |= {"popup/warn.html", "popup/warn.js", "popup/warn.css"}
    assert named <= names
    assert names == set(sources())
    for lang in ("en", "nl"):
        with zipfile.ZipFile(tmp_path / "a.xpi") as archive:
            messages = json.loads(archive.read(f"_locales/{lang}/messages.json"))
        assert set(messages) == set(json.loads(sources()["_locales/en/messages.json"]))


def test_packing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first = pack(tmp_path / "one.xpi").read_bytes()
    assert pack(tmp_path / "two.xpi").read_bytes() == first


def test_the_javascript_parses_and_the_guard_logic_passes_under_node() -> None:
    scripts = [name for name in sources() if name.endswith(".js")]
    assert {"guard.js", "background.js", "popup/warn.js"} <= set(scripts)
    node = shutil.which("node")
    assert node, "node is needed for the add-on's tests (tools/dev test installs nodejs)"
    root = Path(__file__).parents[2] / "resources" / "thunderbird"
    for script in scripts:
        checked = subprocess.run([node, "--check", str(root / script)], capture_output=True,
                                 text=True, check=False, timeout=60)
        assert checked.returncode == 0, checked.stderr
    tested = subprocess.run([node, "--test", str(NODE_TESTS / "guard.test.js")],
                            capture_output=True, text=True, check=False, timeout=120)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "# fail 0" in tested.stdout and "# pass 10" in tested.stdout
