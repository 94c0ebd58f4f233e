"""What the native host answers: the guard and the lint for a draft, or the close-the-loop text.

Requests (SPEC §6 shapes inside):
``{"type": "check", "from": str, "to": [str], "cc": [str], "body": str, "closing_for": [str],
"lint": bool}`` and ``{"type": "close_loop", "to": str}``. The lint (≈0.6 s of pattern
building in a fresh process) runs only when the guard warns or ``lint`` asks for it, so a
clear send is answered by the guard alone. Answers carry ``"ok": true``, or ``"ok": false``
with an ``error`` code and a ``message`` in the user's language. Nothing is written.
"""

from __future__ import annotations

from typing import Any

from netguard.analysis.context import recipient_context
from netguard.analysis.guard import check
from netguard.analysis.serialize import recipient_to_json
from netguard.relay.decide import is_mine
from netguard.store.people import my_names
from netguard.texts import language, text
from netguard.workspace import Workspace

FINDINGS_LIMIT = 50  # keeps an answer far under the 1 MiB a host may send


class BadRequest(ValueError):
    """A request that is JSON but not one we understand."""


def error(code: str, lang: str, **values: object) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": text("thunderbird", lang, code, **values)}


def answer(request: dict[str, Any], workspace: Workspace) -> dict[str, Any]:
    lang = language(workspace.settings.language)
    kind = request.get("type")
    if kind == "ping":
        return {"ok": True, "type": "ping", "lang": lang}
    if kind not in ("check", "close_loop"):
        raise BadRequest(f"unknown request type {kind!r}")
    if not workspace.profile.database.exists():
        return error("no_store", lang)
    if kind == "check":
        return _check(request, workspace, lang)
    return _close_loop(_address(request.get("to")), workspace, lang)


def _check(request: dict[str, Any], workspace: Workspace, lang: str) -> dict[str, Any]:
    to, cc = _addresses(request, "to"), _addresses(request, "cc")
    sender, body = _string(request, "from"), _string(request, "body")
    settings, conn = workspace.settings, workspace.store
    base = {"ok": True, "type": "check", "lang": lang}
    if sender and not is_mine(conn, settings, sender):
        note = text("thunderbird", lang, "not_my_identity", sender=sender)
        return {**base, "verdict": "clear", "judged": False, "note": note, "recipients": [],
                "lint": None}
    verdict = check(conn, settings.rules, to, cc, lang=lang,
                    closing_for=_addresses(request, "closing_for"))
    wanted = verdict.warn or request.get("lint") is True
    notes = _lint(workspace, body, to) if wanted else None
    return {**base, "verdict": "warn" if verdict.warn else "clear", "judged": True,
            "recipients": [recipient_to_json(r) for r in verdict.recipients], "lint": notes}


def _lint(workspace: Workspace, body: str, to: list[str]) -> dict[str, Any]:
    from netguard.lint.engine import lint  # only when needed: see above
    from netguard.lint.serialize import result_to_json
    conn, settings = workspace.store, workspace.settings
    contexts = [recipient_context(conn, settings.rules, address) for address in to]
    found = result_to_json(lint(body, recipients=contexts, competitors=settings.lint.competitors,
                                my_names=my_names(conn)))
    found["findings"] = found["findings"][:FINDINGS_LIMIT]
    return found


def _close_loop(address: str, workspace: Workspace, lang: str) -> dict[str, Any]:
    from netguard.drafting.templates import render, template_context
    ctx = recipient_context(workspace.store, workspace.settings.rules, address)
    names = my_names(workspace.store)
    draft = render("close-the-loop", lang, template_context(ctx, names[0] if names else "", {}),
                   workspace.profile.templates_dir)
    return {"ok": True, "type": "close_loop", "lang": draft.language, "to": address,
            "subject": draft.subject, "body": draft.body}


def _string(request: dict[str, Any], key: str) -> str:
    value = request.get(key, "")
    if not isinstance(value, str):
        raise BadRequest(f"{key!r} must be a string")
    return value


def _address(value: object) -> str:
    if not isinstance(value, str) or "@" not in value:
        raise BadRequest("an address must be a string with an @")
    return value.strip()


def _addresses(request: dict[str, Any], key: str) -> list[str]:
    value = request.get(key, [])
    if not isinstance(value, list):
        raise BadRequest(f"{key!r} must be a list of addresses")
    return [_address(item) for item in value]
