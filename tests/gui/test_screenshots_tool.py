"""tools/screenshots.py renders every view at 900×600 and 1600×1000 in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_every_view_in_both_sizes_and_languages(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETGUARD_HOME": str(tmp_path / "h")}
    subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots.py"), str(tmp_path)],
                   check=True, env=env, timeout=300, capture_output=True)
    for view in ("dashboard", "contact", "composer", "settings", "account"):
        for width, height in ((900, 600), (1600, 1000)):
            for lang in ("en", "nl"):
                image = QImage(str(tmp_path / f"{view}-{width}x{height}-{lang}.png"))
                size = (image.width(), image.height())
                if view in ("settings", "account"):  # a dialog at its own size, on that screen
                    assert 0 < image.width() <= width and 0 < image.height() <= height, size
                else:
                    assert size == (width, height), (view, lang, size)
