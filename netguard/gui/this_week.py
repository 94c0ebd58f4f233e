"""*This week*: the weekly networking review (issue 19) as a page beside the contacts: each
item with its reason, a link to the contact, and one click to the composer with the template
it recommends. The review itself is the core's (``analysis.review``); this only shows it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser

from netguard.analysis.findings import display_name
from netguard.analysis.model import Report
from netguard.analysis.review import SHOWN, Kind, Review, ReviewItem, build_review, review_of
from netguard.gui.i18n import number, t
from netguard.gui.overview import CSS
from netguard.gui.richtext import esc
from netguard.gui.session import Session

KIND_LABELS = {  # English sources; translated with t()
    Kind.FOLLOW_UP_NOW: "One follow-up is fine now",
    Kind.GIVE_BACK: "Give back",
    Kind.CADENCE_DUE: "Keep in touch",
    Kind.DRIFTING: "Drifting apart",
    Kind.NEGLECTED: "Reconnect",
    Kind.LET_IT_REST: "Let it rest",
    Kind.WENT_WELL: "Went well",
}
EMPTY = "Nothing asks for your attention this week. Well kept!"
MORE = "And {count} more. The contacts table lists everyone by state."
LEAD = ("Your networking hour: the first few items are the best use of it. Each says why; "
        "Write opens the composer with the template that fits.")


class ThisWeek(QTextBrowser):
    contact_requested = Signal(str)
    draft_requested = Signal(str, str)  # address, template

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(CSS)
        self.document().setDocumentMargin(14)
        self.anchorClicked.connect(self._clicked)
        self.review: Review | None = None

    def refresh(self, report: Report | None = None) -> None:
        """The review now, or at ``report``'s moment from it (the window's: not built twice)."""
        session = self.session
        self.show_review(
            build_review(session.conn, session.rules, session.now(), session.lang)
            if report is None else review_of(session.conn, report, session.rules, session.lang))

    def show_review(self, review: Review) -> None:
        """The first ``SHOWN`` items (thousands, for a mailbox long unused, would take the
        window seconds to lay out and nobody an hour to read), and how many more there are."""
        self.review = review
        parts = [f"<h2>{esc(t('This week'))}</h2>"]
        if not review.items:
            parts.append(f"<p class='lead'>{esc(t(EMPTY))}</p>")
        else:
            parts.append(f"<p class='lead'>{esc(t(LEAD))}</p><ul>")
            parts += [f"<li>{_line(i, item)}</li>"
                      for i, item in enumerate(review.items[:SHOWN])]
            parts.append("</ul>")
            if (more := len(review.items) - SHOWN) > 0:
                parts.append(f"<p class='lead'>{esc(t(MORE).format(count=number(more)))}</p>")
        self.setHtml("".join(parts))

    def _clicked(self, url: QUrl) -> None:
        kind, _, number = url.fragment().partition("-")
        if self.review is None or not number.isdigit():
            return
        index = int(number)
        if not 0 <= index < len(self.review.items):
            return
        item = self.review.items[index]
        if kind == "write" and item.template:
            self.draft_requested.emit(item.address, item.template)
        elif kind == "contact":
            self.contact_requested.emit(item.address)


def _line(index: int, item: ReviewItem) -> str:
    who = esc(display_name(item.name, item.address))
    label = esc(t(KIND_LABELS[item.kind]))
    write = (f" · <a href='#write-{index}'>{esc(t('Write…'))}</a>" if item.template else "")
    return (f"<b>{label}</b>: <a href='#contact-{index}'>{who}</a>{write}"
            f"<p class='advice'>{esc(item.reason)}</p>")
