"""The findings overview: what NetGuard noticed, grouped by pitfall, "this week" first,
each group with the article's advice. Names link to the contact. Below, collapsed, the others:
senders whose mail looks automated, listed apart and never judged (SPEC §1 "others")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QTextBrowser

from netguard.analysis.findings import display_name
from netguard.analysis.model import ContactState, Finding, Other, Report
from netguard.gui import states
from netguard.gui.i18n import number, t
from netguard.gui.richtext import esc

CSS = """
h2 { font-size: 15pt; font-weight: 600; margin: 4px 0 2px 0; }
h3 { font-size: 12pt; font-weight: 600; margin: 14px 0 2px 0; }
p.advice { color: #55606e; margin: 2px 0 6px 0; }
p.lead { color: #55606e; }
ul { margin-left: -18px; }
li { margin-bottom: 4px; }
a { color: #2f5d8c; text-decoration: none; font-weight: 600; }
li.other { color: #55606e; }
"""
FIRST_LINES = 20  # per group in the first paint; the rest follows right after it (issue 18)
SHOW_OTHERS = "#others-show"
HIDE_OTHERS = "#others-hide"
EMPTY = ("No contacts yet. Once NetGuard has read your Sent folder and the folders where "
         "replies land, the people you write with appear here, with what is worth a thought "
         "this week. NetGuard only reads; it never changes anything on the server.")


class FindingsOverview(QTextBrowser):
    contact_requested = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(CSS)
        self.document().setDocumentMargin(14)
        self.anchorClicked.connect(self._clicked)
        self._targets: list[str] = []
        self._report: Report | None = None
        self._window_days = 7
        self._pending = ""
        self.others_shown = False

    def show_report(self, report: Report, window_days: int) -> None:
        self._report, self._window_days = report, window_days
        contacts = {c.address: c for c in report.contacts}
        since = report.at - timedelta(days=window_days)
        recent: list[Finding] = []
        older: list[Finding] = []
        for finding in report.findings:
            contact = contacts.get(finding.contact)
            (recent if contact and _active_since(contact, since) else older).append(finding)
        self._targets = []
        self._pending = ""
        if not report.contacts:
            self.setHtml(f"<h2>{esc(t('Welcome to NetGuard'))}</h2><p class='lead'>"
                         f"{esc(t(EMPTY))}</p>")
            return
        parts: list[str | list[str]] = [f"<h2>{esc(t('This week'))}</h2>"]
        parts += self._groups(recent, contacts) or [
            f"<p class='lead'>{esc(t('Nothing needs your attention this week. Well done.'))}</p>"]
        if older:
            parts.append(f"<h2>{esc(t('Longer term'))}</h2>")
            parts += self._groups(older, contacts)
        parts += self._others(report.others)
        self._show(parts)

    def _show(self, parts: list[str | list[str]]) -> None:
        """Before the window is first shown, long groups show their first lines only, so the
        window paints without waiting for a few thousand lines' layout; all of them follow
        right after that first paint."""
        self._pending = _html(parts)
        if self.window().isVisible() or not any(
                isinstance(part, list) and len(part) > FIRST_LINES for part in parts):
            self._complete()
        else:
            self.setHtml(_html(parts, FIRST_LINES))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._pending:
            QTimer.singleShot(0, self, self._complete)

    def _complete(self) -> None:
        if self._pending:
            self.setHtml(self._pending)
            self._pending = ""

    def _others(self, others: tuple[Other, ...]) -> list[str | list[str]]:
        """The others, a heading and a line; the list itself only when asked for."""
        if not others:
            return []
        toggle = (f"<a href='{HIDE_OTHERS}'>{esc(t('Hide them'))}</a>" if self.others_shown
                  else f"<a href='{SHOW_OTHERS}'>{esc(t('Show them'))}</a>")
        parts: list[str | list[str]] = [
            f"<h3>{esc(t('Others'))} <span style='color:#8a8f98'>({number(len(others))})</span>"
            f"</h3><p class='advice'>{esc(t(OTHERS_LEAD))} {toggle}</p>"]
        if self.others_shown:
            parts.append("<ul>")
            parts.append([f"<li class='other'>{_other_line(other)}</li>" for other in others])
            parts.append("</ul>")
        return parts

    def _groups(self, findings: Iterable[Finding],
                contacts: dict[str, ContactState]) -> list[str | list[str]]:
        by_pitfall: dict[int, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_pitfall[finding.pitfall].append(finding)
        parts: list[str | list[str]] = []
        for pitfall in sorted(by_pitfall, key=lambda p: (-len(by_pitfall[p]) if p != 7 else -999)):
            items = by_pitfall[pitfall]
            title = t("Pitfall {n}: {title}", n=pitfall, title=states.pitfall_title(pitfall))
            count = number(len(items))
            parts.append(f"<h3>{esc(title)} <span style='color:#8a8f98'>({count})</span></h3>")
            parts.append(f"<p class='advice'>{esc(states.pitfall_advice(pitfall))}</p><ul>")
            parts.append([f"<li>{self._line(finding, contacts)}</li>" for finding in items])
            parts.append("</ul>")
        return parts

    def _line(self, finding: Finding, contacts: dict[str, ContactState]) -> str:
        """The finding's message with the contact's name (or address) in it as the link: the
        name once, never "x@y — x@y has not answered"."""
        contact = contacts.get(finding.contact)
        shown = display_name(contact.name if contact else "", finding.contact)
        link = self._link(finding.contact, shown)
        message = esc(finding.message)
        name = esc(shown)
        start = _whole_word(message, name)
        if start >= 0:
            return message[:start] + link + message[start + len(name):]
        return f"{link} — {message}"

    def _link(self, address: str, shown: str) -> str:
        self._targets.append(address)
        return f"<a href='#contact-{len(self._targets) - 1}'>{esc(shown)}</a>"

    def _clicked(self, url: QUrl) -> None:
        if url.toString() in (SHOW_OTHERS, HIDE_OTHERS):
            self.others_shown = url.toString() == SHOW_OTHERS
            if self._report is not None:
                self.show_report(self._report, self._window_days)
            return
        fragment = url.fragment()
        if fragment.startswith("contact-"):
            index = int(fragment.removeprefix("contact-"))
            if 0 <= index < len(self._targets):
                self.contact_requested.emit(self._targets[index])


OTHERS_LEAD = ("Newsletters, announcements and other senders whose mail looks automated, whom "
               "you never wrote to. NetGuard keeps them apart and never judges them; write to "
               "one and it becomes a contact.")


def _html(parts: list[str | list[str]], lines: int | None = None) -> str:
    """The document: fixed pieces as they are, of each list of lines the first ``lines``."""
    return "".join(part if isinstance(part, str) else "".join(part[:lines]) for part in parts)


def _other_line(other: Other) -> str:
    who = (f"{esc(other.name)} &lt;{esc(other.address)}&gt;" if other.name
           else esc(other.address))
    why = ", ".join(_why(reason) for reason in other.why)
    return f"{who} · {esc(t('{n} received', n=other.received))} · {esc(why)}"


def _why(reason: str) -> str:
    labels = {
        "role-address": t("a role or broadcast address"),
        "list-unsubscribe": t("has an unsubscribe link"),
        "feedback-id": t("sent by a bulk mailer"),
        "precedence-bulk": t("marked as bulk mail"),
        "many-recipients": t("sent to many people"),
        "list-id": t("mailing list"),
    }
    return labels.get(reason, reason)


def _active_since(contact: ContactState, since: datetime) -> bool:
    return any(when is not None and when > since
               for when in (contact.last_sent, contact.last_received))


def _whole_word(text: str, word: str) -> int:
    """Where ``word`` first stands in ``text`` as a whole word (no word character on either
    side), or -1. A string search, not a regex per finding: a report has a thousand of them."""
    start = text.find(word) if word else -1
    while start >= 0:
        end = start + len(word)
        if not (start and _word_char(text[start - 1])) and not (
                end < len(text) and _word_char(text[end])):
            return start
        start = text.find(word, start + 1)
    return -1


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
