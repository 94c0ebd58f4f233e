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
class LintResult:
    language: str  # "nl" | "en"
    findings: tuple[LintFinding, ...]
