"""Typed results of the draft lint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LintFinding:
    pitfall: int
    rule: str
    start: int  # Python string offsets into the input
    end: int
    text: str
    message: str
    advice: str


@dataclass(frozen=True, slots=True)
class LintNote:
    """A clarity note: not a pitfall, never part of the exit code."""

    kind: str  # "no-ask" | "many-asks" | "long" | "subject-empty" | "subject-long"
    message: str


@dataclass(frozen=True, slots=True)
class LintResult:
    language: str  # "nl" | "en"
    findings: tuple[LintFinding, ...]
    notes: tuple[LintNote, ...] = ()
