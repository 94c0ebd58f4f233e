"""People only on the dashboard: the others in a collapsed section of the overview; a contact
without a name shown by address, once."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from netguard.analysis.model import ContactState, Finding, Severity
from netguard.gui.contacts_model import Column
from netguard.gui.main_window import MainWindow
from netguard.gui.overview import HIDE_OTHERS, SHOW_OTHERS
from tests.unit.analysis_mailbox import T0, Mailbox, days

DEMO_OTHERS = ("nieuwsbrief@freelanceforum.nl", "no-reply@moneybird.nl")
SHERRIFF = "john.sherriff@enron.com"


def test_others_are_not_in_the_table_and_collapsed_in_the_overview(window: MainWindow) -> None:
    assert window.report is not None
    others = {o.address for o in window.report.others}
    assert set(DEMO_OTHERS) <= others
    assert all(window.model.row_of(address) < 0 for address in others)
    text = window.overview.toPlainText()
    assert f"Others ({len(others)})" in text
    assert not any(address in text for address in DEMO_OTHERS)  # collapsed
    window.overview.anchorClicked.emit(QUrl(SHOW_OTHERS))
    text = window.overview.toPlainText()
    assert "Freelance Forum <nieuwsbrief@freelanceforum.nl>" in text
    assert "has an unsubscribe link" in text and "a role or broadcast address" in text
    window.overview.anchorClicked.emit(QUrl(HIDE_OTHERS))
    assert "nieuwsbrief@freelanceforum.nl" not in window.overview.toPlainText()


def test_a_contact_without_a_name_is_shown_by_address_once(window: MainWindow) -> None:
    box = Mailbox(window.session.conn)
    for d in (60, 45, 30, 15):
        box.sent(SHERRIFF, T0 - days(d))
    window.refresh()
    line = next(li for li in window.overview.toPlainText().splitlines() if SHERRIFF in li)
    assert line.count(SHERRIFF) == 1
    assert f"{SHERRIFF} has not answered your last 3 follow-ups" in line
    row = window.model.row_of(SHERRIFF)
    assert window.model.index(row, Column.NAME).data() == ""  # not "john.sherriff"
    window.select_contact(SHERRIFF)
    assert window.pane.name.text() == SHERRIFF
    assert window.pane.address.text() == ""


def test_a_named_contact_is_named_once_in_its_finding(window: MainWindow) -> None:
    line = next(li for li in window.overview.toPlainText().splitlines()
                if "Frank" in li and "follow-up" in li)
    assert line.count("Frank Jansen") == 1


def test_a_name_inside_another_word_is_not_the_link(window: MainWindow) -> None:
    yo = ContactState("yo@example.com", "Yo", 2, 2, None, None, 0, 0)
    finding = Finding(4, "neglected", yo.address, Severity.INFO,
                      "You and Yo used to write each other.", "")
    line = window.overview._line(finding, {yo.address: yo})
    assert line.startswith("You and <a href='#contact-")
    assert line.endswith(">Yo</a> used to write each other.")
