"""The ``--json`` shapes of SPEC §6 for ``guard`` and ``report`` (also used by ``watch``).

Times are ISO 8601 with offset (UTC). Extra fields beyond the fixed shape are welcome.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from netguard.analysis.model import (
    ContactState,
    Finding,
    Other,
    RecipientVerdict,
    Report,
    Verdict,
)


def iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def finding_to_json(finding: Finding) -> dict[str, Any]:
    return {
        "pitfall": finding.pitfall,
        "rule": finding.rule,
        "contact": finding.contact,
        "severity": finding.severity.value,
        "message": finding.message,
        "advice": finding.advice,
        "evidence": list(finding.evidence),
    }


def recipient_to_json(verdict: RecipientVerdict) -> dict[str, Any]:
    return {
        "address": verdict.address,
        "followups_in_window": verdict.followups_in_window,
        "window_days": verdict.window_days,
        "followup_limit": verdict.followup_limit,
        "warn": verdict.warn,
        "muted": verdict.muted,
        "streak_length": verdict.streak_length,
        "streak_started": iso(verdict.streak_started),
        "last_reply": iso(verdict.last_reply),
        "closing": verdict.closing,
        "loop_closed_at": iso(verdict.closed_at),
        "findings": [finding_to_json(f) for f in verdict.findings],
    }


def verdict_to_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": "warn" if verdict.warn else "clear",
        "at": iso(verdict.at),
        "recipients": [recipient_to_json(r) for r in verdict.recipients],
    }


def contact_to_json(state: ContactState) -> dict[str, Any]:
    return {
        "address": state.address,
        "name": state.name,
        "sent": state.sent,
        "received": state.received,
        "last_sent": iso(state.last_sent),
        "last_received": iso(state.last_received),
        "unanswered_streak": state.unanswered_streak,
        "followups_in_window": state.followups_in_window,
        "status": list(state.status),
        "muted": state.muted,
    }


def other_to_json(other: Other) -> dict[str, Any]:
    return {
        "address": other.address,
        "name": other.name,
        "received": other.received,
        "why": list(other.why),
    }


def report_to_json(report: Report) -> dict[str, Any]:
    return {
        "at": iso(report.at),
        "contacts": [contact_to_json(c) for c in report.contacts],
        "others": [other_to_json(o) for o in report.others],
        "findings": [finding_to_json(f) for f in report.findings],
    }
