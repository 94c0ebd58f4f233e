"""The composer's side panel: template choice with its variables and language, the lint notes,
and the status line. Rendering goes through the core's templates; nothing is decided here."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from netguard.analysis.model import RecipientContext
from netguard.drafting import templates
from netguard.errors import KnownError
from netguard.gui import designer, states
from netguard.gui.i18n import t
from netguard.gui.richtext import esc
from netguard.gui.session import Session
from netguard.lint.model import LintFinding, LintNote

LANGUAGES = (("en", "English"), ("nl", "Nederlands"))
TEMPLATE_LABELS = {
    "first-followup": "Gentle follow-up",
    "value-followup": "Follow-up that offers something",
    "close-the-loop": "Close the loop",
    "reconnect": "Reconnect, no ask",
    "cold-intro": "First introduction",
    "give-back": "Give back",
}

VARIABLE_LABELS = {
    "note": "A last friendly line",
    "reason": "Why this person",
    "topic": "Topic",
    "about_me": "About me, briefly",
    "addition": "Something new to add",
    "help": "How you can help",
    "remembered": "Something you remember",
    "offer": "What you offer",
}


def variable_label(name: str) -> str:
    return t(VARIABLE_LABELS[name]) if name in VARIABLE_LABELS else name.replace("_", " ")


def template_label(name: str) -> str:
    return t(TEMPLATE_LABELS[name]) if name in TEMPLATE_LABELS else name


class ComposerForm(QObject):
    rendered = Signal()
    failed = Signal(str)

    def __init__(self, ui: QWidget, session: Session) -> None:
        super().__init__(ui)
        self.ui = ui
        self.session = session
        self.body = designer.child(ui, QPlainTextEdit, "body_edit")
        self.subject = designer.child(ui, QLineEdit, "subject_edit")
        self.combo = designer.child(ui, QComboBox, "template_combo")
        self.language_combo = designer.child(ui, QComboBox, "language_combo")
        self.variables = designer.child(ui, QFormLayout, "variables_form")
        self.recommend_label = designer.child(ui, QLabel, "recommend_label")
        self.lint_label = designer.child(ui, QLabel, "lint_label")
        self.lint_label.setTextFormat(Qt.TextFormat.RichText)
        self.status = designer.child(ui, QLabel, "status_label")
        self.context = RecipientContext(address="")
        self.fields: dict[str, QLineEdit] = {}
        self._last_rendered = ""
        self._fill_choices()
        self.combo.currentIndexChanged.connect(self._template_changed)
        self.language_combo.currentIndexChanged.connect(self._template_changed)
        self.button("apply_button").clicked.connect(lambda: self.render(force=True))

    def button(self, name: str) -> QPushButton:
        return designer.child(self.ui, QPushButton, name)

    def _fill_choices(self) -> None:
        self.infos = templates.list_templates(self.session.workspace.profile.templates_dir)
        self.combo.blockSignals(True)
        self.combo.addItem(t("(no template)"), "")
        for name in dict.fromkeys(info.name for info in self.infos):
            self.combo.addItem(template_label(name), name)
            described = next((i.description for i in self.infos if i.name == name), "")
            if described:
                self.combo.setItemData(self.combo.count() - 1, described,
                                       Qt.ItemDataRole.ToolTipRole)
        self.combo.blockSignals(False)
        self.language_combo.blockSignals(True)
        for code, label in LANGUAGES:
            self.language_combo.addItem(label, code)
        self.language_combo.setCurrentIndex(0 if self.session.lang == "en" else 1)
        self.language_combo.blockSignals(False)

    def template(self) -> str:
        return str(self.combo.currentData() or "")

    def language(self) -> str:
        return str(self.language_combo.currentData() or "en")

    def set_context(self, context: RecipientContext | None) -> None:
        self.context = context or RecipientContext(address="")

    def recommend(self, context: RecipientContext | None) -> None:
        self.set_context(context)
        name = templates.recommend(self.context)
        self.recommend_label.setText(t("Recommended for this contact: {name}",
                                       name=template_label(name)))
        self.use_template(name)

    def use_template(self, name: str) -> None:
        index = self.combo.findData(name)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self._build_fields()
        self.render(force=True)

    def _template_changed(self) -> None:
        self._build_fields()
        self.render(force=False)

    def _info(self) -> templates.TemplateInfo | None:
        matches = [i for i in self.infos if i.name == self.template()]
        return next((i for i in matches if i.language == self.language()),
                    matches[0] if matches else None)

    def _build_fields(self) -> None:
        kept = {key: edit.text() for key, edit in self.fields.items()}
        while self.variables.rowCount():
            self.variables.removeRow(0)
        self.fields = {}
        info = self._info()
        if info is None:
            return
        for name in info.variables:
            edit = QLineEdit(kept.get(name, ""))
            edit.setPlaceholderText(t("needed") if name in info.needs else t("optional"))
            edit.editingFinished.connect(lambda: self.render(force=False))
            self.fields[name] = edit
            self.variables.addRow(variable_label(name) + ":", edit)

    def render(self, force: bool) -> None:
        """Fill subject and body from the template; without ``force`` only while untouched."""
        name = self.template()
        if not name:
            return
        untouched = self.body.toPlainText() in ("", self._last_rendered)
        if not (force or untouched):
            self.status.setText(t("Your text is kept; press “Use this template” to replace it."))
            return
        extra = {key: edit.text() for key, edit in self.fields.items() if edit.text().strip()}
        info = self._info()
        missing = [key for key in (info.needs if info else ()) if key not in extra]
        if missing:
            fields = ", ".join(f"“{variable_label(key)}”" for key in missing)
            self.failed.emit(t("Fill in {fields} to use this template.", fields=fields))
            return
        try:
            values = templates.template_context(self.context, self.session.me_name(), extra)
            draft = templates.render(name, self.language(), values,
                                     self.session.workspace.profile.templates_dir)
        except KnownError as err:
            self.failed.emit(str(err))
            return
        self._replace_text(draft.subject, draft.body)
        self._last_rendered = self.body.toPlainText()
        self.status.setText("")
        self.rendered.emit()

    def _replace_text(self, subject: str, body: str) -> None:
        """Put a template's text in through the undo stacks, so Ctrl+Z brings the old back."""
        if subject != self.subject.text():
            self.subject.selectAll()
            self.subject.insert(subject)
        if body == self.body.toPlainText():
            return
        cursor = QTextCursor(self.body.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(body)
        cursor.endEditBlock()
        self.body.moveCursor(QTextCursor.MoveOperation.Start)

    def show_findings(self, findings: tuple[LintFinding, ...],
                      notes: tuple[LintNote, ...] = ()) -> None:
        clarity = "".join(f"<p style='margin-bottom:10px;color:#55606e'>{esc(n.message)}</p>"
                          for n in notes)
        if not findings:
            self.lint_label.setText(
                clarity or esc(t("No notes: this reads calm and considerate.")))
            return
        groups: dict[str, list[LintFinding]] = {}
        for finding in findings:
            groups.setdefault(finding.rule, []).append(finding)
        parts = []
        for items in groups.values():
            first = items[0]
            title = t("Pitfall {n}: {title}", n=first.pitfall,
                      title=states.pitfall_title(first.pitfall))
            quotes = ", ".join(dict.fromkeys(f"“{esc(f.text.strip())}”" for f in items))
            message = esc(first.message) if len(items) == 1 else quotes
            parts.append(f"<p style='margin-bottom:10px'><b>{esc(title)}</b><br>{message}<br>"
                         f"<span style='color:#55606e'>{esc(first.advice)}</span></p>")
        self.lint_label.setText("".join(parts) + clarity)

