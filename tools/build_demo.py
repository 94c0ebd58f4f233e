#!/usr/bin/env python3
"""Build the bundled demo mailbox: resources/demo/{sent,inbox}.mbox and expected.toml.

Deterministic (fixed data, a seeded RNG for the everyday filler, no clock): running it twice
gives the same bytes. The demo user is Sanne Meijer, a freelance designer in Utrecht; the
reference time is DEMO_AT below (keep it equal to netguard.demo_mailbox.DEMO_AT).

Every clause of SPEC §1 has a contact built to show it; expected.toml records, per contact,
the rule ids the report should show at DEMO_AT, the send guard's verdict for one more message,
and the counts. Run:  python tools/build_demo.py [OUT_DIR]
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from pathlib import Path

DEMO_AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
DAY = timedelta(days=1)

ME = "sanne@meijerontwerp.nl"
ME_NAME = "Sanne Meijer"
# The info address: people write to it, I Cc it; only add_me tells NetGuard it is mine.
ALIAS = "hallo@meijerontwerp.nl"
SIGN_NL = "Groet,\nSanne\n\nSanne Meijer | Meijer Ontwerp | Utrecht"
SIGN_EN = "Best,\nSanne\n\nSanne Meijer | Meijer Ontwerp | Utrecht, NL"


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


LONDON_WINTER, LONDON_SUMMER = tz(0), tz(1)
AUCKLAND_SUMMER = tz(13)
LOS_ANGELES_WINTER = tz(-8)


def amsterdam(t: datetime) -> timezone:
    """Europe/Amsterdam's offset at UTC time ``t`` (EU rule: last Sundays of March/October)."""
    start, end = _last_sunday(t.year, 3), _last_sunday(t.year, 10)
    return tz(2) if start <= t < end else tz(1)


