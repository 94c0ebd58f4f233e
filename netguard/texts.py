"""User-facing sentences of the core, in Dutch and English, as data.

Each domain (``guard``, ``lint``, ``cli``, ...) has ``resources/texts/<domain>.<lang>.toml``
with ``key = "sentence with {placeholders}"``. ``language()`` resolves ``auto`` from the
environment's locale.
"""

from __future__ import annotations

import locale
import os
import tomllib
from functools import cache

from netguard.resources import resource

LANGUAGES = ("nl", "en")


@cache
def _table(domain: str, lang: str) -> dict[str, str]:
    data = tomllib.loads(resource("texts", f"{domain}.{lang}.toml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def text(domain: str, lang: str, key: str, **values: object) -> str:
    """The sentence ``key`` of ``domain`` in ``lang`` (falling back to English)."""
    table = _table(domain, lang if lang in LANGUAGES else "en")
    template = table.get(key) or _table(domain, "en")[key]
    return template.format(**values)


def number(count: int, lang: str) -> str:
    """A count as ``lang`` writes it: 200,000 (en), 200.000 (nl)."""
    written = f"{count:,}"
    return written.replace(",", ".") if lang == "nl" else written


def language(setting: str = "auto") -> str:
    """``nl`` or ``en``: the setting, or for ``auto`` the user's locale."""
    if setting in LANGUAGES:
        return setting
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "nl" if value.lower().startswith("nl") else "en"
    code = locale.getlocale()[0] or ""
    return "nl" if code.lower().startswith("nl") else "en"
