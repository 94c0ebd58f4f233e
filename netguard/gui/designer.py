"""Designer forms from ``ui/``, loaded at runtime with ``QUiLoader`` and used by composition.

``embed(name, host)`` loads ``ui/<name>`` into ``host`` (a dialog or widget of ours) and
returns the form widget; its children are reachable by object name (``form.host_edit``).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netguard.gui.i18n import t
from netguard.resources import form

T = TypeVar("T", bound=QObject)
TEXT_PROPERTIES = ("text", "title", "placeholderText", "toolTip", "windowTitle",
                   "specialValueText", "suffix")


def load(name: str, parent: QWidget | None = None) -> QWidget:
    data = QByteArray(form(name).read_bytes())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    loader = QUiLoader()
    loader.setTranslationEnabled(False)  # we translate below, from our own catalogue
    widget = loader.load(buffer, parent)
    buffer.close()
    if widget is None:
        raise RuntimeError(f"cannot load form {name}: {loader.errorString()}")
    translate(widget)
    return widget


def translate(root: QWidget) -> None:
    """Every user-visible text of a loaded form, through the app's catalogue."""
    for widget in (root, *root.findChildren(QWidget)):
        for prop in TEXT_PROPERTIES:
            value = widget.property(prop)
            if isinstance(value, str) and value:
                widget.setProperty(prop, t(value))
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                widget.setTabText(index, t(widget.tabText(index)))
        if isinstance(widget, QDialogButtonBox):
            for button in widget.buttons():
                button.setText(t(button.text().replace("&", "")))


def embed(name: str, host: QWidget) -> QWidget:
    """Load the form into ``host``'s (new) layout, edge to edge."""
    widget = load(name, host)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    return widget


def embed_scrolling(name: str, host: QWidget, pinned: str = "button_box") -> QWidget:
    """Like ``embed``, but the form scrolls when ``host`` is shorter than the form (a 600-pixel
    screen); the child named ``pinned`` (the dialog's buttons) stays below, always in view.
    Returns ``host``: the form's children are found through it, the pinned one included."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setStyleSheet("QScrollArea { border: none; background: transparent; }")
    inner = QWidget()
    widget = embed(name, inner)
    scroll.setWidget(inner)
    inner.setAutoFillBackground(False)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll, 1)
    buttons = widget.findChild(QWidget, pinned)
    if buttons is not None:
        layout.addWidget(buttons)
    return host


class _WrapFit(QObject):
    """Keeps a word-wrapped label exactly as tall as its text at its current width (checked
    when it is shown, resized or repainted, as after a new text)."""

    EVENTS = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Paint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.EVENTS and isinstance(watched, QLabel):
            height = watched.heightForWidth(watched.width())
            if height > 0 and height != watched.minimumHeight():
                watched.setFixedHeight(height)
        return False


def fit_wrapped_labels(form_widget: QWidget) -> None:
    """In a form layout a wrapped label keeps the height of its size hint (about three lines
    for a short sentence), leaving gaps; this makes each one as tall as its text needs."""
    fit = _WrapFit(form_widget)
    for label in form_widget.findChildren(QLabel):
        if label.wordWrap():
            label.installEventFilter(fit)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` × ``height``, but never larger than the screen allows."""
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 20), min(height, room.height() - 60)  # frame
    window.resize(max(300, width), max(200, height))


def child(form_widget: QWidget, kind: type[T], name: str) -> T:
    """A named child of a loaded form, typed; a missing name is a bug in the form."""
    found = form_widget.findChild(kind, name)
    if found is None:
        raise RuntimeError(f"form has no {kind.__name__} named {name!r}")
    return found
