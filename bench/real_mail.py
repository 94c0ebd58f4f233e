"""A mailbox shaped like a real freelancer's mail, for ``bench/sync.py`` and ``parse_cost.py``.

Harder than the easy mailbox of ``bench/sync.py`` (``Generator``) in the ways real mail is
(issue 18): a Sent message often goes to 3-15 people, sometimes 30; display names in many
scripts, as RFC 2047 encoded words in UTF-8 and ISO-8859-1, Q and B, or quoted ``"Last,
First"``; To and Cc folded as Outlook (tab), Thunderbird and Apple Mail (space) fold them;
long References chains; replies, automatic replies, mailing lists and newsletters, bounces;
and about one message in a hundred malformed (a broken Date, a broken encoded word, raw 8-bit
text, an address without ``@``, a field twice).
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Iterable
from pathlib import Path

NAMES = {  # first names, last names: per script
    "dutch": (["Anna", "Bram", "Daan", "Eva", "Fleur", "Gijs", "Jeroen", "Lotte", "Noor", "Sanne"],
              ["de Vries", "Jansen", "Bakker", "Visser", "van den Berg", "de Boer", "Mulder"]),
    "english": (["Emma", "Oliver", "Sophie", "James", "Lucy", "Harry", "Grace"],
                ["Smith", "Brown", "Taylor", "Wilson", "O'Brien", "Clarke"]),
    "latin1": (["Zoë", "José", "Françoise", "Jürgen", "Søren", "Inès", "Björn", "Ángela"],
               ["Müller", "Dubois", "Groß", "Løkke", "Núñez", "Lefèvre", "Østergård"]),
    "latin_ext": (["Łukasz", "Dvořák", "Ştefan", "Ağca", "Žofie"],
                  ["Wałęsa", "Novák", "Kovačević", "Yılmaz", "Dąbrowski"]),
    "greek": (["Γιώργος", "Ελένη", "Νίκος"], ["Παπαδόπουλος", "Οικονόμου"]),
    "cyrillic": (["Анна", "Дмитрий", "Ольга"], ["Иванова", "Петров", "Смирнова"]),
    "cjk": (["太郎", "美咲", "伟", "秀英"], ["山田", "佐藤", "王", "李"]),
    "arabic": (["محمد", "فاطمة"], ["العلي", "حسن"]),
    "hindi": (["प्रिया", "राहुल"], ["शर्मा", "पटेल"]),
}
SCRIPTS = list(NAMES)
WEIGHTS = [30, 20, 20, 8, 4, 5, 6, 3, 4]
DOMAINS = ["example.nl", "example.com", "bedrijf.nl", "mail.example.org", "agency.example.de",
           "studio.example.fr", "example.co.uk", "consult.example.jp"]
SUBJECTS = ["Voorstel samenwerking", "Offerte website", "Afspraak volgende week", "Introduction",
            "Follow-up on our call", "Uitnodiging netwerkborrel", "Quick question",
            "Factuur 2025-{n}", "Project update week {n}", "Bedankt voor het gesprek",
            "Café morgen?", "Prijsopgave € {n}", "Besprechung am Dienstag", "Réunion de lancement",
            "Предложение о сотрудничестве", "打ち合わせの件", "Concept contract — versie {n}",
            "Feedback op het ontwerp, ronde {n} (met de opmerkingen van het hele team erbij)"]
STYLES = ("outlook", "thunderbird", "apple")


def encoded_word(text: str, rng: random.Random) -> str:
    """``text`` as RFC 2047 encoded words, as mail clients write them: UTF-8 or ISO-8859-1, Q or
    B, long text split into several words."""
    charset = "iso-8859-1" if rng.random() < 0.3 and _latin1(text) else "utf-8"
    data = text.encode(charset)
    q = rng.random() < 0.5
    words, size = [], 30 if q else 45
    for i in range(0, len(data), size):
        chunk = _safe_chunk(data, i, size, charset)
        if chunk is None:
            continue
        if q:
            encoded = "".join("_" if b == 32 else chr(b) if chr(b).isalnum() and b < 128
                              else f"={b:02X}" for b in chunk)
            words.append(f"=?{charset.upper() if rng.random() < 0.5 else charset}?Q?{encoded}?=")
        else:
            words.append(f"=?{charset}?B?{base64.b64encode(chunk).decode()}?=")
    return " ".join(words)


def _latin1(text: str) -> bool:
    try:
        text.encode("iso-8859-1")
    except UnicodeEncodeError:
        return False
    return True


def _safe_chunk(data: bytes, start: int, size: int, charset: str) -> bytes | None:
    """``data[start:start+size]`` widened so no UTF-8 character is cut (None: inside one)."""
    if charset != "utf-8":
        return data[start:start + size]
    if start and data[start] & 0xC0 == 0x80:
        return None
    end = start + size
    while end < len(data) and data[end] & 0xC0 == 0x80:
        end += 1
    return data[start:end]


class RealGenerator:
    """Header blocks (with a short body) of a realistic Sent and INBOX."""

    def __init__(self, me: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.me = me
        self.people = [self._person(i) for i in range(4000)]
        self.lists = [f"{topic}.lists.example.org" for topic in
                      ("design", "python-nl", "freelance", "buurt", "club")]

    def _person(self, i: int) -> tuple[str, str]:
        rng = self.rng
        script = rng.choices(SCRIPTS, WEIGHTS)[0]
        first, last = rng.choice(NAMES[script][0]), rng.choice(NAMES[script][1])
        local = f"p{i}.{first[:1].lower() if first.isascii() else 'x'}"
        addr = f"{local}@{rng.choice(DOMAINS)}"
        if rng.random() < 0.3:
            addr = addr.replace("p", "P", 1)  # mixed case, as address books keep them
        if rng.random() < 0.05:
            return "", addr  # no name
        name = f"{first} {last}" if script not in ("cjk",) else f"{last}{first}"
        if name.isascii():
            return (f'"{last}, {first}"' if rng.random() < 0.3 else name), addr
        if rng.random() < 0.15:
            name = f"{last}, {first}"
        return encoded_word(name, rng), addr

    def _mailbox(self, person: tuple[str, str]) -> str:
        return f"{person[0]} <{person[1]}>" if person[0] else person[1]

    def _fold(self, field: str, items: list[str], style: str, separator: str = ",") -> str:
        """``Field: a, b, c`` folded before 78 columns as the client's style folds it."""
        indent = "\t" if style == "outlook" else " "
        lines, line = [], f"{field}: "
        for i, item in enumerate(items):
            piece = item + (separator if i < len(items) - 1 else "")
            if len(line) + len(piece) + 1 > 78 and line.strip() and not line.endswith(": "):
                lines.append(line.rstrip())
                line = indent
            line += piece + " "
        lines.append(line.rstrip())
        return "\n".join(lines)

    def _date(self, n: int) -> str:
        when = 1_700_000_000 + n * 300 + self.rng.randrange(300)
        zone = self.rng.choice(["+0100", "+0200", "+0000", "-0500", "+0530", "-0800"])
        stamp = time.strftime("%a, %d %b %Y %H:%M:%S ", time.gmtime(when)) + zone
        if self.rng.random() < 0.1:
            stamp = stamp.replace(", 0", ", ")  # "Tue, 1 Jul" as Apple Mail writes it
        return stamp + (" (CET)" if self.rng.random() < 0.05 else "")

    def _subject(self, n: int, reply: bool) -> str:
        subject = self.rng.choice(SUBJECTS).format(n=n % 97)
        if reply:
            subject = self.rng.choice(["Re: ", "RE: ", "Antw: ", "AW: ", "Re: Re: "]) + subject
        return subject if subject.isascii() else encoded_word(subject, self.rng)

    def _references(self, n: int) -> list[str]:
        depth = self.rng.choice([1, 1, 2, 3, 5, 8, 12, 20])
        return [f"<{n * 7 + k}.{self.rng.getrandbits(48):x}@mail.example.com>"
                for k in range(depth)]

    def message(self, n: int, sent: bool) -> bytes:
        rng = self.rng
        style = rng.choice(STYLES)
        kind = "sent" if sent else rng.choices(
            ["personal", "list", "newsletter", "auto", "bounce"], [70, 12, 10, 6, 2])[0]
        reply = rng.random() < 0.45 and kind in ("sent", "personal", "list")
        lines = [f"Message-ID: <{n}.{rng.getrandbits(40):x}@{style}.example>",
                 f"Date: {self._date(n)}"]
        me = ("Me Myself", self.me)
        lines += self._people(kind, me, style)
        subject = self._subject(n, reply)
        if kind == "auto":
            subject = rng.choice(["Automatic reply: ", "Afwezig: ", "Abwesenheitsnotiz: ",
                                  "Out of Office: "]) + subject
        lines.append(self._fold("Subject", subject.split(" "), style, ""))
        if reply:
            refs = self._references(n)
            lines += [f"In-Reply-To: {refs[-1]}", self._fold("References", refs, style, "")]
        lines += self._extras(kind, style)
        lines = self._malformed(lines, n) if rng.random() < 0.01 else lines
        return ("\n".join(lines) + "\n\nHallo,\n\nZie hieronder.\n").encode(
            "utf-8", "surrogateescape")

    def _people(self, kind: str, me: tuple[str, str], style: str) -> list[str]:
        rng = self.rng
        if kind == "sent":
            count = rng.choice([1, 1, 2, 3, 3, 4, 5, 6, 8, 10, 12, 15]) if rng.random() > 0.04 \
                else 30
            to = rng.sample(self.people, count)
            cc = rng.sample(self.people, rng.choice([1, 2, 3, 5])) if rng.random() < 0.35 else []
            sender = me
        else:
            sender = rng.choice(self.people)
            to = [me] + (rng.sample(self.people, rng.choice([1, 2, 4, 9]))
                         if rng.random() < 0.4 else [])
            cc = rng.sample(self.people, rng.choice([1, 3])) if rng.random() < 0.2 else []
        if kind == "list":
            to = [("", rng.choice(self.lists).replace(".lists.", "@lists."))]
        if kind == "bounce":
            sender = ("Mail Delivery System", "MAILER-DAEMON@mx.example.net")
        lines = [f"From: {self._mailbox(sender)}",
                 self._fold("To", [self._mailbox(p) for p in to], style)]
        if cc:
            lines.append(self._fold("Cc", [self._mailbox(p) for p in cc], style))
        return lines

    def _extras(self, kind: str, style: str) -> list[str]:
        rng = self.rng
        boundary = f"----=_Part_{rng.getrandbits(32)}"
        content = {"outlook": f'multipart/alternative;\n\tboundary="{boundary}"',
                   "thunderbird": "text/plain; charset=UTF-8; format=flowed",
                   "apple": f'multipart/alternative;\n boundary="Apple-Mail={boundary}"'}[style]
        extras = {
            "list": [f"List-Id: Discussie <{rng.choice(self.lists)}>",
                     "List-Unsubscribe: <mailto:leave@lists.example.org>", "Precedence: list"],
            "newsletter": ["List-Unsubscribe: <https://news.example.com/u?id=1>,\n "
                           "<mailto:unsub@news.example.com>", "Feedback-ID: 1:news:esp",
                           "Precedence: bulk"],
            "auto": ["Auto-Submitted: auto-replied", "X-Autoreply: yes"]
            if rng.random() < 0.5 else ["Auto-Submitted: auto-replied"],
            "bounce": ["Auto-Submitted: auto-replied"],
        }.get(kind, [])
        if kind == "bounce":
            content = 'multipart/report; report-type=delivery-status;\n\tboundary="b"'
        return [f"Content-Type: {content}", *extras]

    def _malformed(self, lines: list[str], n: int) -> list[str]:
        broken = self.rng.choice([
            lambda: [x for x in lines if not x.startswith("Date:")] + ["Date: ergens in juli"],
            lambda: [*lines, "Subject: =?utf-8?q?caf=C3?= kapot"],
            lambda: [x.replace("Message-ID:", "Subject: Café") if x.startswith("Message-ID")
                     else x for x in lines],
            lambda: [*lines[:2], "To: undisclosed-recipients:;", *lines[2:]],
            lambda: [*lines, "To: iemand zonder apenstaart"],
            lambda: [x.replace("Date: ", "Date: Mon, 2 Jun 25 10:00:00 GMT X-") if
                     x.startswith("Date:") else x for x in lines],
        ])
        return list(broken())


def write_mbox(path: Path, messages: Iterable[bytes], sender: str) -> None:
    """``messages`` as an mbox file (LF line ends, as mbox files have them)."""
    with path.open("wb") as out:
        for message in messages:
            out.write(b"From " + sender.encode() + b" Tue Nov 14 22:15:08 2023\n"
                      + message.replace(b"\nFrom ", b"\n>From ") + b"\n\n")
