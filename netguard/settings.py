"""Settings, declared once: typed, with the defaults of SPEC §1, versioned, never a secret.

``settings.toml`` mirrors these dataclasses section by section. Unknown keys are kept out,
wrong types are a clear ``ConfigError``, and older versions are upgraded by one function each.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

from netguard.errors import ConfigError

SETTINGS_VERSION = 1
Security = Literal["ssl", "starttls", "plain"]
Language = Literal["auto", "nl", "en"]
FileSent = Literal["auto", "always", "never"]
Auth = Literal["password", "oauth2"]
OAuthProvider = Literal["", "microsoft", "google", "oidc"]


@dataclass(frozen=True)
class Account:
    """One IMAP/SMTP account. The password is in the keyring, never here."""

    host: str = ""
    port: int = 993
    user: str = ""
    security: Security = "ssl"
    ca_file: str = ""
    pinned_fingerprint: str = ""
    sent_folder: str = ""
    drafts_folder: str = ""
    reply_folders: list[str] = field(default_factory=list)
    smtp_host: str = ""
    smtp_port: int = 465
    smtp_security: Security = "ssl"
    file_sent: FileSent = "auto"
    timeout_seconds: float = 30.0
    auth: Auth = "password"  # oauth2: the refresh token is in the keyring (netguard.accounts)
    oauth_provider: OAuthProvider = ""
    oauth_issuer: str = ""  # the OpenID Connect issuer for oauth_provider = "oidc"

    @property
    def configured(self) -> bool:
        return bool(self.host and self.user)


@dataclass(frozen=True)
class Rules:
    """The thresholds of SPEC §1."""

    window_days: int = 7
    followup_limit: int = 5
    bulk_recipients: int = 10
    relationship_min: int = 2
    neglect_after_days: int = 90
    rest_after: int = 3
    rest_quiet_days: int = 14
    unreciprocated_min: int = 3
    unreciprocated_days: int = 90


@dataclass(frozen=True)
class Lint:
    competitors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sync:
    interval_minutes: int = 15


@dataclass(frozen=True)
class Relay:
    port: int = 2525
    enabled: bool = False
    watch_drafts: bool = False  # the app checks Drafts for a fifth follow-up (webmail users)


@dataclass(frozen=True)
class OAuthClient:
    """A registered OAuth2 client; empty: the bundled one (resources/mail/oauth_clients.toml)."""

    client_id: str = ""


@dataclass(frozen=True)
class OAuth:
    """``[oauth.microsoft] client_id = ...``: client IDs that override the bundled ones."""

    microsoft: OAuthClient = field(default_factory=OAuthClient)
    google: OAuthClient = field(default_factory=OAuthClient)
    oidc: OAuthClient = field(default_factory=OAuthClient)


@dataclass(frozen=True)
class Settings:
    version: int = SETTINGS_VERSION
    language: Language = "auto"
    account: Account = field(default_factory=Account)
    rules: Rules = field(default_factory=Rules)
    lint: Lint = field(default_factory=Lint)
    sync: Sync = field(default_factory=Sync)
    relay: Relay = field(default_factory=Relay)
    oauth: OAuth = field(default_factory=OAuth)


# Upgrades: UPGRADES[n] turns a version-n mapping into a version-(n+1) mapping.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def load(path: Path) -> Settings:
    """Read ``path``; a missing file gives the defaults."""
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"Cannot read settings file {path}: {err}") from err
    return from_mapping(_upgrade(raw), where=str(path))


def save(settings: Settings, path: Path) -> None:
    """Write atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(to_toml(settings), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        raise ConfigError(f"settings.toml has version {version!r}; this NetGuard knows up to "
                          f"{SETTINGS_VERSION}. Update NetGuard or move the file aside.")
    while version < SETTINGS_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
    return {**raw, "version": SETTINGS_VERSION}


def from_mapping(raw: dict[str, Any], where: str = "settings") -> Settings:
    built: Settings = _build(Settings, raw, where)
    return built


def _build(cls: type[Any], raw: dict[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in raw:
            continue
        kind, value = hints[f.name], raw[f.name]
        if isinstance(kind, type) and hasattr(kind, "__dataclass_fields__"):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{f.name}] must be a table")
            values[f.name] = _build(kind, value, f"{where} [{f.name}]")
        else:
            values[f.name] = _checked(kind, value, f"{where}: {f.name}")
    return cls(**values)


def _checked(kind: Any, value: Any, where: str) -> Any:
    allowed = get_args(kind) if getattr(kind, "__origin__", None) is Literal else ()
    if allowed:
        if value not in allowed:
            raise ConfigError(f"{where} must be one of {', '.join(map(str, allowed))}")
        return value
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind == list[str]:
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{where} must be a list of strings")
        return list(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where} must be {kind.__name__}, not {value!r}")
    return value


def to_toml(settings: Settings) -> str:
    data = asdict(settings)
    top = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    tables = [_toml_table(name, table) for name, table in data.items() if isinstance(table, dict)]
    return "# NetGuard settings. No secrets live here: the password is in the keyring.\n" + (
        "\n".join(top) + "\n" + "".join(tables)
    )


def _toml_table(name: str, table: dict[str, Any]) -> str:
    """``[name]`` with its values, then its sub-tables as ``[name.sub]``."""
    values = "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items()
                     if not isinstance(v, dict))
    subs = "".join(_toml_table(f"{name}.{k}", v) for k, v in table.items() if isinstance(v, dict))
    return f"\n[{name}]\n{values}{subs}"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def with_account(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, account=replace(settings.account, **changes))
