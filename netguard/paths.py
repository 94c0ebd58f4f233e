"""Where one profile keeps its files: ``NETGUARD_HOME`` / ``--home``, else platformdirs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "netguard"


@dataclass(frozen=True)
class Profile:
    """The folders of one profile. Nothing here is created until ``ensure()``."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def locate(cls, home: str | os.PathLike[str] | None = None) -> Profile:
        chosen = home if home is not None else os.environ.get("NETGUARD_HOME") or None
        if chosen is not None:
            root = Path(chosen).expanduser().resolve()
            return cls(root, root, root / "logs")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME)),
            Path(platformdirs.user_data_dir(APP_NAME)),
            Path(platformdirs.user_log_dir(APP_NAME)),
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "netguard.sqlite3"

    @property
    def templates_dir(self) -> Path:
        return self.config_dir / "templates"

    def ensure(self) -> Profile:
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self
