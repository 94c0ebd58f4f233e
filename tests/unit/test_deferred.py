"""netguard.deferred: a module stood in for loads on first use, once, with every behaviour."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from netguard.deferred import defer


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """A package ``lazy_pkg`` with a module ``lazy_pkg.heavy`` that records each run of itself."""
    root = tmp_path / "lazy_pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "heavy.py").write_text(
        "from pathlib import Path\n"
        f"runs = Path({str(tmp_path / 'runs')!r})\n"
        "runs.write_text(runs.read_text() + 'x' if runs.exists() else 'x')\n"
        "def answer() -> int:\n    return 42\n")
    (root / "user.py").write_text("from lazy_pkg import heavy\n")  # imports it, uses nothing
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("lazy_pkg")]:
            del sys.modules[name]


def test_an_import_finds_the_stand_in_and_a_use_loads_the_module(package: Path) -> None:
    defer("lazy_pkg.heavy")
    user = importlib.import_module("lazy_pkg.user")

    assert not (package / "runs").exists()  # imported by user, not run
    assert user.heavy.answer() == 42
    assert (package / "runs").read_text() == "x"
    assert type(sys.modules["lazy_pkg.heavy"]).__name__ == "module"


def test_uses_from_many_threads_run_the_module_once(package: Path) -> None:
    defer("lazy_pkg.heavy")
    user = importlib.import_module("lazy_pkg.user")

    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(user.heavy.answer()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 8
    assert (package / "runs").read_text() == "x"


def test_a_module_that_is_not_there_still_fails_to_import(package: Path) -> None:
    defer("lazy_pkg.absent", "no_such_package_anywhere")
    for name in ("lazy_pkg.absent", "no_such_package_anywhere"):
        with pytest.raises(ImportError):
            importlib.import_module(name)


def test_a_module_already_imported_is_left_alone(package: Path) -> None:
    heavy = importlib.import_module("lazy_pkg.heavy")
    defer("lazy_pkg.heavy")
    assert sys.modules["lazy_pkg.heavy"] is heavy


def test_an_import_statement_that_finds_the_stand_in_does_not_load_it(package: Path) -> None:
    # What keyring's own `import urllib.request` does; the stdlib's LazyLoader loads the module
    # here (the import reads its __spec__), which is why it is not used (see the docstring).
    defer("lazy_pkg.heavy")
    exec("import lazy_pkg.heavy", {})
    importlib.import_module("lazy_pkg.heavy")

    assert not (package / "runs").exists()
