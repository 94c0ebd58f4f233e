"""Counts in the user's language (netguard/texts.py ``number``)."""

from __future__ import annotations

import pytest

from netguard.texts import number


@pytest.mark.parametrize(("count", "en", "nl"), [
    (0, "0", "0"), (999, "999", "999"), (4_000, "4,000", "4.000"),
    (1_234_567, "1,234,567", "1.234.567")])
def test_a_count_reads_as_each_language_writes_it(count: int, en: str, nl: str) -> None:
    assert number(count, "en") == en and number(count, "nl") == nl
