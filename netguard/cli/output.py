"""Printing for the CLI: JSON, and a progress bar only when stderr is a terminal."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, TextIO

from netguard.terminal import fit, json_text, raw, safe


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any, stream: TextIO | None = None) -> None:
    import json  # only for --json: a command printing text does without it

    out = stream or sys.stdout
    out.write(json_text(json.dumps(data, default=_default, ensure_ascii=False)) + "\n")
    out.flush()


class ProgressBar:
    """``bar(done, total, label)`` draws on a terminal and does nothing elsewhere."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int, label: str = "") -> None:
        if not self.active:
            return
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"\r{fit(safe(label), 30)} [{bar}] {done}/{total}"
        raw(self.stream).write(line)  # its carriage return is NetGuard's own
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()
