"""Which parts of a draft are the writer's own words: quoted mail, signatures and closings are not.

Under the closing ("Best,\nSanne") the signature lines are skipped, but a postscript or a line
of prose there is the writer's own words and is checked like the rest.

``own_words(text)`` returns the text with everything that is not linted replaced by spaces
(newlines kept), so every offset found in it is an offset into the original input.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from netguard.resources import read_text

_NAME_WORD = re.compile(r"[^\W\d_][\w.'’-]*")
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True, slots=True)
class MailShape:
    quote_headers: re.Pattern[str]
    signature: re.Pattern[str]
    skipped_lines: re.Pattern[str]
    closing: re.Pattern[str]
    closing_tail_lines: int
    greeting: re.Pattern[str]
    postscript: re.Pattern[str]
    contact_details: re.Pattern[str]
    prose_words: int


@dataclass(frozen=True, slots=True)
class OwnWords:
    masked: str  # same length as the input; skipped parts are spaces
    greeted: tuple[str, ...]  # names in the greeting ("Beste Jan," -> ("Jan",))


@cache
def _shape() -> MailShape:
    data = tomllib.loads(read_text("lexicons", "mail.toml"))

    def any_of(patterns: list[str]) -> str:
        return "|".join(f"(?:{p})" for p in patterns)

    return MailShape(
        quote_headers=re.compile(any_of(data["quote_headers"]), re.MULTILINE),
        signature=re.compile(data["signature"], re.MULTILINE),
        skipped_lines=re.compile(any_of(data["skipped_lines"]), re.MULTILINE),
        closing=re.compile(rf"^[ \t]*(?i:{any_of(data['closings'])})(?P<rest>[^\w\n][^\n]*)?$",
                           re.MULTILINE),
        closing_tail_lines=int(data["closing_tail_lines"]),
        greeting=re.compile(
            rf"\A\s*(?i:{any_of(data['greetings'])})(?![\w])(?P<who>[^\n,!:;.?]{{0,60}})[,!:;]?"
        ),
        postscript=re.compile(data["postscript"]),
        contact_details=re.compile(data["contact_details"]),
        prose_words=int(data["prose_words"]),
    )


def _blanked(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with every character in ``ranges`` but newlines made a space."""
    out, pos = [], 0
    for first, end in sorted(ranges):
        start = max(first, pos)
        if start >= end:
            continue
        out += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _cut(text: str, kept: str, shape: MailShape) -> tuple[int, list[tuple[int, int]]]:
    """Where quoted mail or the signature starts (the end of the text if nowhere), and the
    quote headers above an answer written under the quote (skipped on their own)."""
    headers: list[tuple[int, int]] = []
    cut = len(text)
    for match in shape.quote_headers.finditer(text):
        if _answered_below(text, kept, match.end(), shape):
            headers.append(match.span())
            continue
        cut = match.start()
        break
    signature = shape.signature.search(text)
    if signature is not None:
        cut = min(cut, signature.start())
    return cut, headers


def _answered_below(text: str, kept: str, header_end: int, shape: MailShape) -> bool:
    """Whether ``text`` goes on, right under the header, with a ``>`` quote and then the
    writer's own words: an answer under the quote, not a quoted mail below mine."""
    lines = text[header_end:].lstrip("\n").splitlines()
    if not lines or not lines[0].lstrip().startswith(">"):
        return False
    rest_start = header_end + len(text[header_end:]) - len(text[header_end:].lstrip("\n"))
    rest = kept[rest_start:]
    signature = shape.signature.search(rest)
    return bool(rest[:signature.start() if signature else len(rest)].strip())


def _closing_start(text: str, end: int, shape: MailShape) -> int:
    """The start of the last closing line ("Groet, Jan") near the end, or ``end``."""
    for match in reversed(list(shape.closing.finditer(text, 0, end))):
        rest = (match.group("rest") or "").strip(" \t,.!-–—")
        if rest and not all(w[0].isupper() for w in _NAME_WORD.findall(rest)[:4]):
            continue
        if len(_NAME_WORD.findall(rest)) > 4:
            continue
        tail = text[match.end():end]
        if sum(1 for line in tail.splitlines() if line.strip()) <= shape.closing_tail_lines:
            return match.start()
        return end
    return end


def _prose(line: str, shape: MailShape) -> bool:
    """A postscript, or a sentence rather than a signature line (name, title, details)."""
    if shape.postscript.match(line):
        return True
    stripped = line.strip()
    return (stripped.endswith((".", "!", "?")) and not shape.contact_details.search(stripped)
            and len(_NAME_WORD.findall(stripped)) >= shape.prose_words)


def _sign_off(text: str, start: int, end: int, shape: MailShape) -> list[tuple[int, int]]:
    """What to skip of the closing block ``start:end``: all but the prose lines under it
    (a prose line's paragraph is prose to its end)."""
    skipped, pos, line_start, in_prose = [], start, start, False
    for line in text[start:end].splitlines(keepends=True):
        blank = not line.strip()
        in_prose = not blank and (in_prose or (line_start > start and _prose(line, shape)))
        if in_prose:
            skipped.append((pos, line_start))
            pos = line_start + len(line)
        line_start += len(line)
    return [*skipped, (pos, end)]


def _greeting(text: str, shape: MailShape) -> tuple[int, tuple[str, ...]]:
    match = shape.greeting.match(text)
    if match is None:
        return 0, ()
    names = tuple(w for w in _NAME_WORD.findall(match.group("who")) if w[0].isupper())
    if len(_NAME_WORD.findall(match.group("who"))) > 4:
        return 0, ()
    return match.end(), names


def own_words(text: str) -> OwnWords:
    """The writer's own words of ``text``, with all else blanked out (offsets preserved)."""
    shape = _shape()
    skipped = [m.span() for m in shape.skipped_lines.finditer(text)]
    kept = _blanked(text, skipped)
    cut, headers = _cut(text, kept, shape)
    skipped += headers
    kept = _blanked(text, skipped)
    end = _closing_start(kept, cut, shape)
    greeting_end, greeted = _greeting(kept[:end], shape)
    sign_off = _sign_off(kept, end, cut, shape)
    return OwnWords(_blanked(text, [*skipped, *sign_off, (cut, len(text)), (0, greeting_end)]),
                    greeted)
