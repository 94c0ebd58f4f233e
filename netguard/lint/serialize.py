"""The lint result as plain data: the ``lint`` JSON shape of SPEC §6."""

from __future__ import annotations

from typing import Any

from netguard.lint.model import LintFinding, LintResult


def finding_to_json(finding: LintFinding) -> dict[str, Any]:
    return {
        "pitfall": finding.pitfall,
        "rule": finding.rule,
        "start": finding.start,
        "end": finding.end,
        "text": finding.text,
        "message": finding.message,
        "advice": finding.advice,
    }


def result_to_json(result: LintResult) -> dict[str, Any]:
    """``{"language", "findings": [{"pitfall", "rule", "start", "end", "text", "message",
    "advice"}], "notes": [{"kind", "message"}]}``."""
    return {"language": result.language,
            "findings": [finding_to_json(f) for f in result.findings],
            "notes": [{"kind": n.kind, "message": n.message} for n in result.notes]}