def _last_sunday(year: int, month: int) -> datetime:
    day = datetime(year, month, 31, 1, 0, tzinfo=UTC)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def at(text: str) -> datetime:
    """A UTC time written as 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@dataclass
class Contact:
    address: str
    name: str
    lang: str
    role: str
    zone: timezone | None = None  # None: Amsterdam
    shows: str = ""
    rules: tuple[str, ...] = ()
    guard: str = "clear"
    header_address: str = ""  # how the address is written in headers, if not lower-case

    def written(self) -> str:
        return self.header_address or self.address


@dataclass
class Mail:
    time: datetime
    sender: str
    sender_name: str
    to: list[tuple[str, str]]
    subject: str
    body: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    zone: timezone | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)
    with_date: bool = True
    raw_date: str = ""
    in_reply_to: str = ""
    message_id: str = ""
    encoded_name: str = ""  # a hand-made RFC 2047 display name for the sender


@dataclass
class Demo:
    sent: list[Mail] = field(default_factory=list)
    inbox: list[Mail] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    last_id: dict[str, str] = field(default_factory=dict)

    def add(self, contact: Contact) -> Contact:
        self.contacts[contact.address] = contact
        return contact

    def send(self, when: str | datetime, c: Contact, subject: str, body: str,
             cc: tuple[Contact, ...] = (), **more: object) -> Mail:
        time = at(when) if isinstance(when, str) else when
        mail = Mail(time, ME, ME_NAME, [(c.name, c.written())], subject, body,
                    cc=[(x.name, x.written()) for x in cc], **more)  # type: ignore[arg-type]
        mail.in_reply_to = self.last_id.get(c.address, "")
        self.sent.append(mail)
        self.last_id[c.address] = _message_id(mail, "meijerontwerp.nl", len(self.sent))
        mail.message_id = self.last_id[c.address]
        return mail

    def receive(self, when: str | datetime, c: Contact, subject: str, body: str,
                to: str = ME, **more: object) -> Mail:
        time = at(when) if isinstance(when, str) else when
        mail = Mail(time, c.written(), c.name, [(ME_NAME, to)], subject, body,
                    zone=c.zone, **more)  # type: ignore[arg-type]
        mail.in_reply_to = self.last_id.get(c.address, "")
        self.inbox.append(mail)
        domain = c.address.split("@")[1]
        self.last_id[c.address] = _message_id(mail, domain, len(self.inbox))
        mail.message_id = self.last_id[c.address]
        return mail


def _message_id(mail: Mail, domain: str, n: int) -> str:
    return f"<{mail.time:%Y%m%d%H%M}.{n:04d}.demo@{domain}>"


# ---------------------------------------------------------------------------------------------
# The cast and their stories


def build() -> Demo:
    d = Demo()
    everyday(d)
    overload_frank(d)
    three_followups_lotte(d)
    reply_resets_pieter(d)
    out_of_office_olivia(d)
    far_zones(d)
    let_it_rest(d)
    neglected(d)
    burst_after_silence(d)
    unreciprocated(d)
    follow_up_now(d)
    not_people(d)
    bulk_and_alias(d)
    d.sent.sort(key=lambda m: m.time)
    d.inbox.sort(key=lambda m: m.time)
    assert all(m.time <= DEMO_AT for m in d.sent + d.inbox), "the demo ends at DEMO_AT"
    return d


def follow_up_now(d: Demo) -> None:
    """Issue 19: a quick answerer whose last mail to her is a week without a reply, and a
    slow one for whom four days is normal."""
    eva = d.add(Contact(
        "eva@smitvertaalt.nl", "Eva Smit", "nl", "peer",
        shows="she usually answers within a day or two; a week without a reply to one mail: "
              "one follow-up is fine now", rules=("follow-up-now",)))
    schedule(d, eva, "2026-05-04 09:00", "2026-10-30 09:00", 14, random.Random(19))
    joost = d.add(Contact(
        "joost@vanleeuwenstudio.nl", "Joost van Leeuwen", "nl", "mentor",
        shows="a busy mentor who answers after about a week; four days without a reply to one "
              "mail: give it time", rules=("give-it-time",)))
    rng = random.Random(1919)
    for n, when in enumerate(("2026-06-01 09:00", "2026-07-06 09:00", "2026-08-10 09:00",
                              "2026-09-14 09:00", "2026-10-19 09:00")):
        exchange(d, joost, at(when), NL_TOPICS[n], delay=timedelta(days=rng.randint(5, 8)))
    d.send("2026-11-16 10:00", joost, "Je advies over tarieven",
           "Hoi Joost,\n\nJe tip over dagtarieven heeft me geholpen; ik heb er nu twee "
           "opdrachten mee binnengehaald. Zou je nog eens met me willen sparren?\n\n" + SIGN_NL)
    d.send("2026-11-13 10:00", eva, "Vertaling van de folder",
           "Hoi Eva,\n\nZou je naar de Engelse tekst van de folder willen kijken? "
           "Je vertaling van vorig jaar werd heel goed ontvangen.\n\n" + SIGN_NL)


NL_TOPICS = ("Schetsen nieuwe huisstijl", "Planning voorjaar", "Factuur en vervolg",
             "Feedback op de website", "Idee voor de nieuwsbrief", "Foto's voor de folder",
             "Koffie volgende week?", "Tekst voor de homepage", "Verpakking kerstpakket")
EN_TOPICS = ("Brand refresh sketches", "Timeline for Q2", "Workshop notes",
             "Feedback on the landing page", "Portfolio review")
NL_ASK = ("Hoi {first},\n\nHierbij de nieuwe versie. Wat vind jij van de kleuren? "
          "Jouw opmerking over de typografie heb ik meegenomen.\n\n" + SIGN_NL)
NL_ANSWER = ("Hoi Sanne,\n\nDank je, ziet er goed uit. Ik kijk er morgen rustig naar en "
             "laat het je weten.\n\nGroet,\n{first}")
EN_ASK = ("Hi {first},\n\nHere is the next version. How does it work for your team? "
          "I used your note on the colours.\n\n" + SIGN_EN)
EN_ANSWER = "Hi Sanne,\n\nThanks, looks good. I'll go through it with the team.\n\n{first}"


def first(c: Contact) -> str:
    return c.name.split()[0]


def exchange(d: Demo, c: Contact, when: datetime, topic: str, they_start: bool = False,
             delay: timedelta = DAY) -> None:
    """One ordinary exchange: a message and its answer."""
    ask, answer = (NL_ASK, NL_ANSWER) if c.lang == "nl" else (EN_ASK, EN_ANSWER)
    if they_start:
        d.receive(when, c, topic, answer.format(first=first(c)))
        d.send(office_hours(when + delay, None), c, f"Re: {topic}", ask.format(first=first(c)))
    else:
        d.send(when, c, topic, ask.format(first=first(c)))
        d.receive(office_hours(when + delay, c.zone), c, f"Re: {topic}",
                  answer.format(first=first(c)))


def office_hours(t: datetime, zone: timezone | None) -> datetime:
    """``t`` moved into the writer's working day (08:00-18:00 on their clock) if outside it."""
    local = t.astimezone(zone or amsterdam(t))
    if local.hour < 8:
        local = local.replace(hour=8 + local.hour % 3)
    elif local.hour >= 18:
        local = (local + DAY).replace(hour=8 + local.hour % 3)
    return local.astimezone(UTC)


