"""The account a command needs, or the calm error saying how to set one up. Its own module, so
`sync` does not load `account`'s setup and sign-in modules (issue 18)."""

from __future__ import annotations

from netguard.errors import ConfigError
from netguard.settings import Account
from netguard.texts import text
from netguard.workspace import Workspace


def require_account(workspace: Workspace, lang: str) -> Account:
    account = workspace.settings.account
    if not account.configured:
        raise ConfigError(text("account", lang, "no_account"))
    return account
