"""Dutch and English: every text of the app has a Dutch entry, and switching works."""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from netguard.gui import (
    account_dialog,
    composer_form,
    contacts_model,
    i18n,
    settings_dialog,
    sign_in,
    states,
)
from netguard.gui.contacts_model import Column
from netguard.gui.main_window import MainWindow
from netguard.gui.session import Session

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("example.com", "@")  # sample addresses in placeholders stay as they are


def source_texts() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "netguard" / "gui").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    for path in (ROOT / "ui").glob("*.ui"):
        found |= {s.text for s in ET.parse(path).getroot().iter("string") if s.text}
    found |= {look.label for look in (*states.LOOKS.values(), states.WAITING, states.OK,
                                      states.MUTED)}
    found |= {text for pair in states.PITFALLS.values() for text in pair}
    found |= set(contacts_model.HEADERS) | {tip for tip in contacts_model.HEADER_TIPS if tip}
    found |= {label for _code, label in (*settings_dialog.LANGUAGES, *account_dialog.SECURITY)}
    found |= set(composer_form.TEMPLATE_LABELS.values())
    found |= set(composer_form.VARIABLE_LABELS.values())
    found |= {label for _auth, _provider, label in sign_in.METHODS} | set(sign_in.BUTTONS.values())
    return {text for text in found if not any(e in text for e in EXAMPLES)}


def test_every_text_has_a_dutch_translation_with_the_same_placeholders() -> None:
    dutch = i18n.catalogue("nl")
    missing = sorted(source_texts() - set(dutch))
    assert missing == []
    for source, translated in dutch.items():
        assert _fields(source) == _fields(translated), source


def _fields(text: str) -> set[str]:
    import string

    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_the_app_speaks_dutch(session: Session, make_window: Any) -> None:
    session.lang = i18n.install("nl")
    window: MainWindow = make_window(session)
    assert window.model.headerData(Column.NAME, *_horizontal()) == "Naam"
    states_shown = {window.proxy.index(r, Column.STATE).data()
                    for r in range(window.proxy.rowCount())}
    assert "Te opdringerig" in states_shown
    assert "Deze week" in window.overview.toPlainText()
    composer = window.open_composer()
    send = composer.ui.findChild(QPushButton, "send_button")
    assert send is not None and send.text() == "Versturen"


def _horizontal() -> tuple[Any, ...]:
    from PySide6.QtCore import Qt

    return (Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)


def test_switching_language_in_settings_rebuilds_the_window(session: Session, qtbot: Any) -> None:
    from dataclasses import replace

    from netguard.gui.app import Shell

    shell = Shell(session)
    first = shell.open()
    qtbot.addWidget(first)
    session.workspace.save_settings(replace(session.settings, language="nl"))
    first.language_changed.emit("nl")
    second = shell.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    assert second.search.placeholderText() == "Contacten zoeken (Ctrl+F)"
    assert session.lang == "nl"
    shell.shutdown()


def test_thousands_of_lookups_cost_none_no_reference(qapp) -> None:
    """PySide6 hands the translator None without a reference; unrepaid, Python aborts."""
    from PySide6.QtCore import QCoreApplication

    for lang in ("en", "nl"):
        i18n.install(lang)
        before = sys.getrefcount(None)
        for _ in range(5000):
            i18n.t("Sync now")
            QCoreApplication.translate("QLineEdit", "&Copy")  # Qt's own texts, null disambiguation
        assert sys.getrefcount(None) >= before - 50, lang
    assert i18n.t("Sync now") == "Nu synchroniseren"
    i18n.install("en")
