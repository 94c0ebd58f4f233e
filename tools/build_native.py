"""Compile netguard/mail/_headers_native.c in place, when a C compiler and Python.h exist.

The compiled module is an optional fast path of ``netguard.mail.headers`` (issue 18); without
it NetGuard runs the pure-Python path with the same results. So a machine without a compiler
or without Python's headers gets a note, not a failure (exit 0), unless ``--require`` is given.

    python tools/build_native.py [--require]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "netguard" / "mail" / "_headers_native.c"
FLAGS = ["-O3", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror", "-fno-strict-aliasing"]


def target() -> Path:
    return SOURCE.with_name("_headers_native" + sysconfig.get_config_var("EXT_SUFFIX"))


def missing() -> str | None:
    """Why the module cannot be built here, or None."""
    if shutil.which("cc") is None:
        return "no C compiler (cc)"
    include = Path(sysconfig.get_paths()["include"])
    if not (include / "Python.h").is_file():
        return f"no Python.h in {include} (Debian: apt-get install python3-dev)"
    return None


def build() -> Path:
    out = target()
    if out.exists() and out.stat().st_mtime >= SOURCE.stat().st_mtime:
        return out
    include = sysconfig.get_paths()["include"]
    building = out.with_suffix(".building")  # then moved: a running NetGuard keeps its copy
    subprocess.run(["cc", *FLAGS, f"-I{include}", str(SOURCE), "-o", str(building)], check=True)
    building.replace(out)
    return out


def main() -> None:
    reason = missing()
    if reason is not None:
        print(f"The native header parser is not built: {reason}. NetGuard uses the pure-Python "
              "parser, with the same results.", file=sys.stderr)
        raise SystemExit(1 if "--require" in sys.argv else 0)
    print(f"Built {build().relative_to(SOURCE.parents[2])}")


if __name__ == "__main__":
    main()
