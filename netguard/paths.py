"""Where one profile keeps its files: ``NETGUARD_HOME`` / ``--home``, else platformdirs."""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from netguard.errors import ConfigError, os_reason
from netguard.texts import language, text

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
        import platformdirs  # only here: with a home given, a command does without it (issue 18)

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
        """Create the folders; a profile NetGuard cannot write in is a ``ConfigError``.

        The log folder is left to ``logs.setup``, which carries on without a file log.
        """
        for folder in (self.config_dir, self.data_dir):
            _make_writable_folder(folder)
        with contextlib.suppress(OSError):
            self.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def _make_writable_folder(folder: Path) -> None:
    lang = language()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(text("errors", lang, "home_is_file", path=_first_file(folder))) from None
    except OSError as err:
        raise ConfigError(text("errors", lang, "home_not_writable", path=folder,
                               reason=os_reason(err))) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(text("errors", lang, "home_not_writable", path=folder,
                               reason=os.strerror(errno.EACCES).lower()))


def _first_file(folder: Path) -> Path:
    """The part of ``folder``'s path that exists and is not a folder (what blocks mkdir)."""
    for part in (*reversed(folder.parents), folder):
        if part.exists() and not part.is_dir():
            return part
    return folder

