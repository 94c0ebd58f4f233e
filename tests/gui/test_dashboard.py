"""The dashboard on the demo mailbox: the contacts with their states, sorting, search, the
findings overview and the contact pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from netguard.demo_mailbox import expected
from netguard.gui import states
from netguard.gui.contacts_model import CONTACT_ROLE, Column
from netguard.gui.main_window import MainWindow
from tests.gui.support import screenshot


def visible(window: MainWindow, column: Column) -> list[str]:
    proxy = window.proxy
    return [str(proxy.index(row, column).data()) for row in range(proxy.rowCount())]


def row_by_address(window: MainWindow) -> dict[str, int]:
    proxy = window.proxy
    return {str(proxy.index(row, 0).data(CONTACT_ROLE)): row for row in range(proxy.rowCount())}


def test_dashboard_lists_the_demo_contacts_with_their_states(window: MainWindow) -> None:
    built = expected()["contacts"]
    rows = row_by_address(window)
    assert set(rows) == set(built)
    for address, facts in built.items():
        state = window.proxy.index(rows[address], Column.STATE)
        contact = window.model.contact(window.model.row_of(address))
        assert set(contact.status) == set(facts["rules"]), address
        assert contact.followups_in_window == facts["followups_in_window"], address
        assert state.data() == states.look(contact).label
        assert state.data(Qt.ItemDataRole.DecorationRole) is not None  # icon + text
    frank = window.proxy.index(rows["frank.jansen@jansenbouw.nl"], Column.STATE)
    assert frank.data() == "Too pushy"
    bas = window.proxy.index(rows["bas@hendriks-media.nl"], Column.STATE)
    assert bas.data() == "Let it rest"


def test_the_most_pressing_contacts_come_first(window: MainWindow) -> None:
    top = visible(window, Column.STATE)[:3]
    assert top == ["Too pushy"] * 3


def test_sorting_by_name_and_by_last_sent(window: MainWindow) -> None:
    window.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    names = visible(window, Column.NAME)
    assert names == sorted(names, key=str.casefold)
    window.table.sortByColumn(Column.FOLLOWUPS, Qt.SortOrder.DescendingOrder)
    counts = [window.model.contact(window.proxy.mapToSource(window.proxy.index(r, 0)).row())
              .followups_in_window for r in range(window.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True)
    window.table.sortByColumn(Column.LAST_SENT, Qt.SortOrder.AscendingOrder)
    stamps = [window.proxy.index(r, Column.LAST_SENT).data(window.proxy.sortRole())
              for r in range(window.proxy.rowCount())]
    assert stamps == sorted(stamps)


def test_search_filters_by_name_address_and_state(window: MainWindow, qtbot: Any) -> None:
    total = window.proxy.rowCount()
    qtbot.keyClicks(window.search, "jansen")
    assert "frank.jansen@jansenbouw.nl" in row_by_address(window)
    assert 0 < window.proxy.rowCount() < total
    assert all("jansen" in (n + a).lower() for n, a in zip(
        visible(window, Column.NAME), visible(window, Column.ADDRESS), strict=True))
    window.search.clear()
    qtbot.keyClicks(window.search, "too pushy")
    assert visible(window, Column.STATE) == ["Too pushy"] * 3
    window.search.clear()
    assert window.proxy.rowCount() == total


def test_overview_groups_findings_by_pitfall_this_week_first(window: MainWindow) -> None:
    text = window.overview.toPlainText()
    assert text.index("This week") < text.index("Pitfall 7: Too pushy")
    assert "Give people time" in text  # the article's advice for pitfall 7
    assert "Jansen" in text


def test_contact_pane_shows_streak_timeline_and_findings(window: MainWindow) -> None:
    window.select_contact("frank.jansen@jansenbouw.nl")
    pane = window.pane
    assert window.side.currentWidget() is pane
    assert "Jansen" in pane.name.text()
    assert "since" in pane.streak.text()
    assert len(pane.timeline.weeks) == 52
    start = pane.timeline.streak_start
    assert start is not None and start.strftime("%-d %b %Y") in pane.streak.text()
    assert sum(w.sent for w in pane.timeline.weeks) > 0
    assert "Pitfall 7" in pane.findings.text()
    assert pane.history.topLevelItemCount() > 0
    screenshot(window, "contact")


def test_the_pane_labels_keep_their_words_in_a_small_window(window: MainWindow) -> None:
    """"Keep in touch:" beside its choice was cut to a word a line (wide) or clipped (narrow)."""
    window.select_contact("frank.jansen@jansenbouw.nl")
    label = next(w for w in window.pane.findChildren(QLabel) if w.text() == "Keep in touch:")
    for size in ((900, 600), (1600, 1000)):
        window.resize(*size)
        label.parentWidget().layout().activate()
        assert label.height() < 2 * label.fontMetrics().height()
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())


def test_mute_and_unmute_a_contact(window: MainWindow) -> None:
    window.select_contact("frank.jansen@jansenbouw.nl")
    window.pane.mute_button.click()
    contact = window.model.contact(window.model.row_of("frank.jansen@jansenbouw.nl"))
    assert contact.muted
    assert window.pane.state_text.text() == "Muted"
    assert "muted" in window.pane.findings.text()
    window.pane.mute_button.click()
    assert not window.model.contact(window.model.row_of("frank.jansen@jansenbouw.nl")).muted


def test_mail_derived_text_is_escaped_in_rich_text(window: MainWindow) -> None:
    from netguard.gui.richtext import esc

    assert esc('<img src="x">&') == "&lt;img src=&quot;x&quot;&gt;&amp;"


def test_dashboard_screenshot(window: MainWindow) -> None:
    window.show()
    assert screenshot(window, "dashboard").stat().st_size > 10_000


def test_thousands_of_contacts_sort_and_search_in_the_model(qapp: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QTableView

    from netguard.analysis.model import ContactState
    from netguard.gui.contacts_model import ContactsModel, ContactsProxy

    now = datetime(2026, 11, 20, tzinfo=UTC)
    rows = tuple(ContactState(f"p{i}@firm{i % 300}.example", f"Person {i}", i % 20, i % 7,
                              now - timedelta(days=i % 400), None, i % 6, i % 5,
                              ("followup-overload",) if i % 50 == 0 else ())
                 for i in range(5000))
    model, proxy, view = ContactsModel(), ContactsProxy(), QTableView()
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    model.set_contacts(rows)
    view.selectRow(proxy.mapFromSource(model.index(model.row_of("p4321@firm121.example"), 0))
                   .row())
    view.sortByColumn(Column.LAST_SENT, Qt.SortOrder.DescendingOrder)
    stamps = [proxy.index(r, Column.LAST_SENT).data(proxy.sortRole()) for r in range(5000)]
    assert stamps == sorted(stamps, reverse=True)
    selected = view.selectionModel().selectedRows()
    assert [i.data(CONTACT_ROLE) for i in selected] == ["p4321@firm121.example"]
    assert model._haystacks is None  # made at the first search, not before the first paint
    proxy.set_search("Too PUSHY")
    assert proxy.rowCount() == 100
    proxy.set_search("p4321@")
    assert proxy.rowCount() == 1


def test_a_search_stays_right_when_the_rows_are_sorted_or_replaced(qapp: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from netguard.analysis.model import ContactState
    from netguard.gui.contacts_model import ContactsModel, ContactsProxy

    now = datetime(2026, 11, 20, tzinfo=UTC)
    rows = tuple(ContactState(f"p{i}@firm.example", f"Person {i}", i % 20, i % 7,
                              now - timedelta(days=(i * 37) % 400), None, 0, 0, ())
                 for i in range(600))
    model, proxy = ContactsModel(), ContactsProxy()
    proxy.setSourceModel(model)
    model.set_contacts(rows)
    proxy.set_search("p4")

    def shown() -> set[str]:
        return {proxy.index(r, 0).data(CONTACT_ROLE) for r in range(proxy.rowCount())}

    def expected(contacts: tuple[ContactState, ...]) -> set[str]:
        return {c.address for c in contacts if "p4" in c.address}

    assert shown() == expected(rows)
    proxy.sort(Column.LAST_SENT, Qt.SortOrder.DescendingOrder)  # the rows move
    assert shown() == expected(rows)
    model.set_contacts(rows[::-1][:300])  # other rows, another order
    assert shown() == expected(rows[300:])


def test_the_selected_contact_stays_selected_while_the_search_matches_it(qapp: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QTableView

    from netguard.analysis.model import ContactState
    from netguard.gui.contacts_model import ContactsModel, ContactsProxy

    now = datetime(2026, 11, 20, tzinfo=UTC)
    rows = tuple(ContactState(f"p{i}@firm.example", f"Person {i}", 0, 0,
                              now - timedelta(days=i), None, 0, 0, ()) for i in range(2000))
    model, proxy, view = ContactsModel(), ContactsProxy(), QTableView()
    proxy.setSourceModel(model)
    view.setModel(proxy)
    model.set_contacts(rows)
    view.selectRow(proxy.mapFromSource(model.index(model.row_of("p1234@firm.example"), 0)).row())

    def selected() -> list[str]:
        return [i.data(CONTACT_ROLE) for i in view.selectionModel().selectedRows()]

    for needle, matching in (("p1", 1111), ("p12", 111), ("p123", 11), ("p1234", 1)):
        proxy.set_search(needle)  # scattered rows go at each key: 1,000 of 2,000 at the first
        assert proxy.rowCount() == matching
        assert selected() == ["p1234@firm.example"], needle
        assert all(needle in proxy.index(r, 0).data(CONTACT_ROLE) for r in range(matching))
    proxy.set_search("p9")
    assert selected() == []  # no longer shown, so no longer selected
    proxy.set_search("")
    assert proxy.rowCount() == 2000


def test_hostile_display_names_show_as_text(home: Any, qapp: Any, make_window: Any) -> None:
    from datetime import UTC, datetime

    from netguard.gui import i18n
    from netguard.gui.app import start_session
    from netguard.mail.headers import parse
    from netguard.model import Role
    from netguard.store.messages import add_batch, ensure_folder
    from netguard.workspace import Workspace

    at = datetime(2026, 11, 20, 12, tzinfo=UTC)
    workspace = Workspace.open()
    try:
        folder = ensure_folder(workspace.store, "Sent", Role.SENT)
        batch = [(day, parse(
            (f"From: Me <me@mine.example>\r\nTo: \"<img src=x onerror=alert(1)>\" "
             f"<evil@x.example>\r\nSubject: <b>hi</b>\r\nDate: {day} Nov 2026 10:00:00 +0000\r\n"
             f"Message-ID: <m{day}@mine.example>\r\n\r\n").encode(), at)) for day in range(14, 20)]
        add_batch(workspace.store, folder, batch, 19)
        session = start_session(workspace, fixed_now=at)
        session.lang = i18n.install("en")
        window = make_window(session)
        assert "<img src=x onerror=alert(1)>" in window.overview.toPlainText()
        window.select_contact("evil@x.example")
        assert "&lt;img src=x" in window.pane.findings.text()  # named in the finding, escaped
        assert "<img" not in window.pane.findings.text()
        assert window.pane.history.topLevelItem(0).text(2) == "<b>hi</b>"
    finally:
        workspace.close()


def test_cells_and_rows_follow_a_sort_and_new_contacts(qapp: Any) -> None:
    # The cell texts are made once per contact and a row looked up in a dict (issue 18):
    # both must follow the rows when they are sorted or replaced.
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from netguard.analysis.model import ContactState
    from netguard.gui.contacts_model import ContactsModel

    now = datetime(2026, 11, 20, tzinfo=UTC)
    rows = tuple(ContactState(f"p{i}@firm.example", f"Person {i}", 1, 1,
                              now - timedelta(days=i), None, 0, 0, ()) for i in range(50))
    model = ContactsModel()
    model.set_contacts(rows)

    def cell(address: str, column: Column) -> str:
        return str(model.index(model.row_of(address), column).data())

    assert cell("p7@firm.example", Column.NAME) == "Person 7"
    model.sort(Column.LAST_SENT, Qt.SortOrder.AscendingOrder)  # p49 first now
    assert model.row_of("p49@firm.example") == 0
    assert "p49@firm.example" in model.haystack(0)  # made after the sort, in its order
    model.sort(Column.LAST_SENT, Qt.SortOrder.DescendingOrder)  # and moved with the rows
    assert "p0@firm.example" in model.haystack(0)
    assert cell("p7@firm.example", Column.NAME) == "Person 7"
    assert cell("p7@firm.example", Column.STATE) == "Fine"
    model.set_contacts((replace(rows[7], name="Piet", muted=True), *rows[8:]))
    assert cell("p7@firm.example", Column.NAME) == "Piet"
    assert cell("p7@firm.example", Column.STATE) == "Muted"
    assert model.row_of("p3@firm.example") == -1