def schedule(d: Demo, c: Contact, start: str, end: str, every: int, rng: random.Random) -> None:
    """Regular exchanges from ``start`` to ``end`` every ``every`` days, with some jitter."""
    when, stop, n = at(start), at(end), 0
    topics = NL_TOPICS if c.lang == "nl" else EN_TOPICS
    while when < stop:
        hour = timedelta(hours=rng.randint(0, 7), minutes=rng.randint(0, 59))
        delay = timedelta(hours=rng.randint(2, 30))
        exchange(d, c, when + hour, topics[n % len(topics)], they_start=n % 3 == 2, delay=delay)
        when += timedelta(days=every + rng.randint(-2, 2))
        n += 1


def everyday(d: Demo) -> None:
    """Healthy relationships: the bulk of a normal year, no finding expected."""
    rng = random.Random(2026)
    hanneke = d.add(Contact("hanneke@bakkerijdekker.nl", "Hanneke Dekker", "nl", "client",
                            shows="a healthy client relationship all year; a Dutch "
                                  "'Afwezigheidsmelding' auto-reply in July"))
    schedule(d, hanneke, "2025-12-02 08:30", "2026-11-12 08:00", 14, rng)
    d.receive("2026-07-21 09:02", hanneke, "Afwezigheidsmelding: Re: Planning voorjaar",
              "Ik ben tot 9 augustus met vakantie en lees mijn mail niet.\n\nHanneke Dekker",
              extra=[("Auto-Submitted", "auto-replied")])
    jan = d.add(Contact("jan@devries-illustratie.nl", "Jan de Vrïes", "nl", "peer",
                        shows="a peer; display name as an RFC 2047 encoded word"))
    schedule(d, jan, "2025-12-09 10:00", "2026-11-17 10:00", 21, rng)
    noor = d.add(Contact("noor@woordwerk.nl", "Noor El Amrani", "nl", "peer",
                         shows="a peer copywriter who refers clients"))
    schedule(d, noor, "2025-12-15 13:00", "2026-11-16 13:00", 28, rng)
    thomas = d.add(Contact("thomas@bergwebdev.nl", "Thomas Berg", "nl", "peer",
                           shows="near miss for neglected: last exchange 80 days ago, but "
                                 "far past his usual pause: drifting apart",
                           rules=("drifting",)))
    schedule(d, thomas, "2026-03-02 09:00", "2026-08-28 09:00", 42, rng)
    exchange(d, thomas, at("2026-08-31 14:00"), "Hosting voor Bakkerij Dekker")
    kees = d.add(Contact("kees@vermeulen-drukwerk.nl", "Kees Vermeulen", "nl", "supplier",
                         shows="one message each way: not a relationship, so not neglected; "
                               "his reply has an unparseable Date"))
    d.send("2026-02-10 10:00", kees, "Offerte drukwerk visitekaartjes",
           "Hoi Kees,\n\nKun je een prijs geven voor 500 visitekaartjes op 350 grams?\n\n"
           + SIGN_NL)
    d.receive("2026-02-11 08:15", kees, "Re: Offerte drukwerk visitekaartjes",
              "Hoi Sanne,\n\nDat wordt 89 euro excl. btw, levertijd een week.\n\nKees",
              raw_date="woensdag 11 februari, 's ochtends")


def overload_frank(d: Demo) -> None:
    frank = d.add(Contact(
        "frank.jansen@jansenbouw.nl", "Frank Jansen", "nl", "prospect",
        header_address="Frank.Jansen@JansenBouw.NL",
        shows="four follow-ups this week: a fifth makes the guard warn; his address is "
              "written in mixed case and his display name varies",
        rules=("followup-overload",), guard="warn"))
    d.send("2026-09-24 15:00", frank, "Leuk je te spreken op de ondernemersborrel",
           "Hoi Frank,\n\nLeuk je gisteren te spreken over jullie nieuwe website. "
           "Je vertelde over de verbouwing van jullie showroom: mooi project!\n\n" + SIGN_NL)
    mail = d.receive("2026-09-25 07:40", frank, "Re: Leuk je te spreken op de ondernemersborrel",
                     "Hoi Sanne,\n\nInsgelijks. Stuur gerust een voorstel.\n\nFrank")
    mail.sender = "frank.jansen@jansenbouw.nl"
    mail.sender_name = "F. Jansen | Jansen Bouw"
    d.send("2026-10-14 09:00", frank, "Voorstel nieuwe website Jansen Bouw",
           "Hoi Frank,\n\nZoals beloofd een eerste opzet voor jullie website.\n\n" + SIGN_NL)
    mail = d.receive("2026-10-28 16:20", frank, "Re: Voorstel nieuwe website Jansen Bouw",
                     "Sanne,\n\nWe bespreken het in het MT. Stuur je een offerte?\n\nFrank")
    mail.sender_name = ""
    d.send("2026-11-10 10:00", frank, "Offerte website Jansen Bouw",
           "Hoi Frank,\n\nIn de bijlage de offerte. Laat maar weten wat jullie ervan "
           "vinden.\n\n" + SIGN_NL)
    for when, text in (("2026-11-14 09:30", "Heb je de offerte al kunnen bekijken?"),
                       ("2026-11-16 08:45", "Nog even over de offerte: is er iets onduidelijk?"),
                       ("2026-11-18 13:10", "Ik heb nog niets gehoord, dus ik vraag het nog "
                                            "maar eens."),
                       ("2026-11-19 17:05", "Zullen we even bellen over de offerte?")):
        d.send(when, frank, "Re: Offerte website Jansen Bouw",
               f"Hoi Frank,\n\n{text}\n\n" + SIGN_NL)


