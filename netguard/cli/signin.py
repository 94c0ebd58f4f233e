"""The OAuth2 part of `netguard account set` and `netguard account login`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from netguard import secrets
from netguard.accounts import oauth
from netguard.accounts.credentials import forget_access_tokens
from netguard.errors import UsageError
from netguard.settings import OAuthClient, Settings
from netguard.texts import language, text


def add_arguments(parser: Any) -> None:
    parser.add_argument("--auth", choices=("password", "oauth2"),
                        help="log in with a password (the default, unless --email found an "
                             "OAuth2 provider) or sign in with OAuth2")
    parser.add_argument("--oauth-provider", choices=("microsoft", "google", "oidc"))
    parser.add_argument("--oauth-issuer", help="the OpenID Connect issuer (with oidc)")
    parser.add_argument("--oauth-client-id", help="your own registered client ID")
    parser.add_argument("--oauth-client-secret",
                        help="its client secret, if the provider gave one (kept in the keyring)")
    parser.add_argument("--no-browser", action="store_true",
                        help="only print the sign-in address; do not open a browser (with "
                             "--email: sign in later with `netguard account login`)")


def configure(settings: Settings, args: argparse.Namespace) -> Settings:
    """The OAuth2 choices of the command line in the settings (the secret to the keyring)."""
    provider = args.oauth_provider or settings.account.oauth_provider
    if not provider:
        raise UsageError(text("account", language(settings.language), "oauth_no_provider"))
    issuer = args.oauth_issuer or settings.account.oauth_issuer if provider == "oidc" else ""
    account = replace(settings.account, auth="oauth2", oauth_provider=provider,
                      oauth_issuer=issuer)
    settings = replace(settings, account=account)
    if args.oauth_client_id:
        settings = replace(settings, oauth=replace(
            settings.oauth, **{provider: OAuthClient(args.oauth_client_id)}))
    if args.oauth_client_secret:
        secrets.set_password(oauth.client_secret_key(account.user), args.oauth_client_secret)
    return settings


def no_browser(url: str) -> None:
    """The opener for --no-browser: the address is printed already."""


def run(settings: Settings, say: Callable[[str], None],
        open_url: Callable[[str], object] | None) -> None:
    """Sign in (waits up to five minutes; Ctrl-C stops it) and drop old access tokens."""
    oauth.sign_in(settings, say, open_url)
    forget_access_tokens()
