"""Stand-ins and helpers shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from netguard.gui.composer import Choice
from netguard.mail.compose import Draft

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


class RecordingSender:
    """Stands in for SMTP in GUI tests: remembers what it was asked to do."""

    def __init__(self, confirmation: str = "Sent.") -> None:
        self.confirmation = confirmation
        self.sent: list[tuple[Draft, bool]] = []
        self.closing_for: list[tuple[str, ...]] = []  # per message sent, as ``sent``
        self.saved: list[Draft] = []

    def send(self, draft: Draft, force: bool = False,
             closing_for: Collection[str] = ()) -> str:
        self.sent.append((draft, force))
        self.closing_for.append(tuple(closing_for))
        return self.confirmation

    def save_draft(self, draft: Draft) -> str:
        self.saved.append(draft)
        return "Saved in Drafts."


class ScriptedAsker:
    """Answers the fifth-follow-up question with a fixed choice and remembers the question."""

    def __init__(self, choice: Choice = Choice.CANCEL) -> None:
        self.choice = choice
        self.questions: list[str] = []
        self.offered_close: list[bool] = []

    def __call__(self, parent: QWidget, question: str, offer_close: bool = True) -> Choice:
        self.questions.append(question)
        self.offered_close.append(offer_close)
        return self.choice


def screenshot(widget: QWidget, name: str) -> Path:
    """Save what ``widget`` shows to artifacts/screenshots/NAME.png (look at them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    QApplication.processEvents()  # let pending layouts settle, as a user would see them
    assert widget.grab().save(str(path))
    return path