def three_followups_lotte(d: Demo) -> None:
    lotte = d.add(Contact(
        "lotte@vissermarketing.nl", "Lotte Visser", "nl", "prospect",
        shows="opener plus three follow-ups this week (the opener never counts): no warning; "
              "she is also in a bulk mail this week, which must not count"))
    d.send("2026-11-14 09:00", lotte, "Samenwerking rond jullie klantcase",
           "Hoi Lotte,\n\nIk las jullie klantcase over de Utrechtse bakkerijen. Zou je het "
           "leuk vinden om samen iets te maken?\n\n" + SIGN_NL)
    for when in ("2026-11-16 09:00", "2026-11-18 09:00", "2026-11-20 09:00"):
        d.send(when, lotte, "Re: Samenwerking rond jullie klantcase",
               "Hoi Lotte,\n\nNog een idee erbij: een gezamenlijke lunchsessie.\n\n" + SIGN_NL)


def reply_resets_pieter(d: Demo) -> None:
    pieter = d.add(Contact(
        "pieter@deboer-advies.nl", "Pieter de Boer", "nl", "client",
        shows="his reply resets the streak: four messages before it and two after, so only "
              "one follow-up counts"))
    ingrid = d.add(Contact(
        "ingrid@deboer-advies.nl", "Ingrid Smit", "nl", "client",
        shows="Cc-only: on six messages this week, never in To, so never a follow-up"))
    rng = random.Random(7)
    schedule(d, pieter, "2026-02-03 09:00", "2026-10-20 09:00", 30, rng)
    for when in ("2026-11-13 16:00", "2026-11-14 10:00", "2026-11-15 10:00",
                 "2026-11-16 10:00"):
        d.send(when, pieter, "Jaarverslag: opmaak", "Hoi Pieter,\n\nDe opmaak van het "
               "jaarverslag is bijna klaar; wil je de grafieken nog zien?\n\n" + SIGN_NL,
               cc=(ingrid,))
    d.receive("2026-11-17 08:30", pieter, "Re: Jaarverslag: opmaak",
              "Hoi Sanne,\n\nSorry, druk. Grafieken zijn prima zo.\n\nPieter")
    for when in ("2026-11-18 10:00", "2026-11-19 10:00"):
        d.send(when, pieter, "Re: Jaarverslag: opmaak", "Hoi Pieter,\n\nDank je! De "
               "drukproef komt eraan.\n\n" + SIGN_NL, cc=(ingrid,))


def out_of_office_olivia(d: Demo) -> None:
    olivia = d.add(Contact(
        "olivia.brown@hartleystudio.co.uk", "Olivia Brown", "en", "prospect",
        zone=LONDON_WINTER,
        shows="her out-of-office reply does NOT reset the streak: four follow-ups this week",
        rules=("followup-overload",), guard="warn"))
    d.send("2026-11-11 11:00", olivia, "Illustrations for the Hartley rebrand",
           "Hi Olivia,\n\nI saw your talk at Design Indaba about the Hartley rebrand. "
           "Would an illustrator from the Netherlands fit your plans?\n\n" + SIGN_EN)
    for when in ("2026-11-14 10:00", "2026-11-16 10:00", "2026-11-17 10:00",
                 "2026-11-19 10:00"):
        d.send(when, olivia, "Re: Illustrations for the Hartley rebrand",
               "Hi Olivia,\n\nJust following up on my note below.\n\n" + SIGN_EN)
        if when == "2026-11-16 10:00":
            d.receive("2026-11-16 10:01", olivia,
                      "Automatic reply: Re: Illustrations for the Hartley rebrand",
                      "I am out of the office until 30 November with limited access to email.",
                      extra=[("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")])


