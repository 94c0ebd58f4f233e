"""The installable app (issue 9): menu and software-centre metadata that the freedesktop
validators accept, the icon set, and a PyInstaller bundle that runs from a clean environment
with every resource it needs inside.

The bundle takes 30-90 seconds to build, so it is cached under
``~/.cache/netguard-bundle/<hash of the sources>`` (``NETGUARD_BUNDLE_CACHE`` moves it): a rerun
with nothing changed reuses it, any change to netguard/, resources/, ui/ or packaging/ rebuilds.
Bundles unused for an hour are removed.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

import netguard

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "nl.netguard.NetGuard"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
SOURCES = ("netguard", "resources", "ui", "packaging", "pyproject.toml")
CACHE = Path(os.environ.get("NETGUARD_BUNDLE_CACHE") or Path.home() / ".cache" / "netguard-bundle")
CORPUS_MESSAGE = ("cpython_test_email", "msg_01.txt")


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the Debian package {package} (tools/dev does)")
    return found


def run(*command: str | Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


# ---------------------------------------------------------------- metadata and icons


def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = run(tool("desktop-file-validate", "desktop-file-utils"), DESKTOP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = run(tool("appstreamcli", "appstream"), "validate", "--no-net", METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_speaks_english_and_dutch_and_launches_the_desktop_entry() -> None:
    component = ET.parse(METAINFO).getroot()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    summaries = {s.get(lang, "en"): s.text for s in component.findall("summary")}
    assert set(summaries) == {"en", "nl"}
    paragraphs = component.findall("description/p")
    assert {p.get(lang, "en") for p in paragraphs} == {"en", "nl"}
    images = [image.text or "" for image in component.findall("screenshots/screenshot/image")]
    assert [Path(image).name for image in images] == ["dashboard.png", "composer-warning.png"]
    assert all(image.startswith("https://") for image in images)
    for image in images:  # the URLs point at the repository's copies of these files
        shot = ROOT / "docs" / "screenshots" / Path(image).name
        assert image.endswith("/main/docs/screenshots/" + shot.name)
        assert png_size(shot)[0] >= 1000, f"{shot} is missing or too small for a software centre"


def test_desktop_entry_names_the_app_in_english_and_dutch() -> None:
    entry = dict(line.split("=", 1) for line in DESKTOP.read_text().splitlines() if "=" in line)
    for key in ("Name", "GenericName", "Comment"):
        assert entry[key]
    assert entry["GenericName[nl]"] and entry["Comment[nl]"]
    assert entry["Exec"] == "netguard"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"] == "Office;Email;Network;"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_set_is_an_svg_and_every_png_size() -> None:
    svg = ET.parse(ICONS / "netguard-app.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 256 256"
    for size in ICON_SIZES:
        assert png_size(ICONS / f"netguard-app-{size}.png") == (size, size)


# ---------------------------------------------------------------- the bundle


def source_hash() -> str:
    digest = hashlib.sha256()
    for top in SOURCES:
        base = ROOT / top
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for dist in ("PySide6-Essentials", "keyring", "jinja2", "imapclient", "aiosmtpd"):
        digest.update(f"{dist}={metadata.version(dist)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def build_bundle(target: Path) -> None:
    """Build into a private folder, then move it into place (a concurrent run cannot clash)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.iterdir():  # each is ~160 MB; spare what another run may be using
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    scratch = CACHE / f".building-{os.getpid()}"
    env = {**os.environ, "NETGUARD_VENV": sys.prefix}
    result = subprocess.run(
        ["bash", str(PACKAGING / "build.sh"), "--dist", str(scratch / "dist"),
         "--work", str(scratch / "work")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"packaging/build.sh failed:\n{result.stdout}\n{result.stderr}"
    shutil.rmtree(scratch / "work")
    try:
        scratch.rename(target)
    except OSError:  # another run finished the same build first
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/netguard/ of the current sources, built or taken from the cache."""
    target = CACHE / source_hash()
    if not (target / "dist" / "netguard" / "netguard").is_file():
        build_bundle(target)
    os.utime(target)  # in use: not stale for an hour
    return target / "dist" / "netguard"


@pytest.fixture
def clean_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Like `env -i`: no Python, no venv, no display; a fresh HOME and profile."""
    yield {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "NETGUARD_HOME": str(tmp_path / "profile")}


def test_bundle_reports_its_version(bundle: Path, clean_env: dict[str, str]) -> None:
    result = run(bundle / "netguard", "--version", env=clean_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"netguard {netguard.__version__}"


def test_bundle_imports_a_mail_file(bundle: Path, clean_env: dict[str, str],
                                    corpora: Path) -> None:
    result = run(bundle / "netguard", "import", corpora.joinpath(*CORPUS_MESSAGE), env=clean_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (Path(clean_env["NETGUARD_HOME"]) / "netguard.sqlite3").is_file()


@pytest.mark.parametrize("view", ["dashboard", "composer"])
def test_bundle_renders_the_demo(bundle: Path, clean_env: dict[str, str], tmp_path: Path,
                                 view: str) -> None:
    """The demo mailbox, templates, forms, lexicons, translations and icons, all from inside."""
    shot = tmp_path / f"{view}.png"
    result = run(bundle / "netguard", "demo", "--view", view, "--screenshot", shot, env=clean_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert png_size(shot) == (1280, 800)
    assert shot.stat().st_size > 20_000, "a near-empty screenshot: the window did not render"


def test_install_script_puts_the_app_in_the_menu_and_takes_it_out(
        bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    installed = run("bash", bundle / "install.sh", "--prefix", prefix, env=clean_env)
    assert installed.returncode == 0, installed.stderr
    entry = prefix / "share" / "applications" / DESKTOP.name
    assert run(tool("desktop-file-validate", "desktop-file-utils"), entry).returncode == 0
    assert f"Exec={prefix}/lib/netguard/netguard\n" in entry.read_text()
    for size in ICON_SIZES:
        icon = prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(icon) == (size, size)
    assert (prefix / "share" / "metainfo" / METAINFO.name).is_file()
    version = run(prefix / "bin" / "netguard", "--version", env=clean_env)
    assert version.stdout.strip() == f"netguard {netguard.__version__}"

    removed = run("bash", bundle / "install.sh", "--prefix", prefix, "--uninstall", env=clean_env)
    assert removed.returncode == 0, removed.stderr
    assert [path for path in prefix.rglob("*") if path.is_file() or path.is_symlink()
            if not path.name.endswith("cache")] == []


def test_bundle_carries_every_resource_and_form(bundle: Path) -> None:
    data = bundle / "_internal" / "netguard" / "_data"
    for top in ("resources", "ui"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file():
                copy = data / top / path.relative_to(ROOT / top)
                assert copy.is_file(), f"{path.relative_to(ROOT)} is missing from the bundle"


def test_bundle_carries_the_qt_plugins_for_offscreen_and_desktop(bundle: Path) -> None:
    qt = bundle / "_internal" / "PySide6" / "Qt"
    for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so",
                   "imageformats/libqsvg.so", "iconengines/libqsvgicon.so"):
        assert (qt / "plugins" / plugin).is_file(), plugin
    assert (qt / "translations" / "qtbase_nl.qm").is_file()
    assert not (qt / "plugins" / "platforms" / "libqeglfs.so").exists()


def test_bundle_qt_plugins_find_every_library_they_link(bundle: Path) -> None:
    """The X11 plugin cannot be started here (no display); its libraries can be resolved."""
    internal = bundle / "_internal"
    env = {"PATH": "/usr/bin:/bin",
           "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    for plugin in sorted((internal / "PySide6" / "Qt" / "plugins").rglob("*.so")):
        result = run(tool("ldd", "libc-bin"), plugin, env=env)
        assert result.returncode == 0, result.stderr
        assert "not found" not in result.stdout, f"{plugin.name}:\n{result.stdout}"


def test_bundle_carries_keyring_backends_and_all_of_netguard(bundle: Path) -> None:
    viewer = Path(sys.prefix) / "bin" / "pyi-archive_viewer"
    assert viewer.is_file(), "PyInstaller is missing from the test venv: pip install -e '.[test]'"
    listing = run(viewer, "--list", "--recursive", "--brief", bundle / "netguard")
    assert listing.returncode == 0, listing.stderr
    modules = set(listing.stdout.split())
    wanted = {"keyring.backends.SecretService", "keyring.backends.kwallet", "secretstorage",
              "jeepney", "jinja2", "imapclient", "aiosmtpd.smtp", "platformdirs"}
    wanted |= {module for module in own_modules() if not module.endswith("__main__")}
    assert wanted - modules == set()
    entry_points = list((bundle / "_internal").glob("keyring-*.dist-info/entry_points.txt"))
    assert entry_points, "keyring finds its backends through its entry points metadata"
    assert "SecretService" in entry_points[0].read_text()


def own_modules() -> set[str]:
    package = ROOT / "netguard"
    found = set()
    for path in package.rglob("*.py"):
        if any(not (folder / "__init__.py").is_file()
               for folder in path.parents if folder.is_relative_to(package)):
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_bundle_links_no_library_the_spec_dropped(bundle: Path) -> None:
    spec = ast.parse((PACKAGING / "netguard.spec").read_text())
    dropped = next(ast.literal_eval(node.value) for node in spec.body
                   if isinstance(node, ast.Assign)
                   and getattr(node.targets[0], "id", "") == "DROP_LIBRARIES")
    readelf = tool("readelf", "binutils")
    for path in bundle.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        needed = run(readelf, "--dynamic", path).stdout
        for line in needed.splitlines():
            if "(NEEDED)" in line:
                name = line.split("[", 1)[1].rstrip("]")
                assert not name.startswith(dropped), f"{path.name} needs {name}, which was dropped"
