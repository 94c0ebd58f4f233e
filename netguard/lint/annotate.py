"""The lint result for people: the draft with findings underlined and numbered (terminal), or a
plain list with line and column (anywhere else)."""

from __future__ import annotations

from netguard.lint.model import LintResult
from netguard.terminal import safe
from netguard.texts import text as say

UNDERLINE, BOLD, RESET = "\x1b[4m", "\x1b[1m", "\x1b[0m"


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _marked(source: str, result: LintResult) -> str:
    """``source`` with each finding underlined and followed by its number."""
    underlined = [False] * len(source)
    numbers: dict[int, list[int]] = {}
    for number, f in enumerate(result.findings, start=1):
        for i in range(f.start, f.end):
            underlined[i] = True
        numbers.setdefault(f.end, []).append(number)
    out, on = [], False
    for i, char in enumerate(source):
        want = underlined[i] and char != "\n"
        if want != on:
            out.append(UNDERLINE if want else RESET)
            on = want
        out.append(char)
        if i + 1 in numbers:
            out.append(RESET + BOLD + "".join(f"[{n}]" for n in numbers[i + 1]) + RESET)
            on = False
    if on:
        out.append(RESET)
    return "".join(out)


def _notes(source: str, result: LintResult) -> list[str]:
    """Numbered notes; each rule's advice is given once, at its first finding."""
    lines: list[str] = []
    advised: set[str] = set()
    for number, f in enumerate(result.findings, start=1):
        line, column = _position(source, f.start)
        where = say("lint", result.language, "where", line=line, column=column,
                    pitfall=f.pitfall, rule=f.rule)
        lines += [f"[{number}] {where}: \"{' '.join(f.text.split())}\"", f"    {f.message}"]
        if f.rule not in advised:
            lines.append(f"    {f.advice}")
            advised.add(f.rule)
    return lines


def annotate(source: str, result: LintResult, terminal: bool) -> str:
    """What ``netguard lint`` prints for ``result``: the draft's own text made ``safe`` (a
    quoted mail can carry control characters), so only the marks steer the terminal."""
    clarity = [f"({say('lint', result.language, 'note')}) {n.message}" for n in result.notes]
    if not result.findings:
        return safe("\n".join([say("lint", result.language, "clean"), *clarity])) + "\n"
    parts = [_marked(safe(source), result).rstrip("\n"), ""] if terminal else []
    return "\n".join([*parts, safe("\n".join([*_notes(source, result), *clarity]))]) + "\n"
