"""Rendering a template to a draft, with every failure a ``TemplateError`` naming file and line."""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Template
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaError

from netguard.drafting.catalog import ANY, Parsed, TemplateInfo, find, parse
from netguard.drafting.sandbox import environment
from netguard.errors import TemplateError

_MARK = "<netguard-template>"
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class Draft:
    template: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class _Compiled:
    parsed: Parsed
    subject: Template
    body: Template


def _compile_part(info: TemplateInfo, source: str, first_line: int) -> Template:
    # Leading newlines keep Jinja's line numbers equal to the file's.
    padded = "\n" * (first_line - 1) + source
    try:
        code = environment().compile(padded, name=info.name, filename=_MARK)
    except TemplateSyntaxError as err:
        raise TemplateError(f"{info.path}:{err.lineno}: {err.message}") from None
    return environment().template_class.from_code(environment(), code,
                                                  environment().make_globals(None))


@lru_cache(maxsize=64)
def _compiled(info: TemplateInfo, mtime_ns: int) -> _Compiled:
    try:
        source = info.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise TemplateError(f"{info.path}: cannot read this template: {err}") from err
    parsed = parse(info, source)
    return _Compiled(parsed, _compile_part(info, parsed.subject, parsed.subject_line),
                     _compile_part(info, parsed.body, parsed.body_line))


def _line(err: BaseException) -> int:
    lines = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == _MARK]
    return lines[-1] if lines and lines[-1] is not None else 0


def _run(template: Template, info: TemplateInfo, values: Mapping[str, object]) -> str:
    try:
        return template.render(dict(values))
    except SecurityError as err:
        raise TemplateError(f"{info.path}:{_line(err)}: security error: the template tried to "
                            f"reach something the sandbox does not allow ({err})") from None
    except UndefinedError as err:
        raise TemplateError(f"{info.path}:{_line(err)}: missing variable: {err}") from None
    except (JinjaError, ArithmeticError, TypeError, ValueError, LookupError) as err:
        raise TemplateError(f"{info.path}:{_line(err)}: {err}") from None


def _missing(info: TemplateInfo, values: Mapping[str, object]) -> None:
    for name in info.needs:
        if not str(values.get(name, "") or "").strip():
            raise TemplateError(f"template {info.name!r} ({info.path}) needs a value for the "
                                f"variable {name!r}; give it with --set {name}=...")


def render(name: str, language: str, values: Mapping[str, object],
           user_dir: Path | None) -> Draft:
    """Render template ``name`` in ``language`` with ``values`` (see ``template_context``)."""
    info = find(name, language, user_dir)
    _missing(info, values)
    full = {**{v: "" for v in info.variables if v not in info.needs}, **values}
    try:
        mtime = info.path.stat().st_mtime_ns
    except OSError as err:
        raise TemplateError(f"{info.path}: cannot read this template: {err}") from err
    compiled = _compiled(info, mtime)
    subject = " ".join(_run(compiled.subject, info, full).split())
    body = _BLANK_LINES.sub("\n\n", _run(compiled.body, info, full)).strip("\n") + "\n"
    return Draft(info.name, language if info.language == ANY else info.language, subject, body)
