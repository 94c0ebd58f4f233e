"""Dutch and English for the desktop app, as data.

The English text is the source; ``resources/translations/<lang>.toml`` maps it to another
language (``"Sync now" = "Nu synchroniseren"``). ``t`` reads it directly, and so does the
Designer form loader; ``CatalogueTranslator`` is a ``QTranslator`` for Qt's own texts (buttons,
context menus). A missing entry shows English.
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from netguard import texts
from netguard.resources import resource


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
    """Translates every context from one language's catalogue (Qt's own texts included).

    PySide6 6.12 hands a Python override ``None`` for a null disambiguation without taking a
    reference to it, so every such lookup costs ``None`` one reference until Python aborts
    ("none_dealloc"). ``install`` measures whether this build does that, and the translator then
    gives the reference back. NetGuard's own texts never pass through here (``t`` reads the
    catalogue directly), only Qt's, such as a line edit's context menu.
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self._table = catalogue(lang)

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if disambiguation is None and _none_loss["repay"]:
            _give_none_back(1)
        # Not translated: the source itself, not "": Qt takes an empty (non-null) string as the
        # translation, and its own buttons went blank.
        return self._table.get(source, source)

    def isEmpty(self) -> bool:
        return not self._table


_installed: list[CatalogueTranslator] = []
_none_loss = {"repay": False}  # measured once, by install()


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
        _measure_none_loss()
    _installed.append(translator)
    return lang


def _measure_none_loss(calls: int = 16) -> None:
    """Whether this PySide6 loses a reference to ``None`` per lookup; repay what the probe cost."""
    if _none_loss["repay"]:
        return
    before = sys.getrefcount(None)
    for _ in range(calls):
        QCoreApplication.translate("NetGuard-probe", "probe")
    lost = before - sys.getrefcount(None)
    if lost >= calls:
        _give_none_back(lost)
        _none_loss["repay"] = True


def _give_none_back(count: int) -> None:
    import ctypes  # only for a PySide6 that loses references (not the one we ship)

    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))


def current() -> str:
    return _installed[-1].lang if _installed else "en"


def number(count: int) -> str:
    """A count as the current language writes it: 200,000 / 200.000."""
    return texts.number(count, current())


def t(source: str, **values: object) -> str:
    """``source`` in the current language, with ``{placeholders}`` filled in."""
    translated = catalogue(current()).get(source, source)
    return translated.format(**values) if values else translated
