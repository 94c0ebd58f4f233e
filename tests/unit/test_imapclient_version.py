"""imapclient's version read from its .dist-info folder's name (netguard.mail.imapclient_version).

imapclient reads it through importlib.metadata as it is imported; NetGuard's finder makes the
same module from the folder's name, and leaves the real one to load where it cannot.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from netguard.mail import imapclient_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_one_the_metadata_gives_without_importlib_metadata() -> None:
    code = ("import sys, netguard.mail, imapclient\n"
            "print(imapclient.__version__, imapclient.version_info,\n"
            "      'importlib.metadata' in sys.modules)\n"
            "import importlib.metadata as m\n"
            "v = m.version('imapclient')\n"
            "print(v, (*map(int, v.split('.')), 'final'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=30, env={"PYTHONPATH": str(ROOT)})
    ours, real = result.stdout.splitlines()
    assert ours.endswith(" False")  # read without importlib.metadata
    assert ours.removesuffix(" False") == real


def test_a_folder_without_one_dist_info_or_with_another_form_gives_none(tmp_path: Path) -> None:
    assert imapclient_version.folder_version(str(tmp_path)) is None
    assert imapclient_version.folder_version(str(tmp_path / "absent")) is None
    (tmp_path / "imapclient-3.0.1.dist-info").mkdir()
    assert imapclient_version.folder_version(str(tmp_path)) == "3.0.1"
    (tmp_path / "imapclient-3.0.2.dist-info").mkdir()
    assert imapclient_version.folder_version(str(tmp_path)) is None  # two: the real module
    other = tmp_path / "other"
    (other / "imapclient-4.0.0rc1.dist-info").mkdir(parents=True)
    assert imapclient_version.folder_version(str(other)) is None


def test_where_it_cannot_be_read_the_real_module_loads(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "imapclient").mkdir(parents=True)
    (site / "imapclient" / "__init__.py").write_text("from .version import version\n")
    (site / "imapclient" / "version.py").write_text("version = 'the real module'\n")
    code = "import netguard.mail, imapclient; print(imapclient.version)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=30,
                            env={"PYTHONPATH": f"{site}:{ROOT}"})
    assert result.stdout.strip() == "the real module"
