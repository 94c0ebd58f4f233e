"""A non-editable install from the wheel works: resources inside the package, the CLI runs.

Builds the wheel with pip (hatchling through build isolation, or the installed hatchling when
there is one), installs it with --no-deps into a fresh venv that borrows the test venv's
dependencies through a plain path entry (so PySide6 is not downloaded again, and the
editable checkout is NOT on the path), then runs the installed `netguard`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args: str | Path, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env,
                            cwd=cwd, check=False, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation, "-w", out, REPO)
    (built,) = out.glob("netguard-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed; returns its bin/ folder."""
    target = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "-q", wheel)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    borrowed = sysconfig.get_paths()["purelib"]  # the test venv's dependencies, no .pth files run
    Path(site.stdout.strip(), "zz_borrowed_deps.pth").write_text(borrowed + "\n")
    return target / "bin"


def test_the_wheel_carries_ui_and_resources_inside_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "netguard/_data/resources/demo/sent.mbox" in names
    assert "netguard/_data/resources/demo/expected.toml" in names
    assert any(n.startswith("netguard/_data/ui/") for n in names)
    top = {n.split("/")[0] for n in names}
    assert top == {"netguard", wheel.name.split("-py")[0] + ".dist-info"}, top
    assert not [n for n in names if n.endswith((".pyc", ".sqlite3")) or "__pycache__" in n]


def test_the_installed_cli_runs_from_the_wheel(installed: Path, tmp_path: Path,
                                               corpora: Path) -> None:
    env = {"PATH": f"{installed}:/usr/bin:/bin", "NETGUARD_HOME": str(tmp_path / "home"),
           "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    where = run(installed / "python", "-c",
                "import netguard, netguard.resources as r;"
                "print(netguard.__file__); print(r.resource('demo', 'sent.mbox'))",
                env=env, cwd=tmp_path).stdout.splitlines()
    venv_root = installed.parent
    assert all(Path(line).is_relative_to(venv_root) for line in where), where
    assert "_data" in where[1]
    version = run(installed / "netguard", "--version", env=env, cwd=tmp_path)
    assert version.stdout.startswith("netguard ")
    imported = run(installed / "netguard", "import", corpora / "flanker" / "torture.eml",
                   env=env, cwd=tmp_path)
    assert imported.stdout.startswith("Imported 1 new messages")
    assert (tmp_path / "home" / "netguard.sqlite3").exists()


def test_the_demo_loads_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if k == "PATH"}, "HOME": str(tmp_path)}
    code = ("import pathlib, netguard.demo_mailbox as d;"
            "w = d.demo_workspace(pathlib.Path('demo'));"
            "print(w.store.execute('select count(*) from messages').fetchone()[0])")
    count = run(installed / "python", "-c", code, env=env, cwd=tmp_path)
    assert int(count.stdout) > 100
