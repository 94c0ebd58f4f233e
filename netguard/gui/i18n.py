"""Dutch and English for the desktop app, as data.

The English text is the source; ``resources/translations/<lang>.toml`` maps it to another
language (``"Sync now" = "Nu synchroniseren"``). ``CatalogueTranslator`` is a ``QTranslator``,
so Designer forms loaded with ``QUiLoader`` are translated too. A missing entry shows English.
"""

from __future__ import annotations

import tomllib
from functools import cache

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from netguard import texts
from netguard.resources import resource

CONTEXT = "NetGuard"


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    item = resource("translations", f"{lang}.toml")
    if not item.is_file():
        return {}
    data = tomllib.loads(item.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


class CatalogueTranslator(QTranslator):
    """Translates every context from one language's catalogue."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self._table = catalogue(lang)

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        # Not translated: the source itself. Never None (PySide6 loses a reference to None on
        # each such return until Python aborts, FACTS.md), and not "" either: Qt takes an empty
        # (non-null) string as the translation, and its own buttons went blank.
        return self._table.get(source, source)

    def isEmpty(self) -> bool:
        return not self._table


_installed: list[CatalogueTranslator] = []


def resolve(setting: str) -> str:
    """``nl`` or ``en`` for a settings value (``auto`` follows the system locale)."""
    if setting in texts.LANGUAGES:
        return setting
    env_choice = texts.language("auto")
    if env_choice == "nl":
        return "nl"
    return "nl" if QLocale.system().name().lower().startswith("nl") else env_choice


def install(lang: str) -> str:
    """Make ``lang`` the app's language; returns it. Safe to call again to switch."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    translator = CatalogueTranslator(lang)
    if app is not None:
        app.installTranslator(translator)
    _installed.append(translator)
    return lang


def current() -> str:
    return _installed[-1].lang if _installed else "en"


def t(source: str, **values: object) -> str:
    """``source`` in the current language, with ``{placeholders}`` filled in."""
    translated = QCoreApplication.translate(CONTEXT, source) or source
    return translated.format(**values) if values else translated
