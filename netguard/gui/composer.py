"""The composer: a recommended template, live lint underlines, and the send guard's banner.

Lint runs on a short debounce after typing stops (it takes milliseconds); the guard re-checks
as recipients change. Sending what would be a fifth follow-up in a week asks first.

A draft written with the close-the-loop template (chosen, recommended, or by *Close the loop
instead*) is marked as closing for the To addresses it was chosen for: the guard lets it go
without a warning, once per streak (SPEC §1 "Closing the loop"). The mark never follows the
draft to another recipient, and choosing another template drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import getaddresses
from enum import Enum
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from netguard.analysis.context import recipient_context
from netguard.analysis.guard import check
from netguard.analysis.history import normalise
from netguard.analysis.model import RecipientContext, RecipientVerdict, Verdict
from netguard.errors import KnownError
from netguard.gui import designer, style
from netguard.gui.composer_form import ComposerForm
from netguard.gui.i18n import t
from netguard.gui.lint_marks import LintMarks
from netguard.gui.notices import Banner
from netguard.gui.sending import SendingUnavailable, UnavailableSender
from netguard.gui.session import Session
from netguard.gui.worker import AccountWorker
from netguard.lint.engine import lint
from netguard.mail.compose import Draft

LINT_DELAY_MS = 300
GUARD_DELAY_MS = 250
CLOSE_THE_LOOP = "close-the-loop"


class Choice(Enum):
    SEND_ANYWAY = "send"
    CLOSE_LOOP = "close"
    CANCEL = "cancel"


class Asker(Protocol):
    def __call__(self, parent: QWidget, question: str, offer_close: bool = True) -> Choice:
        """Ask before a fifth follow-up; ``offer_close``: *Close the loop instead* is offered
        (not when the loop was closed already in this streak)."""
        ...


DiscardAsker = Callable[[QWidget], bool]


def ask_with_message_box(parent: QWidget | None, question: str,
                         offer_close: bool = True) -> Choice:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(t("A fifth follow-up this week"))
    box.setText(question)
    send = box.addButton(t("Send anyway"), QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton(t("Close the loop instead"), QMessageBox.ButtonRole.ActionRole)
    close.setVisible(offer_close)
    cancel = box.addButton(t("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close if offer_close else cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return Choice.SEND_ANYWAY if clicked is send else (
        Choice.CLOSE_LOOP if clicked is close else Choice.CANCEL)


def ask_discard(parent: QWidget | None) -> bool:
    """Whether to throw the unsaved draft away; *Keep editing* is the default (and Esc)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(t("Discard this draft?"))
    box.setText(t("Discard this draft?"))
    box.setInformativeText(t("Your text has not been sent or saved to Drafts."))
    discard = box.addButton(t("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(t("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def split_addresses(text: str) -> list[str]:
    """The addresses in a To/Cc field: ``a@x, "Jansen, Frank" <f@y>; c@z``."""
    return [address for _name, address in getaddresses([text.replace(";", ",")]) if address]


class Composer(QDialog):
    sent = Signal(str)  # a confirmation; the main window re-reads the store

    def __init__(self, session: Session, worker: AccountWorker, asker: Asker | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = worker
        self.asker = asker or ask_with_message_box
        self.discard_asker: DiscardAsker = ask_discard
        self._kept_text = ""  # the body as last sent, saved or put there by a template
        self._closing_window = False
        self.verdict: Verdict | None = None
        self.contexts: tuple[RecipientContext, ...] = ()
        self.closing_marked: frozenset[str] = frozenset()  # To addresses the close is for
        self.setWindowTitle(t("New message — NetGuard"))
        designer.fit_to_screen(self, 1000, 680)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        host = QWidget()
        layout.addWidget(host)
        self.ui = designer.embed("composer.ui", host)
        self.to_edit = designer.child(self.ui, QLineEdit, "to_edit")
        self.cc_edit = designer.child(self.ui, QLineEdit, "cc_edit")
        self.subject_edit = designer.child(self.ui, QLineEdit, "subject_edit")
        self.form = ComposerForm(self.ui, session)
        self.body = self.form.body
        self.marks = LintMarks(self.body)
        self.banner = Banner()
        banner_layout = QVBoxLayout(designer.child(self.ui, QWidget, "banner_host"))
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.banner)
        self._timers()
        self._connect()

    def _timers(self) -> None:
        self.lint_timer = QTimer(self, singleShot=True, interval=LINT_DELAY_MS)
        self.lint_timer.timeout.connect(self.relint)
        self.guard_timer = QTimer(self, singleShot=True, interval=GUARD_DELAY_MS)
        self.guard_timer.timeout.connect(self.recheck)

    def _connect(self) -> None:
        self.body.textChanged.connect(self.lint_timer.start)
        self.subject_edit.textChanged.connect(self.lint_timer.start)
        self.to_edit.textChanged.connect(self.guard_timer.start)
        self.cc_edit.textChanged.connect(self.guard_timer.start)
        self.form.rendered.connect(self._template_rendered)
        self.form.failed.connect(self._status)
        self.form.combo.currentIndexChanged.connect(self._template_chosen)
        for name in ("send_button", "save_button", "copy_button", "apply_button"):
            self.form.button(name).setAutoDefault(False)  # Enter in a field never sends
        self.form.button("send_button").setStyleSheet(style.PRIMARY)
        self.form.button("send_button").clicked.connect(self.send)
        self.form.button("save_button").clicked.connect(self.save_draft)
        self.form.button("copy_button").clicked.connect(self.copy)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send)

    # -- recipients and the guard --------------------------------------------------------------

    def set_recipient(self, address: str) -> None:
        """Start a message to ``address`` with the template its history recommends."""
        self.to_edit.setText(address)
        self.recheck()
        self.form.recommend(self.contexts[0] if self.contexts else None)
        self._template_chosen()

    def recipients(self) -> tuple[list[str], list[str]]:
        return split_addresses(self.to_edit.text()), split_addresses(self.cc_edit.text())

    def recheck(self) -> None:
        self.guard_timer.stop()
        session = self.session
        to, cc = self.recipients()
        self.contexts = tuple(recipient_context(session.conn, session.rules, a, at=session.now())
                              for a in to)
        self.form.set_context(self.contexts[0] if self.contexts else None)
        self.verdict = check(session.conn, session.rules, to, cc, at=session.now(),
                             lang=session.lang, closing_for=self.closing_for()) if to else None
        self._show_guard()
        self.relint()

    def closing_for(self) -> tuple[str, ...]:
        """The To addresses this draft closes the loop with: the close-the-loop template,
        chosen while they were in To."""
        if self.form.template() != CLOSE_THE_LOOP:
            return ()
        to = (normalise(address) for address in self.recipients()[0])
        return tuple(address for address in to if address in self.closing_marked)

    def _template_chosen(self) -> None:
        """Choosing the close-the-loop template marks the draft as closing for the current To."""
        if self.form.template() == CLOSE_THE_LOOP:
            self.closing_marked = frozenset(normalise(a) for a in self.recipients()[0])
        self.recheck()

    def _show_guard(self) -> None:
        message = self.guard_message()
        if message:
            headline, _, rest = message.partition("\n")
            self.banner.show_message(rest, "warn", closable=False, title=headline)
        elif closing := self.closing_message():
            headline, _, rest = closing.partition("\n")
            self.banner.show_message(rest, "info", closable=False, title=headline)
        else:
            self.banner.hide()

    def closing_message(self) -> str:
        """The banner's text when this draft closes the loop, or ''."""
        closing = [rv for rv in self.verdict.recipients if rv.closing] if self.verdict else []
        if not closing:
            return ""
        names = ", ".join(self._name(rv.address) for rv in closing)
        return "\n".join((
            t("This message closes the loop with {name}.", name=names),
            t("It is the advice, not another push: NetGuard sends it without a warning, "
              "and afterwards lets it rest until they write back.")))

    def _name(self, address: str) -> str:
        return next((c.name for c in self.contexts if c.address == address and c.name), address)

    def guard_message(self) -> str:
        """The banner's text for the current recipients, or '' when the guard is clear."""
        if self.verdict is None or not self.verdict.warn:
            return ""
        lines = []
        for rv in self.verdict.recipients:
            if not rv.warn:
                continue
            name = self._name(rv.address)
            lines.append(t("This would be follow-up number {n} to {name} within {days} days, "
                           "with no reply since.", n=rv.followups_in_window + 1, name=name,
                           days=rv.window_days))
            lines += _closed_note(rv, name) if rv.closed_at else [
                f.advice for f in rv.findings if f.rule == "followup-overload" and f.advice]
        if len(lines) == 1:
            lines.append(t("Giving people time works better than another reminder. Closing the "
                           "loop politely keeps the door open."))
        return "\n".join(dict.fromkeys(lines))

    # -- lint -----------------------------------------------------------------------------------

    def relint(self) -> None:
        self.lint_timer.stop()
        text = self.body.toPlainText()
        session = self.session
        result = lint(text, language="auto", recipients=self.contexts,
                      competitors=tuple(session.settings.lint.competitors),
                      my_names=(session.me_name(),) if session.me_name() else (),
                      subject=self.subject_edit.text())
        self.marks.show(text, result.findings)
        self.form.show_findings(result.findings, result.notes)

    # -- unsaved work ---------------------------------------------------------------------------

    def _template_rendered(self) -> None:
        self._kept_text = self.body.toPlainText()
        self.relint()

    def has_unsaved_text(self) -> bool:
        """Whether the body holds words of the user's that were neither sent nor saved."""
        text = self.body.toPlainText()
        return bool(text.strip()) and text != self._kept_text

    def _may_close(self) -> bool:
        return not self.has_unsaved_text() or self.discard_asker(self)

    def reject(self) -> None:  # Esc, and QDialog's own closeEvent
        if self._closing_window or self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and not self._may_close():
            event.ignore()
            return
        self._closing_window = True  # asked once already
        try:
            super().closeEvent(event)
        finally:
            self._closing_window = False

    # -- actions --------------------------------------------------------------------------------

    def draft(self) -> Draft:
        to, cc = self.recipients()
        return Draft(to=tuple(to), cc=tuple(cc), subject=self.subject_edit.text(),
                     body=self.body.toPlainText())

    def send(self) -> None:
        if isinstance(self.session.sender, UnavailableSender):  # the demo: say so at once
            self._failed(SendingUnavailable(self.session.sender.reason))
            return
        to, _ = self.recipients()
        if not to:
            self._status(t("Add at least one recipient in To."))
            return
        self.recheck()
        force = False
        if self.verdict is not None and self.verdict.warn:
            warned = [rv for rv in self.verdict.recipients if rv.warn]
            offer = any(rv.closed_at is None for rv in warned)
            choice = self.asker(self, self.guard_message(), offer_close=offer)
            if choice is Choice.CLOSE_LOOP:
                self.close_the_loop()
                return
            if choice is Choice.CANCEL:
                return
            force = True
        draft, sender, closing_for = self.draft(), self.session.sender, self.closing_for()
        self._status(t("Sending…"))
        self.worker.run(lambda: sender.send(draft, force=force, closing_for=closing_for),
                        self._sent, self._failed)

    def close_the_loop(self) -> None:
        """Switch to the close-the-loop template (instead of one follow-up too many); the
        draft is then marked as closing for the current To, so Send asks nothing more."""
        self.form.use_template(CLOSE_THE_LOOP)
        self._template_chosen()
        self._status(t("Switched to the close-the-loop template. Read it through, then "
                       "send when you are ready."))

    def _sent(self, confirmation: object) -> None:
        message = str(confirmation) or t("Sent.")
        self._status(message)
        self._kept_text = self.body.toPlainText()
        self.sent.emit(message)
        self.accept()

    def save_draft(self) -> None:
        draft, sender = self.draft(), self.session.sender
        self._status(t("Saving to Drafts…"))
        self.worker.run(lambda: sender.save_draft(draft), self._saved, self._failed)

    def _saved(self, confirmation: object) -> None:
        self._kept_text = self.body.toPlainText()
        self._status(str(confirmation) or t("Saved to Drafts."))

    def copy(self) -> None:
        draft = self.draft()
        QGuiApplication.clipboard().setText(f"{t('Subject:')} {draft.subject}\n\n{draft.body}")
        self._status(t("Copied to the clipboard."))

    def _failed(self, err: KnownError) -> None:
        """Nothing went out: an error, or calm information where sending is not possible here."""
        kind = "info" if isinstance(err, SendingUnavailable) else "error"
        self.banner.show_message(str(err), kind)
        self._status("")

    def _status(self, message: str) -> None:
        self.form.status.setText(message)


def _closed_note(rv: RecipientVerdict, name: str) -> list[str]:
    """Why a closing message is judged normally: this streak's loop was closed already."""
    assert rv.closed_at is not None
    return [t("You already closed the loop with {name} on {date}; one closing message per "
              "unanswered streak, so this one counts as another follow-up. Letting it rest "
              "until they write back is usually best.", name=name,
              date=rv.closed_at.date().isoformat())]
