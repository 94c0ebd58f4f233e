"""Suite-wide rules: offscreen Qt, an in-memory keyring, a private profile per test, and
in CI, no skipped test passes as green and property tests draw the same examples each run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings

from tests.keyrings import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# In CI the property tests draw the same examples every run, so whether a change lands never
# hangs on a lucky draw; elsewhere they explore new examples each run (and find what CI would).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
CORPUS = Path(__file__).resolve().parent / "data" / "corpora" / "mime"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh NETGUARD_HOME for this test."""
    profile = tmp_path / "home"
    monkeypatch.setenv("NETGUARD_HOME", str(profile))
    return profile


@pytest.fixture(scope="session")
def corpora() -> Path:
    """Real malformed mail (a copy of shared/corpora/mime; sources and licences in its README)."""
    if not CORPUS.is_dir():
        pytest.fail(f"the mail corpus is missing at {CORPUS}")
    return CORPUS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts:
            item.add_marker(pytest.mark.gui)
        if "integration" in parts:
            item.add_marker(pytest.mark.integration)
        if "e2e" in parts:
            item.add_marker(pytest.mark.thunderbird)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"
