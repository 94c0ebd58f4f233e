"""A keyring backend for the command benchmark only: a JSON file in $NETGUARD_HOME.

Chosen with PYTHON_KEYRING_BACKEND, so keyring skips its backend discovery, as it does for a
user who chose a backend. Never for real passwords: it does not encrypt (``encrypted = False``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]
    encrypted = False

    @property
    def _file(self) -> Path:
        return Path(os.environ["NETGUARD_HOME"]) / "bench-keyring.json"

    def _load(self) -> dict[str, str]:
        return dict(json.loads(self._file.read_text())) if self._file.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._file.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self._file.write_text(json.dumps(data))
