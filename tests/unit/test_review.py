"""The weekly review (issue 19): each kind, cadence due and reset, the order, and the JSON of
SPEC §6 on the demo mailbox at the demo's moment; `netguard review` and `contacts cadence`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.cadence import CADENCES, is_due, overdue_days, parse_cadence
from netguard.analysis.facts import DAY
from netguard.analysis.review import SHOWN, Kind, Review, ReviewItem, build_review
from netguard.cli.main import main
from netguard.cli.review import render
from netguard.demo_mailbox import DEMO_AT, load_demo
from netguard.errors import UsageError
from netguard.paths import Profile
from netguard.settings import Rules
from netguard.store import open_store
from netguard.store.people import cadences, set_cadence, set_muted

RULES = Rules()
FRANK = "frank@example.com"
KINDS = {"cadence-due", "drifting", "neglected", "give-back", "let-it-rest", "follow-up-now",
         "went-well"}


@pytest.fixture(scope="module")
def demo() -> Iterator[sqlite3.Connection]:
    conn = open_store(":memory:")
    load_demo(conn)
    set_cadence(conn, "hanneke@bakkerijdekker.nl", "2w")
    yield conn
    conn.close()


def kinds_of(conn: sqlite3.Connection, address: str, at=T0) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.kind.value for i in build_review(conn, RULES, at).items if i.address == address]


# --- cadence -------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "days_quiet", "due"), [
    ("2w", 13, False), ("2w", 15, True), ("1m", 29, False), ("1m", 31, True),
    ("3m", 90, False), ("3m", 92, True), ("6m", 183, True), ("1y", 364, False),
    ("1y", 366, True),
])
def test_cadence_is_due_past_its_days(code: str, days_quiet: int, due: bool) -> None:
    assert is_due(code, 0, days_quiet * DAY) is due


def test_cadence_without_any_exchange_is_due() -> None:
    assert is_due("1y", None, 0) and overdue_days("1y", None, 0) is None
    assert overdue_days("2w", 0, 20 * DAY) == 6


def test_cadence_codes() -> None:
    assert parse_cadence(" 3M ") == "3m" and parse_cadence("none") is None
    assert set(CADENCES) == {"2w", "1m", "3m", "6m", "1y"}
    with pytest.raises(UsageError):
        parse_cadence("weekly")


def test_cadence_due_and_reset_by_an_exchange_either_way() -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(40))
    box.received(FRANK, T0 - days(39))
    set_cadence(box.conn, FRANK, "1m")
    assert kinds_of(box.conn, FRANK) == ["cadence-due"]
    box.received(FRANK, T0 - days(3))  # they wrote: the clock starts again
    assert "cadence-due" not in kinds_of(box.conn, FRANK)
    box2 = Mailbox()
    box2.received(FRANK, T0 - days(40))
    set_cadence(box2.conn, FRANK, "1m")
    box2.sent(FRANK, T0 - days(2))  # so does a message of mine
    assert kinds_of(box2.conn, FRANK) == []


def test_cadence_none_removes_it() -> None:
    box = Mailbox()
    set_cadence(box.conn, FRANK, "2w")
    assert cadences(box.conn) == {FRANK: "2w"}
    assert kinds_of(box.conn, FRANK) == ["cadence-due"]  # never exchanged mail: due
    set_cadence(box.conn, FRANK, None)
    assert cadences(box.conn) == {} and kinds_of(box.conn, FRANK) == []


# --- each kind ------------------------------------------------------------------------------

def test_give_back_when_they_wrote_three_times_unanswered() -> None:
    box = Mailbox()
    for d in (60, 30, 10):
        box.received(FRANK, T0 - days(d))
    (item,) = build_review(box.conn, RULES, T0).items
    assert (item.kind, item.template) == (Kind.GIVE_BACK, "give-back")
    assert "3" in item.reason


def test_let_it_rest_with_the_close_the_loop_template() -> None:
    box = Mailbox()
    for d in (60, 45, 30, 15):
        box.sent(FRANK, T0 - days(d))
    (item,) = build_review(box.conn, RULES, T0).items
    assert (item.kind, item.template) == (Kind.LET_IT_REST, "close-the-loop")


def test_neglected_with_the_reconnect_template() -> None:
    box = Mailbox()
    for d in (400, 300, 200):
        box.sent(FRANK, T0 - days(d))
    for d in (399, 250, 180):
        box.received(FRANK, T0 - days(d))
    (item,) = build_review(box.conn, RULES, T0).items
    assert (item.kind, item.template) == (Kind.NEGLECTED, "reconnect")


def test_went_well_is_a_reply_this_week_to_someone_i_wrote() -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(4))
    box.received(FRANK, T0 - days(2))
    (item,) = build_review(box.conn, RULES, T0).items
    assert (item.kind, item.template) == (Kind.WENT_WELL, None)
    assert "2 days ago" in item.reason
    assert build_review(box.conn, RULES, T0 + days(6)).items == ()  # a week on: old news


def neglected_box() -> Mailbox:
    """A relationship quiet for 178 days at T0 - 2 days (neglected after 90)."""
    box = Mailbox()
    for d in (400, 300, 200):
        box.sent(FRANK, T0 - days(d))
    for d in (399, 250, 180):
        box.received(FRANK, T0 - days(d))
    return box


def test_went_well_is_a_neglected_relationship_revived_this_week() -> None:
    box = neglected_box()
    box.received(FRANK, T0 - days(2))  # they wrote after months
    (item,) = build_review(box.conn, RULES, T0).items
    assert (item.kind, item.template) == (Kind.WENT_WELL, None)
    assert item.reason.startswith("You reconnected with frank@example.com after 5 months")
    (nl,) = build_review(box.conn, RULES, T0, "nl").items
    assert nl.reason.startswith("Je hebt weer contact met frank@example.com, na 5 maanden")
    assert build_review(box.conn, RULES, T0 + days(6)).items == ()  # a week on: old news


def test_a_message_of_mine_revives_it_too() -> None:
    box = neglected_box()
    box.sent(FRANK, T0 - days(1))
    kinds = [(i.kind, i.reason[:40]) for i in build_review(box.conn, RULES, T0).items]
    assert kinds == [(Kind.WENT_WELL, "You reconnected with frank@example.com a")]


def test_went_well_is_a_drifting_relationship_revived_this_week() -> None:
    box = Mailbox()
    for week in range(8, 16):  # weekly until 8 weeks ago
        box.sent(FRANK, T0 - days(7 * week))
        box.received(FRANK, T0 - days(7 * week - 1))
    assert kinds_of(box.conn, FRANK, T0 - days(3)) == ["drifting"]  # the moment before
    box.received(FRANK, T0 - days(3))
    (item,) = build_review(box.conn, RULES, T0).items
    assert item.kind is Kind.WENT_WELL
    assert "after 7 weeks of silence" in item.reason
    assert "na 7 weken stilte" in build_review(box.conn, RULES, T0, "nl").items[0].reason


def test_a_reply_in_the_usual_rhythm_or_a_first_exchange_is_no_revival() -> None:
    box = Mailbox()
    for week in range(0, 10):  # weekly, still
        box.sent(FRANK, T0 - days(7 * week + 3))
        box.received(FRANK, T0 - days(7 * week + 2))
    (item,) = build_review(box.conn, RULES, T0).items
    assert item.kind is Kind.WENT_WELL and "wrote back" in item.reason
    first = Mailbox()
    first.sent(FRANK, T0 - days(3))
    first.received(FRANK, T0 - days(2))
    (item,) = build_review(first.conn, RULES, T0).items
    assert "wrote back" in item.reason


def test_a_muted_contact_is_left_out_but_its_cadence_stays() -> None:
    box = Mailbox()
    for d in (60, 40, 20):
        box.received(FRANK, T0 - days(d))
    assert kinds_of(box.conn, FRANK) == ["give-back"]
    set_muted(box.conn, FRANK, True)
    assert kinds_of(box.conn, FRANK) == []
    set_cadence(box.conn, FRANK, "2w")  # the user's own reminder
    assert kinds_of(box.conn, FRANK) == ["cadence-due"]


# --- the demo mailbox ----------------------------------------------------------------------

def test_the_demo_review_has_every_kind_in_order(demo: sqlite3.Connection) -> None:
    review = build_review(demo, RULES, DEMO_AT)
    kinds = [item.kind for item in review.items]
    assert {k.value for k in kinds} == KINDS
    assert kinds == sorted(kinds, key=list(Kind).index)  # ordered by kind
    first = {item.kind: item.address for item in reversed(review.items)}
    assert first[Kind.FOLLOW_UP_NOW] == "eva@smitvertaalt.nl"
    assert first[Kind.DRIFTING] == "thomas@bergwebdev.nl"
    assert first[Kind.CADENCE_DUE] == "hanneke@bakkerijdekker.nl"
    assert len({i.address for i in review.items if i.kind is not Kind.WENT_WELL}) == len(
        [i for i in review.items if i.kind is not Kind.WENT_WELL])  # one to-do per contact
    assert all(i.reason and "{" not in i.reason for i in review.items)


def test_the_demo_review_in_dutch(demo: sqlite3.Connection) -> None:
    items = build_review(demo, RULES, DEMO_AT, "nl").items
    eva = next(i for i in items if i.address == "eva@smitvertaalt.nl")
    assert "antwoordt meestal binnen" in eva.reason


# --- the command line ----------------------------------------------------------------------

@pytest.fixture
def demo_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    load_demo(conn)
    conn.close()
    return home


def test_review_json_has_the_spec_shape(demo_home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "cadence", "Hanneke@BakkerijDekker.nl", "2w"]) == 0
    assert "every 2 weeks" in capsys.readouterr().out
    assert main(["review", "--json", "--at", DEMO_AT.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["at"] == DEMO_AT.isoformat()
    assert {i["kind"] for i in data["items"]} == KINDS
    for item in data["items"]:
        assert set(item) >= {"address", "name", "kind", "reason", "template"}
    hanneke = [i for i in data["items"] if i["address"] == "hanneke@bakkerijdekker.nl"]
    assert hanneke[0]["kind"] == "cadence-due" and hanneke[0]["template"] == "reconnect"


def test_review_text_numbers_its_items(demo_home: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--at", DEMO_AT.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("This week, as of 2026-11-20")
    assert "\n1. One follow-up is fine now: Eva Smit <eva@smitvertaalt.nl>" in out
    assert "netguard draft --to eva@smitvertaalt.nl --template first-followup" in out


def test_contacts_cadence_none_and_a_wrong_code(demo_home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "cadence", "eva@smitvertaalt.nl", "1y"]) == 0
    assert main(["contacts", "cadence", "eva@smitvertaalt.nl", "none"]) == 0
    assert "No keep-in-touch cadence" in capsys.readouterr().out
    assert main(["contacts", "cadence", "eva@smitvertaalt.nl", "weekly"]) == 2
    assert main(["contacts", "cadence", "not an address", "1m"]) == 2
    conn = open_store(Profile.locate(str(demo_home)).ensure().database)
    assert cadences(conn) == {}
    conn.close()


def test_the_review_shows_the_first_items_and_counts_the_rest(
        home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A mailbox long unused asks about everyone: the text shows the hour's first items and
    says how many more (``--all`` shows them; ``--json`` lists every item)."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    box = Mailbox(conn)
    count = SHOWN + 3
    for n in range(count):  # each a relationship silent for a year: neglected
        box.sent(f"p{n}@example.org", T0 - days(400))
        box.received(f"p{n}@example.org", T0 - days(399))
        box.sent(f"p{n}@example.org", T0 - days(380))
        box.received(f"p{n}@example.org", T0 - days(379))
    conn.close()
    at = T0.isoformat()
    assert main(["review", "--at", at]) == 0
    out = capsys.readouterr().out
    assert f"{count} things worth your networking hour" in out
    assert f"\n{SHOWN}. Reconnect: " in out and f"\n{SHOWN + 1}. " not in out
    assert out.rstrip().endswith("And 3 more: netguard review --all shows them, netguard "
                                 "report lists everyone by state.")
    assert main(["review", "--at", at, "--all"]) == 0
    out = capsys.readouterr().out
    assert f"\n{count}. Reconnect: " in out and "more:" not in out
    assert main(["review", "--at", at, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == count


@pytest.mark.parametrize(("lang", "total", "more"), [("en", "1,234 things", "And 1,214 more"),
                                                     ("nl", "1.234 dingen", "En nog 1.214")])
def test_large_counts_read_as_the_language_writes_them(lang: str, total: str, more: str) -> None:
    items = tuple(ReviewItem(f"p{n}@example.org", "", Kind.NEGLECTED, "Quiet.", None)
                  for n in range(1_234))
    shown = render(Review(T0, items), lang, SHOWN)
    assert total in shown and more in shown
