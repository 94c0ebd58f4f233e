"""Cold outreach without homework (pitfall 5): a first message that says nothing about them.

Homework is a reason ("omdat", "because"), a reference to their work, post or company, a mutual
contact or a meeting, or the name of their own (non-mail-provider) domain.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from netguard.analysis.model import RecipientContext
from netguard.lint.findings import Check, finding
from netguard.lint.model import LintFinding
from netguard.resources import read_text


@cache
def _mail_providers() -> frozenset[str]:
    data = tomllib.loads(read_text("lexicons", "mail.toml"))
    return frozenset(str(d) for d in data["mail_providers"])


def company(recipient: RecipientContext) -> str:
    """``bakkerijdevries`` for ``jan@mail.bakkerijdevries.nl``; empty for gmail.com and friends."""
    domain = recipient.address.rpartition("@")[2].lower()
    labels = domain.split(".")
    label = labels[-2] if len(labels) >= 2 else ""
    return "" if label in _mail_providers() or len(label) < 4 else label


def mentions_company(check: Check, recipient: RecipientContext) -> bool:
    label = company(recipient)
    if not label:
        return False
    squeezed = re.sub(r"[\W_]+", "", check.doc.masked.lower())
    return label in squeezed


def cold_no_homework(check: Check) -> list[LintFinding]:
    cold = [r for r in check.recipients if not r.has_history and not r.muted]
    if not cold or not check.doc.sentences:
        return []
    if check.lex.homework.any(check.doc):
        return []
    if any(mentions_company(check, r) for r in cold):
        return []
    name = ", ".join(r.first_name or r.name or r.address for r in cold)
    opening = check.doc.sentences[0]
    return [finding(check, "cold-no-homework", opening.start, opening.end, name=name)]
