"""`netguard demo --screenshot` renders a view offscreen at 1280×800 and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage


@pytest.mark.parametrize("view", ["dashboard", "composer"])
def test_demo_screenshot(tmp_path: Path, view: str) -> None:
    target = tmp_path / f"{view}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETGUARD_HOME": str(tmp_path / "h")}
    subprocess.run([sys.executable, "-m", "netguard", "demo", "--screenshot", str(target),
                    "--view", view], check=True, env=env, timeout=120, capture_output=True)
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