def far_zones(d: Demo) -> None:
    aroha = d.add(Contact(
        "aroha@kowhai.co.nz", "Aroha Ngata", "en", "client", zone=AUCKLAND_SUMMER,
        shows="Date at +13:00: her reply is on 12 Nov in UTC (13 Nov on her clock), before "
              "the opener, so four follow-ups count and the guard warns",
        rules=("followup-overload",), guard="warn"))
    exchange(d, aroha, at("2026-10-06 20:00"), "Packaging for Kowhai Tea")
    d.receive(datetime(2026, 11, 13, 1, 0, tzinfo=AUCKLAND_SUMMER).astimezone(UTC), aroha,
              "Re: Packaging for Kowhai Tea",
              "Kia ora Sanne,\n\nWe'll decide on the packaging after our board meeting.\n\nAroha")
    d.send("2026-11-12 14:00", aroha, "Re: Packaging for Kowhai Tea",
           "Hi Aroha,\n\nThanks! Here are two more options for the board.\n\n" + SIGN_EN)
    for when in ("2026-11-14 08:00", "2026-11-16 08:00", "2026-11-18 08:00",
                 "2026-11-19 08:00"):
        d.send(when, aroha, "Re: Packaging for Kowhai Tea",
               "Hi Aroha,\n\nAny news from the board?\n\n" + SIGN_EN)
    ethan = d.add(Contact(
        "ethan@brooksandco.com", "Ethan Brooks", "en", "prospect", zone=LOS_ANGELES_WINTER,
        shows="Date at -08:00: his reply is on 13 Nov in UTC (12 Nov on his clock), after "
              "my message, so only three follow-ups count: no warning"))
    d.send("2026-11-12 23:00", ethan, "Icon set for Brooks & Co",
           "Hi Ethan,\n\nI read your post on the new Brooks & Co app and made a few icon "
           "sketches for it.\n\n" + SIGN_EN)
    d.receive(datetime(2026, 11, 12, 22, 30, tzinfo=LOS_ANGELES_WINTER).astimezone(UTC), ethan,
              "Re: Icon set for Brooks & Co",
              "Hi Sanne,\n\nNice! Send me a quote and I'll take it to the team.\n\nEthan")
    d.send("2026-11-14 16:00", ethan, "Quote: icon set for Brooks & Co",
           "Hi Ethan,\n\nHere is the quote.\n\n" + SIGN_EN)
    for when in ("2026-11-16 16:00", "2026-11-18 16:00", "2026-11-19 16:00"):
        d.send(when, ethan, "Re: Quote: icon set for Brooks & Co",
               "Hi Ethan,\n\nDid the quote reach you?\n\n" + SIGN_EN)


def let_it_rest(d: Demo) -> None:
    bas = d.add(Contact(
        "bas@hendriks-media.nl", "Bas Hendriks", "nl", "prospect",
        shows="three unanswered follow-ups, the last four weeks ago: let it rest",
        rules=("let-it-rest",)))
    d.send("2026-09-21 09:00", bas, "Vormgeving voor jullie podcast",
           "Hoi Bas,\n\nIk hoorde jullie podcast over lokale ondernemers en heb een idee "
           "voor de artwork.\n\n" + SIGN_NL)
    for when in ("2026-09-29 09:00", "2026-10-09 09:00", "2026-10-23 09:00"):
        d.send(when, bas, "Re: Vormgeving voor jullie podcast",
               "Hoi Bas,\n\nIk wilde nog even terugkomen op mijn mail.\n\n" + SIGN_NL)
    daan = d.add(Contact(
        "daan@mulderlogistiek.nl", "Daan Mulder", "nl", "prospect",
        shows="near miss for let-it-rest: three follow-ups, but the last only ten days ago"))
    d.send("2026-10-20 09:00", daan, "Nieuwe huisstijl Mulder Logistiek",
           "Hoi Daan,\n\nNoor vertelde dat jullie aan een nieuwe huisstijl denken.\n\n" + SIGN_NL)
    for when in ("2026-10-28 09:00", "2026-11-04 09:00", "2026-11-10 09:00"):
        d.send(when, daan, "Re: Nieuwe huisstijl Mulder Logistiek",
               "Hoi Daan,\n\nNog een voorbeeld erbij van een transportbedrijf.\n\n" + SIGN_NL)


