"""How a contact's state looks: an icon plus words, never colour alone.

The core gives rule ids (``ContactState.status``); this module only chooses which one leads
and how it is shown. Pitfall titles and the article's advice live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QIcon

from netguard.analysis.model import ContactState
from netguard.gui.i18n import t
from netguard.resources import resource


@dataclass(frozen=True)
class StateLook:
    key: str
    icon: str
    label: str  # English source; translate with t()
    rank: int  # higher = needs attention first


LOOKS = {
    "followup-overload": StateLook("followup-overload", "state-overload", "Too pushy", 60),
    "burst-after-silence": StateLook("burst-after-silence", "state-burst", "Sudden burst", 50),
    "let-it-rest": StateLook("let-it-rest", "state-rest", "Let it rest", 40),
    "unreciprocated": StateLook("unreciprocated", "state-owe", "Owe a reply", 30),
    "follow-up-now": StateLook("follow-up-now", "state-waiting", "One follow-up is fine now", 25),
    "neglected": StateLook("neglected", "state-neglected", "Neglected", 20),
    "drifting": StateLook("drifting", "state-neglected", "Drifting apart", 15),
    "give-it-time": StateLook("give-it-time", "state-waiting", "Give it time", 12),
}
WAITING = StateLook("waiting", "state-waiting", "Awaiting reply", 10)
OK = StateLook("ok", "state-ok", "Fine", 0)
MUTED = StateLook("muted", "state-muted", "Muted", -1)

PITFALLS = {
    1: ("Me, me, me", "Listen more than you talk: ask about their work before you tell "
        "about yours."),
    2: ("One-way traffic", "Networking is helping each other. Who does good, meets good: "
        "answer and help the people who reach out to you."),
    3: ("Gossip about competitors", "Let your work and references speak for you; say what sets "
        "you apart instead of running others down."),
    4: ("Only when it suits you", "Networking is a continuous process: keep in touch now and then "
        "without asking for anything, so a later request does not come out of the blue."),
    5: ("Know whom you approach", "Do your homework: say why you write to this person, what you "
        "saw of their work or who introduced you."),
    6: ("Lying or exaggerating", "Stay honest and concrete; claims you cannot keep cost you your "
        "good name."),
    7: ("Too pushy", "Give people time. After a few unanswered messages, close the loop politely "
        "and leave the door open."),
}


def look(contact: ContactState) -> StateLook:
    """The state that leads for this contact."""
    if contact.muted:
        return MUTED
    found = [LOOKS[rule] for rule in contact.status if rule in LOOKS]
    if found:
        return max(found, key=lambda item: item.rank)
    return WAITING if contact.unanswered_streak > 0 else OK


def all_labels(contact: ContactState) -> list[str]:
    labels = [t(LOOKS[rule].label) for rule in contact.status if rule in LOOKS]
    return labels or [t(look(contact).label)]


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))


def pitfall_title(pitfall: int) -> str:
    title = PITFALLS.get(pitfall, ("Other", ""))[0]
    return t(title)


def pitfall_advice(pitfall: int) -> str:
    advice = PITFALLS.get(pitfall, ("", ""))[1]
    return t(advice) if advice else ""
