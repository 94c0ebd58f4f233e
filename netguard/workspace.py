"""One profile at work: its folders, its settings and its store, opened on first use.

The CLI and the GUI both reach the core through a ``Workspace``; nothing global.
"""

from __future__ import annotations

import sqlite3
from functools import cached_property

from netguard import settings as settings_mod
from netguard.paths import Profile
from netguard.settings import Settings
from netguard.store import open_store


class Workspace:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    @classmethod
    def open(cls, home: str | None = None) -> Workspace:
        return cls(Profile.locate(home).ensure())

    @cached_property
    def settings(self) -> Settings:
        return settings_mod.load(self.profile.settings_file)

    def save_settings(self, new: Settings) -> None:
        settings_mod.save(new, self.profile.settings_file)
        self.__dict__["settings"] = new

    @cached_property
    def store(self) -> sqlite3.Connection:
        return open_store(self.profile.database)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]