def neglected(d: Demo) -> None:
    rng = random.Random(11)
    marieke = d.add(Contact(
        "marieke@vanleeuwencoaching.nl", "Marieke van Leeuwen", "nl", "mentor",
        shows="my mentor: monthly contact until July, nothing since: neglected",
        rules=("neglected",)))
    schedule(d, marieke, "2025-12-05 08:00", "2026-07-10 08:00", 30, rng)
    james = d.add(Contact(
        "james.whitfield@northbridge.co.uk", "James Whitfield", "en", "client",
        zone=LONDON_WINTER, shows="a former client in London; last exchange in March: neglected",
        rules=("neglected",)))
    schedule(d, james, "2025-12-01 10:00", "2026-03-20 10:00", 25, rng)


def burst_after_silence(d: Demo) -> None:
    ruud = d.add(Contact(
        "ruud.kramer@kramerfotografie.nl", "Ruud Kramer", "nl", "peer",
        shows="exchanges until April, seven months of silence, then three messages in one "
              "week without a reply: burst after silence",
        rules=("burst-after-silence",)))
    for when, topic in (("2026-01-12 09:00", "Fotoshoot Bakkerij Dekker"),
                        ("2026-02-16 10:30", "Beelden voor de nieuwe website"),
                        ("2026-04-09 14:00", "Factuur fotoshoot")):
        exchange(d, ruud, at(when), topic)
    d.send("2026-11-03 09:00", ruud, "Lang niet gesproken! Klus voor een fotograaf?",
           "Hoi Ruud,\n\nLang geleden! Ik zoek een fotograaf voor een klant.\n\n" + SIGN_NL)
    for when in ("2026-11-05 09:00", "2026-11-08 20:00"):
        d.send(when, ruud, "Re: Lang niet gesproken! Klus voor een fotograaf?",
               "Hoi Ruud,\n\nHeb je al naar mijn vraag gekeken?\n\n" + SIGN_NL)


def unreciprocated(d: Demo) -> None:
    zoe = d.add(Contact(
        "zoe.janssen@gmail.com", "Zoë Janssen", "nl", "starter",
        shows="a starter who wrote four times in three months; I never answered: "
              "unreciprocated. One of her mails has no Date header",
        rules=("unreciprocated",)))
    asks = (("2026-09-10 19:30", "Vraag van een startende ontwerper"),
            ("2026-10-02 20:10", "Re: Vraag van een startende ontwerper"),
            ("2026-10-30 21:00", "Nog een vraagje over tarieven"),
            ("2026-11-12 18:45", "Portfolio-review?"))
    for when, subject in asks:
        mail = d.receive(when, zoe, subject, "Hoi Sanne,\n\nIk ben net gestart als "
                         "ontwerper en bewonder je werk. Mag ik je iets vragen over "
                         "tarieven?\n\nGroetjes,\nZoë", to=ALIAS)
        mail.encoded_name = "=?iso-8859-1?q?Zo=EB_Janssen?="
        mail.with_date = subject != "Nog een vraagje over tarieven"
    sophie = d.add(Contact(
        "sophie.turner@brighthire.io", "Sophie Turner", "en", "recruiter", zone=LONDON_SUMMER,
        shows="a recruiter: four mails, only two in the last 90 days: not unreciprocated"))
    for when in ("2026-04-02 08:00", "2026-06-15 08:00", "2026-10-05 08:00",
                 "2026-11-09 08:00"):
        d.receive(when, sophie, "Senior designer roles in Amsterdam",
                  "Hi Sanne,\n\nI have a few senior design roles that might suit you. "
                  "Open to a chat?\n\nSophie Turner | Talent Partner, BrightHire")


