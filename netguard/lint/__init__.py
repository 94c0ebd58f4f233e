"""Draft lint: the article's pitfalls 1, 3, 4, 5, 6 and 7 in a draft, Dutch and English."""

from netguard.lint.engine import lint
from netguard.lint.model import LintFinding, LintResult

__all__ = ["LintFinding", "LintResult", "lint"]
