"""How an account logs in, said without a secret: for `account show` and the Account dialog."""

from __future__ import annotations

from netguard import secrets
from netguard.accounts import tokens
from netguard.accounts.detected import PROVIDER_NAMES as NAMES
from netguard.settings import Account
from netguard.texts import text


def ready(account: Account) -> bool:
    """Whether a login is at hand: a stored password, or a stored OAuth2 sign-in."""
    if account.auth == "oauth2":
        return tokens.load(account.user) is not None
    return secrets.get_password(account.user) is not None


def provider_name(account: Account) -> str:
    return NAMES.get(account.oauth_provider, account.oauth_provider or "?")


def describe(account: Account, is_ready: bool, lang: str) -> str:
    """``OAuth2 (Microsoft), signed in`` / ``... not signed in`` / ``password (stored ...)``."""
    if account.auth == "oauth2":
        key = "login_oauth_in" if is_ready else "login_oauth_out"
        return text("account", lang, key, provider=provider_name(account))
    return text("account", lang, "login_password" if is_ready else "login_password_missing")