def not_people(d: Demo) -> None:
    """Addresses that are never contacts: a mailing list, a no-reply sender, a bounce."""
    news = Contact("nieuwsbrief@freelanceforum.nl", "Freelance Forum", "nl", "newsletter")
    when = at("2025-12-05 06:00")
    while when < DEMO_AT:
        d.receive(when, news, f"Freelance Forum nieuwsbrief week {when.isocalendar()[1]}",
                  "Deze week: tarieven in 2027, netwerken zonder te pushen, en meer.",
                  extra=[("List-Id", "Freelance Forum <nieuwsbrief.freelanceforum.nl>"),
                         ("List-Unsubscribe", "<mailto:afmelden@freelanceforum.nl>"),
                         ("Precedence", "list")])
        when += 14 * DAY
    bank = Contact("no-reply@moneybird.nl", "Moneybird", "nl", "notification")
    for month in range(1, 12):
        d.receive(at(f"2026-{month:02d}-03 07:00"), bank, "Je factuur is betaald",
                  "Goed nieuws: een factuur is betaald.")
    gone = d.add(Contact("info@oudbureau.nl", "Oud Bureau", "nl", "prospect",
                         shows="my message bounced; the bounce is not a reply"))
    d.send("2026-06-03 10:00", gone, "Kennismaking", "Beste lezer,\n\nIk ben Sanne, "
           "ontwerper in Utrecht, en zag jullie vacature voor een freelance vormgever.\n\n"
           + SIGN_NL)
    daemon = Contact("mailer-daemon@mail.meijerontwerp.nl", "Mail Delivery System", "en",
                     "bounce")
    d.receive("2026-06-03 10:01", daemon, "Undelivered Mail Returned to Sender",
              "--demo-bounce\nContent-Type: text/plain; charset=us-ascii\n\n"
              "This is the mail system at host mail.meijerontwerp.nl.\n\n"
              "I'm sorry to have to inform you that your message could not be delivered.\n"
              "<info@oudbureau.nl>: host mx.oudbureau.nl said: 550 5.1.1 User unknown\n\n"
              "--demo-bounce\nContent-Type: message/delivery-status\n\n"
              "Final-Recipient: rfc822; info@oudbureau.nl\nAction: failed\nStatus: 5.1.1\n\n"
              "--demo-bounce--",
              extra=[("Content-Type", 'multipart/report; report-type=delivery-status; '
                                      'boundary="demo-bounce"')])


BULK_ONLY = (("Mirjam Smits", "mirjam@smitsadvies.nl"), ("Ahmed Yilmaz", "ahmed@yilmazict.nl"),
             ("Els de Graaf", "els@degraafvertaalt.nl"), ("Wouter Kok", "wouter@kokbv.nl"),
             ("Fleur Peeters", "fleur@peeterspr.be"), ("Sven Lind", "sven@lindstudio.se"),
             ("Iris Bos", "iris@bosbouwadvies.nl"), ("Ravi Patel", "ravi@patelmedia.co.uk"),
             ("Annelies Vos", "annelies@vosenco.nl"))


def bulk_and_alias(d: Demo) -> None:
    c = d.contacts
    # Eleven or more recipients: kept, never a follow-up, never personal contact.
    people = [(x.name, x.written()) for x in (c["lotte@vissermarketing.nl"],
                                              c["jan@devries-illustratie.nl"],
                                              c["noor@woordwerk.nl"],
                                              c["thomas@bergwebdev.nl"])]
    bulk = Mail(at("2026-11-17 11:00"), ME, ME_NAME, people + list(BULK_ONLY),
                "Nieuw in mijn portfolio: drie rebrandings",
                "Hoi allemaal,\n\nIk heb drie nieuwe projecten online gezet. Misschien "
                "herken je er iets van jullie eigen werk in!\n\n" + SIGN_NL)
    bulk.message_id = "<202611171100.bulk.demo@meijerontwerp.nl>"
    d.sent.append(bulk)
    # A greeting to a Bcc list: only "undisclosed-recipients" in To.
    greeting = Mail(at("2025-12-22 09:00"), ME, ME_NAME, [], "Fijne feestdagen!",
                    "Dank voor de fijne samenwerking dit jaar.\n\n" + SIGN_NL)
    greeting.extra = [("To", "undisclosed-recipients:;")]
    greeting.message_id = "<202512220900.xmas.demo@meijerontwerp.nl>"
    d.sent.append(greeting)
    # A copy to my own info address (the alias) and a forward from it: both are me.
    hanneke = c["hanneke@bakkerijdekker.nl"]
    d.send("2026-10-06 09:00", hanneke, "Drukproef etiketten",
           "Hoi Hanneke,\n\nDe drukproef is goedgekeurd.\n\n" + SIGN_NL,
           cc=(Contact(ALIAS, ME_NAME, "nl", "me"),))
    forward = Mail(at("2026-10-06 09:00"), ALIAS, ME_NAME, [(ME_NAME, ME)],
                   "Fwd: Drukproef etiketten", "Kopie voor de administratie.")
    forward.message_id = "<202610060900.fwd.demo@meijerontwerp.nl>"
    d.inbox.append(forward)
    d.receive("2026-10-08 12:00", hanneke, "Bestelling etiketten",
              "Hoi Sanne,\n\nDe etiketten zijn besteld!\n\nHanneke", to=ALIAS)


# ---------------------------------------------------------------------------------------------
# Writing


