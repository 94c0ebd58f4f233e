"""The loopback redirect receiver (RFC 8252 §7.3): where the browser lands after signing in.

A small ``http.server`` on 127.0.0.1 with a port the system picks, in a thread. It takes the
authorization answer as a plain GET redirect (``?code=...&state=...``) or as a form post
(``response_mode=form_post``), checks ``state``, answers the browser with a page saying the
window can be closed, and hands the parameters to ``wait()``. Answers with another state are
turned away and the wait goes on.
"""

from __future__ import annotations

import html
import queue
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from netguard.errors import AuthError
from netguard.texts import language, text

HOST = "127.0.0.1"
MAX_FORM = 64 * 1024
_PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>NetGuard</title></head>"
         "<body style='font-family:sans-serif;margin:3em'><h1>NetGuard</h1><p>{}</p></body></html>")


class LoopbackReceiver:
    """``with LoopbackReceiver(state) as receiver:`` -> ``receiver.port``, ``receiver.wait()``."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.answers: queue.Queue[dict[str, str]] = queue.Queue()
        self.server = HTTPServer((HOST, 0), _handler(self))
        self.port: int = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       name="oauth-loopback", daemon=True)

    def __enter__(self) -> LoopbackReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def accept(self, params: dict[str, str]) -> bool:
        """Called by the handler: take the answer if its state is ours."""
        if params.get("state") != self.state:
            return False
        self.answers.put(params)
        return True

    def wait(self, timeout: float, cancelled: Callable[[], bool] = lambda: False) -> dict[str, str]:
        """The authorization answer; ``AuthError`` on timeout or when ``cancelled()``."""
        waited = 0.0
        while waited < timeout:
            if cancelled():
                raise AuthError(_say("oauth_cancelled"))
            try:
                return self.answers.get(timeout=min(0.25, timeout - waited))
            except queue.Empty:
                waited += 0.25
        raise AuthError(_say("oauth_timeout", minutes=round(timeout / 60) or 1))


def _handler(receiver: LoopbackReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(parse_qs(urlsplit(self.path).query))

        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_FORM)
            body = self.rfile.read(length).decode("utf-8", "replace")
            self._answer(parse_qs(body))

        def _answer(self, raw: dict[str, list[str]]) -> None:
            params = {key: values[0] for key, values in raw.items() if values}
            if not ({"code", "error"} & params.keys()):
                self._page(404, _say("oauth_page_unknown"))
            elif receiver.accept(params):
                key = "oauth_page_error" if "error" in params else "oauth_page_done"
                self._page(200, _say(key))
            else:
                self._page(400, _say("oauth_page_unknown"))

        def _page(self, status: int, message: str) -> None:
            body = _PAGE.format(html.escape(message)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Silent: the query holds the authorization code."""

    return Handler


def _say(key: str, **values: object) -> str:
    return text("account", language(), key, **values)
