"""Keyring backends for tests: in memory, nothing touches the real keyring."""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring for tests: encrypted enough for NetGuard to accept, gone at exit."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


class WindowsLimitKeyring(MemoryKeyring):
    """Refuses what Windows Credential Manager refuses: a secret over 2,560 bytes as UTF-16."""

    LIMIT = 2560

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import PasswordSetError

        if len(password.encode("utf-16-le")) > self.LIMIT:
            raise PasswordSetError(f"{len(password)} characters is over the Windows limit")
        super().set_password(service, username, password)