def render(mail: Mail, from_line_sender: str) -> bytes:
    zone = mail.zone or amsterdam(mail.time)
    lines = [f"From {from_line_sender} {mail.time:%a %b %d %H:%M:%S %Y}"]
    if mail.with_date:
        lines.append(f"Date: {mail.raw_date or format_datetime(mail.time.astimezone(zone))}")
    sender = (f"{mail.encoded_name} <{mail.sender}>" if mail.encoded_name
              else _address(mail.sender_name, mail.sender))
    lines.append(f"From: {sender}")
    if mail.to:
        lines.append(_folded("To", [_address(n, a) for n, a in mail.to]))
    if mail.cc:
        lines.append(_folded("Cc", [_address(n, a) for n, a in mail.cc]))
    subject = Header(mail.subject, "utf-8").encode() if _non_ascii(mail.subject) else mail.subject
    lines.append(f"Subject: {subject}")
    lines.append(f"Message-ID: {mail.message_id}")
    if mail.in_reply_to and mail.subject.startswith("Re:"):
        lines += [f"In-Reply-To: {mail.in_reply_to}", f"References: {mail.in_reply_to}"]
    lines += [f"{k}: {v}" for k, v in mail.extra]
    if not any(k == "Content-Type" for k, _ in mail.extra):
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                  "Content-Transfer-Encoding: 8bit"]
    body = "\n".join(">" + b if b.startswith("From ") else b for b in mail.body.split("\n"))
    return ("\n".join(lines) + "\n\n" + body + "\n\n").encode("utf-8")


def _address(name: str, addr: str) -> str:
    return formataddr((name, addr), charset="utf-8") if name else addr


def _folded(field_name: str, items: list[str]) -> str:
    return f"{field_name}: " + ",\n\t".join(items)


def _non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


def counts(d: Demo, c: Contact) -> tuple[int, int]:
    """SPEC §6 report counts: my non-bulk mail with C in To/Cc; C's non-automatic, non-list."""
    sent = sum(1 for m in d.sent if len(m.to) + len(m.cc) <= 10
               and any(a.lower() == c.address for _, a in m.to + m.cc))
    received = sum(1 for m in d.inbox if m.sender.lower() == c.address
                   and not any(k in ("Auto-Submitted", "X-Autoreply", "List-Id")
                               for k, _ in m.extra))
    return sent, received


def followups_in_window(d: Demo, c: Contact) -> int:
    replies = [m.time for m in d.inbox if m.sender.lower() == c.address
               and not any(k in ("Auto-Submitted", "X-Autoreply") for k, _ in m.extra)
               and m.time <= DEMO_AT]
    last_reply = max(replies, default=None)
    streak = [m.time for m in d.sent if len(m.to) + len(m.cc) <= 10 and m.time <= DEMO_AT
              and any(a.lower() == c.address for _, a in m.to)
              and (last_reply is None or m.time > last_reply)]
    return sum(1 for t in streak[1:] if DEMO_AT - timedelta(days=7) < t)


def manifest(d: Demo) -> str:
    out = [
        "# Built by tools/build_demo.py: do not edit by hand.",
        "# What the demo mailbox was built to show at `at` with the default rules (SPEC §1).",
        "# contacts.<address>: rules = the report's status rule ids; guard = the send guard's",
        "# verdict for one more message to that contact at `at`; followups_in_window, sent and",
        "# received as in `netguard report --json`. not_contacts must never appear as contacts.",
        f'at = "{DEMO_AT.isoformat()}"',
        f'me = ["{ME}", "{ALIAS}"]',
        "not_contacts = [" + ", ".join(f'"{a}"' for a in _not_contacts()) + "]",
        f"messages_sent = {len(d.sent)}",
        f"messages_received = {len(d.inbox)}",
    ]
    for address in sorted(d.contacts):
        c = d.contacts[address]
        sent, received = counts(d, c)
        out += ["", f'[contacts."{address}"]', f'name = "{c.name}"', f'role = "{c.role}"',
                "rules = [" + ", ".join(f'"{r}"' for r in c.rules) + "]",
                f'guard = "{c.guard}"', f"followups_in_window = {followups_in_window(d, c)}",
                f"sent = {sent}", f"received = {received}", f'shows = "{c.shows}"']
    return "\n".join(out) + "\n"


def _not_contacts() -> list[str]:
    return [ME, ALIAS, "nieuwsbrief@freelanceforum.nl", "no-reply@moneybird.nl",
            "mailer-daemon@mail.meijerontwerp.nl", *(a for _, a in BULK_ONLY)]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    demo = build()
    (out / "sent.mbox").write_bytes(b"".join(render(m, ME) for m in demo.sent))
    (out / "inbox.mbox").write_bytes(b"".join(render(m, m.sender) for m in demo.inbox))
    (out / "expected.toml").write_text(manifest(demo), encoding="utf-8")
    print(f"{out}: {len(demo.sent)} sent, {len(demo.inbox)} received, "
          f"{len(demo.contacts)} contacts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
