"""``netguard native-host``: answer Thunderbird's requests on stdin/stdout until it hangs up.

Every request gets one answer. A malformed or oversized request, a store that cannot be
read or a bug in an answer is an ``"ok": false`` answer, never a crash: the add-on must
always hear back, so that it can let the mail go.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any, BinaryIO

from netguard.errors import KnownError
from netguard.thunderbird.answers import BadRequest, error
from netguard.thunderbird.framing import FrameError, StreamEnded, read_message, write_message

log = logging.getLogger(__name__)
Answer = Callable[[dict[str, Any]], dict[str, Any]]


def serve(stdin: BinaryIO, stdout: BinaryIO, answer: Answer, lang: str) -> int:
    """Answer requests until stdin ends; the number of requests answered."""
    count = 0
    while True:
        try:
            request = read_message(stdin)
        except StreamEnded:
            return count
        except FrameError as err:
            log.warning("Malformed request: %s", err)
            write_message(stdout, error("malformed", lang, detail=str(err)))
        else:
            _reply(stdout, _safe_answer(answer, request, lang), lang)
        count += 1


def _reply(stdout: BinaryIO, data: dict[str, Any], lang: str) -> None:
    try:
        write_message(stdout, data)
    except ValueError:
        log.exception("An answer was too large to send")
        write_message(stdout, error("internal", lang))


def _safe_answer(answer: Answer, request: dict[str, Any], lang: str) -> dict[str, Any]:
    try:
        return answer(request)
    except BadRequest as err:
        return error("malformed", lang, detail=str(err))
    except KnownError as err:
        return {"ok": False, "error": "known", "message": str(err)}
    except sqlite3.Error as err:
        log.warning("The store could not be read: %s", err)
        return error("store_unreadable", lang, detail=str(err))
    except Exception:
        log.exception("Unexpected error answering %r", request.get("type"))
        return error("internal", lang)
