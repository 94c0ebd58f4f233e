"""An OAuth2 / OpenID Connect authorization server for tests, on loopback, written on http.server.

    server = AuthorizationServer(client_id="netguard-test").start()
    server.issuer                        # http://127.0.0.1:PORT (discovery, JWKS, authorize, token)
    server.public_key_pem, server.kid    # what Dovecot and the SMTP server validate with
    server.access_token_lifetime = 2     # seconds; settable at any time
    server.revoke(user)                  # every refresh token of ``user`` becomes invalid_grant
    server.token_requests                # [(grant_type, outcome), ...]
    server.approve_as = "b@example.test" # sign in as someone else than the login_hint

Only the authorization-code grant with PKCE S256, only loopback redirect URIs, and refresh tokens
that rotate (a used one is dead). ``/authorize`` approves at once, as the ``login_hint`` user, so
a flow runs unattended; ``response_mode=form_post`` answers with a self-posting form. Access
tokens are RS256 JWTs with ``typ`` exactly ``JWT`` (Dovecot refuses ``at+jwt``) and an ``email``
claim. Refresh tokens are long (``refresh_token_length``) to exercise the keyring's pieces.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.servers.http_reply import reply

HOST = "127.0.0.1"


@dataclass
class _Grant:
    user: str
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str


@dataclass
class _State:
    codes: dict[str, _Grant] = field(default_factory=dict)
    refresh: dict[str, _Grant] = field(default_factory=dict)  # live refresh tokens
    lock: threading.Lock = field(default_factory=threading.Lock)


class AuthorizationServer:
    """One running authorization server with its own signing key and issuer."""

    def __init__(self, client_id: str = "netguard-test", client_secret: str = "",
                 same_key_as: AuthorizationServer | None = None) -> None:
        """``same_key_as``: sign with another server's key and kid (only the issuer differs)."""
        self.client_id, self.client_secret = client_id, client_secret
        self.key = same_key_as.key if same_key_as else rsa.generate_private_key(
            public_exponent=65537, key_size=2048)
        self.kid = same_key_as.kid if same_key_as else "k" + secrets.token_hex(6)
        self.access_token_lifetime = 3600
        self.refresh_token_length = 3000
        self.approve_as = ""  # set: /authorize signs in this user, whatever login_hint says
        self.token_requests: list[tuple[str, str]] = []
        self.issued_access_tokens: list[str] = []
        self.issued_refresh_tokens: list[str] = []
        self.state = _State()
        self.httpd = ThreadingHTTPServer((HOST, 0), _handler(self))
        self.port = self.httpd.server_address[1]
        self.issuer = f"http://{HOST}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> AuthorizationServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def public_key_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def revoke(self, user: str) -> None:
        with self.state.lock:
            for token in [t for t, g in self.state.refresh.items() if g.user == user]:
                del self.state.refresh[token]

    def access_token(self, user: str, lifetime: int | None = None, issuer: str = "") -> str:
        """A signed access token for ``user`` (tests use it directly for refusal cases)."""
        now = int(time.time())
        # issued a second back, as servers do for clock skew: Dovecot refuses an `iat` later than
        # its time(), a coarse clock that can still say the previous second for a few ms after
        # time.time() has turned it
        claims = {"iss": issuer or self.issuer, "sub": user, "email": user,
                  "aud": self.client_id, "iat": now - 1, "nbf": now - 5,
                  "exp": now + (self.access_token_lifetime if lifetime is None else lifetime),
                  "scope": "openid email offline_access", "jti": secrets.token_hex(8)}
        token = jwt.encode(claims, self.key, algorithm="RS256",
                           headers={"kid": self.kid, "typ": "JWT"})
        self.issued_access_tokens.append(token)
        return token

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query", "form_post"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]}

    # the two endpoints that matter ---------------------------------------------------------

    def authorize(self, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """``(status, headers, body)``: a redirect (or form post) back to the loopback."""
        redirect = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or not _loopback_redirect(redirect):
            return 400, {}, b"unknown client or not a loopback redirect"
        if params.get("response_type") != "code" or params.get("code_challenge_method") != \
                "S256" or not params.get("code_challenge"):
            return _redirect(redirect, params, {"error": "invalid_request",
                                                "error_description": "PKCE S256 is required"})
        code = secrets.token_urlsafe(24)
        with self.state.lock:
            user = self.approve_as or params.get("login_hint", "nobody@example.test")
            self.state.codes[code] = _Grant(user,
                                            self.client_id, redirect, params["code_challenge"],
                                            params.get("scope", ""))
        return _redirect(redirect, params, {"code": code})

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant_type = form.get("grant_type", "")
        if form.get("client_id") != self.client_id or (  # a public client names itself
                self.client_secret and form.get("client_secret") != self.client_secret):
            return self._refuse(grant_type, "invalid_client")
        if grant_type == "authorization_code":
            return self._exchange(form)
        if grant_type == "refresh_token":
            return self._rotate(form)
        return self._refuse(grant_type, "unsupported_grant_type")

    def _exchange(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self.state.lock:
            grant = self.state.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if grant is None or form.get("redirect_uri") != grant.redirect_uri or \
                challenge.decode() != grant.challenge:
            return self._refuse("authorization_code", "invalid_grant")
        return self._issue("authorization_code", grant)

    def _rotate(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self.state.lock:
            grant = self.state.refresh.pop(form.get("refresh_token", ""), None)
        if grant is None:
            return self._refuse("refresh_token", "invalid_grant")
        return self._issue("refresh_token", grant)

    def _issue(self, grant_type: str, grant: _Grant) -> tuple[int, dict[str, Any]]:
        refresh = secrets.token_urlsafe(self.refresh_token_length)[:self.refresh_token_length]
        with self.state.lock:
            self.state.refresh[refresh] = grant
        self.issued_refresh_tokens.append(refresh)
        self.token_requests.append((grant_type, "ok"))
        return 200, {"access_token": self.access_token(grant.user), "token_type": "Bearer",
                     "expires_in": self.access_token_lifetime, "refresh_token": refresh,
                     "scope": grant.scope}

    def _refuse(self, grant_type: str, error: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append((grant_type, error))
        return 400, {"error": error, "error_description": f"{error} (test server)"}


def _loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def _redirect(redirect: str, params: dict[str, str],
              answer: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    answer = {**answer, "state": params.get("state", "")}
    if params.get("response_mode") == "form_post":
        fields = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
                         for k, v in answer.items())
        page = (f"<html><body onload='document.forms[0].submit()'><form method='post' "
                f"action='{html.escape(redirect)}'>{fields}</form></body></html>")
        return 200, {"Content-Type": "text/html"}, page.encode()
    return 302, {"Location": f"{redirect}?{urlencode(answer)}"}, b""


def _handler(server: AuthorizationServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, server.discovery())
            elif parts.path == "/jwks":
                self._json(200, server.jwks())
            elif parts.path == "/authorize":
                status, headers, body = server.authorize(params)
                self._send(status, headers, body)
            else:
                self._send(404, {}, b"not found")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self._send(404, {}, b"not found")
                return
            self._json(*server.token(form))

        def _json(self, status: int, data: dict[str, Any]) -> None:
            self._send(status, {"Content-Type": "application/json",
                                "Cache-Control": "no-store"}, json.dumps(data).encode())

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            reply(self, status, headers, body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


class Browser:
    """The injected system browser: an HTTP client that follows the redirect to the loopback
    receiver (and submits a form post the way a browser's onload script would)."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.pages: list[str] = []
        self.visits: list[threading.Thread] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)
        visit = threading.Thread(target=self._visit, args=(url,), daemon=True)
        self.visits.append(visit)
        visit.start()

    def last_page(self) -> str:
        """The page the browser ended on (after its visit finished)."""
        for visit in self.visits:
            visit.join(10)
        return self.pages[-1]

    def _visit(self, url: str) -> None:
        import requests

        answer = requests.get(url, allow_redirects=True, timeout=10)
        form = _form(answer.text)
        if form is not None:
            action, fields = form
            answer = requests.post(action, data=fields, timeout=10)
        self.pages.append(answer.text)


def _form(page: str) -> tuple[str, dict[str, str]] | None:
    import re

    action = re.search(r"<form method='post' action='([^']*)'>", page)
    if action is None:
        return None
    fields = dict(re.findall(r"name='([^']*)' value='([^']*)'", page))
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}
