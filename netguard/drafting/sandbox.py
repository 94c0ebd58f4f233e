"""The Jinja environment templates run in: sandboxed, strict about missing values, plain text.

Templates may be user files, and the values come from mail (names, subjects), which is
hostile input. The sandbox refuses Python internals (``''.__class__`` and friends) and
oversized repetition; ``StrictUndefined`` turns every missing value into an error.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_REPEAT = 10_000
_REPLY_PREFIX = re.compile(r"^\s*(?:re|antw|aw|sv|vs)\s*:", re.IGNORECASE)


def reply_subject(subject: object, fallback: str = "") -> str:
    """``Re: <subject>``, without stacking prefixes; ``fallback`` when there is no subject."""
    text = " ".join(str(subject).split())
    if not text:
        return fallback
    return text if _REPLY_PREFIX.match(text) else f"Re: {text}"


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no calls that change lists or dicts), also capping ``*`` and
    ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(v, int | float) for v in (left, right))
        if operator == "**" and (not numbers or abs(right) > 100):
            raise SecurityError("the template sandbox refuses this power")
        if operator == "*" and not numbers:
            count = right if isinstance(right, int) else left
            if not isinstance(count, int) or count > MAX_REPEAT:
                raise SecurityError("the template sandbox refuses this repetition")
        return super().call_binop(context, operator, left, right)


@cache
def environment() -> Sandbox:
    env = Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters["reply_subject"] = reply_subject
    return env
