"""The findings overview: what NetGuard noticed, grouped by pitfall, "this week" first,
each group with the article's advice. Names link to the contact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser

from netguard.analysis.model import ContactState, Finding, Report
from netguard.gui import states
from netguard.gui.i18n import t
from netguard.gui.richtext import esc

CSS = """
h2 { font-size: 15pt; font-weight: 600; margin: 4px 0 2px 0; }
h3 { font-size: 12pt; font-weight: 600; margin: 14px 0 2px 0; }
p.advice { color: #55606e; margin: 2px 0 6px 0; }
p.lead { color: #55606e; }
ul { margin-left: -18px; }
li { margin-bottom: 4px; }
a { color: #2f5d8c; text-decoration: none; font-weight: 600; }
"""
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

    def show_report(self, report: Report, window_days: int) -> None:
        contacts = {c.address: c for c in report.contacts}
        since = report.at - timedelta(days=window_days)
        recent: list[Finding] = []
        older: list[Finding] = []
        for finding in report.findings:
            contact = contacts.get(finding.contact)
            (recent if contact and _active_since(contact, since) else older).append(finding)
        self._targets = []
        if not report.contacts:
            self.setHtml(f"<h2>{esc(t('Welcome to NetGuard'))}</h2><p class='lead'>"
                         f"{esc(t(EMPTY))}</p>")
            return
        parts = [f"<h2>{esc(t('This week'))}</h2>"]
        parts += self._groups(recent, contacts) or [
            f"<p class='lead'>{esc(t('Nothing needs your attention this week. Well done.'))}</p>"]
        if older:
            parts.append(f"<h2>{esc(t('Longer term'))}</h2>")
            parts += self._groups(older, contacts)
        self.setHtml("".join(parts))

    def _groups(self, findings: Iterable[Finding], contacts: dict[str, ContactState]) -> list[str]:
        by_pitfall: dict[int, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_pitfall[finding.pitfall].append(finding)
        parts = []
        for pitfall in sorted(by_pitfall, key=lambda p: (-len(by_pitfall[p]) if p != 7 else -999)):
            items = by_pitfall[pitfall]
            title = t("Pitfall {n}: {title}", n=pitfall, title=states.pitfall_title(pitfall))
            parts.append(f"<h3>{esc(title)} <span style='color:#8a8f98'>({len(items)})</span></h3>")
            parts.append(f"<p class='advice'>{esc(states.pitfall_advice(pitfall))}</p><ul>")
            for finding in items:
                parts.append(f"<li>{self._link(finding.contact, contacts)} — "
                             f"{esc(finding.message)}</li>")
            parts.append("</ul>")
        return parts

    def _link(self, address: str, contacts: dict[str, ContactState]) -> str:
        contact = contacts.get(address)
        name = (contact.name if contact else "") or address
        self._targets.append(address)
        return f"<a href='#contact-{len(self._targets) - 1}'>{esc(name)}</a>"

    def _clicked(self, url: QUrl) -> None:
        fragment = url.fragment()
        if fragment.startswith("contact-"):
            index = int(fragment.removeprefix("contact-"))
            if 0 <= index < len(self._targets):
                self.contact_requested.emit(self._targets[index])


def _active_since(contact: ContactState, since: datetime) -> bool:
    return any(when is not None and when > since
               for when in (contact.last_sent, contact.last_received))
