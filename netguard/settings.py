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

from netguard.errors import ConfigError, os_reason
from netguard.texts import LANGUAGES, language, text

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
    from_name: str = ""  # the identity (SPEC §1); empty: derived, see netguard/mail/identity.py
    from_address: str = ""
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
    max_message_mb: int = 50  # announced as SIZE in EHLO; larger messages are refused at MAIL


@dataclass(frozen=True)
class Calendar:
    """The CalDAV calendar ``netguard review --publish`` writes the networking hour to (issue
    19). The password is in the keyring (``calendar.caldav.keyring_key``), never here."""

    url: str = ""  # the calendar collection, e.g. https://dav.example.com/sanne/networking/
    user: str = ""
    ca_file: str = ""  # an extra CA to trust; the system's are always trusted
    day: str = "mon"  # the networking hour: mon..sun, for --calendar/--publish and the tray
    time: str = "09:00"  # HH:MM, local time


@dataclass(frozen=True)
class AccountSetup:
    """Where setup from an address looks (tests point these at local servers)."""

    autoconfig_urls: list[str] = field(default_factory=lambda: [
        "https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}",
        "https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
    ])
    ca_file: str = ""  # an extra CA to trust for autoconfig; the system's are always trusted
    dns_servers: list[str] = field(default_factory=list)  # empty: the system's resolver
    dns_port: int = 53
    timeout_seconds: float = 4.0


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
    account_setup: AccountSetup = field(default_factory=AccountSetup)
    calendar: Calendar = field(default_factory=Calendar)


# The allowed range of each number, checked when the file is read (the Settings dialog's
# spin boxes allow the same). 0 minutes for the sync interval means "only when I ask".
RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("account", "port"): (1, 65535),
    ("account", "smtp_port"): (1, 65535),
    ("account", "timeout_seconds"): (1, 600),
    ("rules", "window_days"): (1, 60),
    ("rules", "followup_limit"): (2, 50),
    ("rules", "bulk_recipients"): (2, 500),
    ("rules", "relationship_min"): (1, 100),
    ("rules", "neglect_after_days"): (7, 3650),
    ("rules", "rest_after"): (1, 50),
    ("rules", "rest_quiet_days"): (1, 365),
    ("rules", "unreciprocated_min"): (1, 100),
    ("rules", "unreciprocated_days"): (7, 3650),
    ("sync", "interval_minutes"): (0, 1440),
    ("relay", "port"): (1024, 65535),
    ("relay", "max_message_mb"): (1, 1024),
}

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


def check_ranges(raw: dict[str, Any], where: str) -> None:
    """A number outside its allowed range is a ``ConfigError`` naming the file, the key, the
    value and the range (types were checked before)."""
    chosen = raw.get("language")
    lang = chosen if chosen in LANGUAGES else language()
    for (section, key), (low, high) in RANGES.items():
        table = raw.get(section)
        value = table.get(key) if isinstance(table, dict) else None
        if value is not None and not low <= value <= high:
            raise ConfigError(text("errors", lang, "setting_range", file=where, section=section,
                                   name=key, value=value, low=_number(low), high=_number(high)))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def save(settings: Settings, path: Path) -> None:
    """Write atomically, readable by the owner only."""
    tmp = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(to_toml(settings), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
    except OSError as err:
        raise ConfigError(text("errors", language(settings.language), "settings_unwritable",
                               path=path, reason=os_reason(err))) from None


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
    check_ranges(raw, where)
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
