"""Which templates exist: bundled ones in ``resources/templates`` and the user's own.

A template file is ``NAME.LANG.j2`` (or ``NAME.j2`` for a user template) and starts with a
Jinja comment that declares it::

    {#
    situation: close-the-loop
    language: nl
    needs: reason            (values the user must give, comma-separated)
    optional: note           (values the user may give; empty when not given)
    description: One line for the template list.
    #}
    Subject: {{ last_subject | reply_subject }}

    Hoi {{ first_name }}, ...

A user template in ``<home>/templates/`` with the same name and language as a bundled one
replaces it; any other name adds a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from netguard.errors import TemplateError
from netguard.resources import resource

ANY = "any"
Source = Literal["bundled", "user"]
_HEADER = re.compile(r"\A\s*\{#-?(?P<body>.*?)-?#\}[ \t]*\n?", re.DOTALL)
_FIELD = re.compile(r"^\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$", re.MULTILINE)
_FILE = re.compile(r"^(?P<name>[A-Za-z0-9][\w-]*?)(?:\.(?P<lang>nl|en))?\.j2$")


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    language: str  # "nl" | "en" | "any" (a user NAME.j2 without a language)
    situation: str
    variables: tuple[str, ...]  # what the user fills in: needs + optional
    source: Source
    path: Path
    needs: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A template file split into its declaration, subject and body."""

    info: TemplateInfo
    subject: str
    subject_line: int
    body: str
    body_line: int


def _names(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _header(source: str) -> tuple[dict[str, str], int]:
    """The declared fields and the offset where the template proper starts."""
    match = _HEADER.match(source)
    if match is None:
        return {}, 0
    return {m["key"]: m["value"] for m in _FIELD.finditer(match["body"])}, match.end()


def describe(path: Path, source: str, origin: Source) -> TemplateInfo | None:
    """The declaration of the template file ``path``; None when the name is not a template's."""
    named = _FILE.match(path.name)
    if named is None:
        return None
    fields, _ = _header(source)
    needs, optional = _names(fields.get("needs", "")), _names(fields.get("optional", ""))
    return TemplateInfo(
        name=named["name"],
        language=named["lang"] or fields.get("language", ANY) or ANY,
        situation=fields.get("situation", named["name"]),
        variables=needs + tuple(v for v in optional if v not in needs),
        source=origin,
        path=path,
        needs=needs,
        description=fields.get("description", ""),
    )


def parse(info: TemplateInfo, source: str) -> Parsed:
    """Split ``source`` into subject and body; line numbers are those of the file."""
    _, start = _header(source)
    rest = source[start:]
    first_line = source.count("\n", 0, start) + 1
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        key, sep, subject = line.partition(":")
        if not sep or key.strip().lower() not in ("subject", "onderwerp"):
            break
        body = "\n".join(lines[index + 1:])
        return Parsed(info, subject.strip(), first_line + index, body, first_line + index + 1)
    raise TemplateError(f"{info.path}:{first_line}: the template needs a 'Subject: ...' line "
                        "before the body")


def _bundled() -> list[TemplateInfo]:
    folder = resource("templates")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        path = Path(str(entry))
        info = describe(path, entry.read_text(encoding="utf-8"), "bundled")
        if info is not None:
            found.append(info)
    return found


def _user(user_dir: Path | None) -> list[TemplateInfo]:
    if user_dir is None or not user_dir.is_dir():
        return []
    found = []
    for path in sorted(user_dir.glob("*.j2")):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            source = ""  # listed by its name; rendering it reports what is wrong
        info = describe(path, source, "user")
        if info is not None:
            found.append(info)
    return found


def list_templates(user_dir: Path | None) -> list[TemplateInfo]:
    """Every usable template: the user's, then the bundled ones they do not replace."""
    user = _user(user_dir)
    replaced = {(t.name, t.language) for t in user}
    generic = {t.name for t in user if t.language == ANY}
    bundled = [t for t in _bundled()
               if (t.name, t.language) not in replaced and t.name not in generic]
    return sorted(user + bundled, key=lambda t: (t.name, t.language, t.source))


def find(name: str, language: str, user_dir: Path | None) -> TemplateInfo:
    """The template ``name`` for ``language``: a user NAME.LANG.j2, then NAME.j2, then bundled."""
    candidates = [t for t in list_templates(user_dir) if t.name == name]
    for wanted in (language, ANY):
        for info in candidates:
            if info.language == wanted:
                return info
    known = ", ".join(sorted({t.name for t in list_templates(user_dir)}))
    if candidates:
        raise TemplateError(f"template {name!r} has no {language} version (known: {known})")
    raise TemplateError(f"no template named {name!r} (known: {known})")
