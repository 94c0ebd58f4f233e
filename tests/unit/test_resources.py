"""The one way to packaged files: from the source tree and from an installed package layout.

The real wheel is built and installed in tests/integration/test_wheel_install.py; here the
installed layout (``netguard/_data/``) is reproduced by hand, which takes milliseconds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import netguard
from netguard import resources

REPO = Path(__file__).resolve().parents[2]


def test_source_tree_resources_and_forms() -> None:
    assert resources.resource("demo", "sent.mbox").is_file()
    assert resources.read_text("demo", "expected.toml").startswith("# Built by")
    assert resources.resource("texts").is_dir()
    assert Path(str(resources.form("x.ui"))).parent == REPO / "ui"


def test_an_installed_layout_reads_from_netguard_data(tmp_path: Path) -> None:
    package = tmp_path / "site" / "netguard"
    (package / "_data" / "resources" / "demo").mkdir(parents=True)
    (package / "_data" / "ui").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    shutil.copy(Path(resources.__file__), package / "resources.py")
    (package / "_data" / "resources" / "demo" / "note.txt").write_text("from the wheel")
    (package / "_data" / "ui" / "main.ui").write_text("<ui/>")
    code = (
        "from netguard import resources as r\n"
        "print(r.read_text('demo', 'note.txt'))\n"
        "print(r.form('main.ui').read_text())\n"
        "print(r.resource('demo', 'sent.mbox').is_file())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                            env={"PYTHONPATH": str(tmp_path / "site")},
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["from the wheel", "<ui/>", "False"]


def test_the_package_itself_has_no_data_folder_in_the_source_tree() -> None:
    # In a checkout the files stay at the top of the repository; only the wheel has _data/.
    assert not (Path(netguard.__file__).parent / "_data").exists()
