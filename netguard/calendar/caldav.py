"""Publishing the networking hour to a CalDAV calendar (RFC 4791): one HTTP PUT of the event
as ``<uid>.ics`` in the calendar collection. The same UID is the same resource, so each week's
publish replaces the event in place and never adds a second one. Nextcloud, Fastmail, iCloud
and Radicale accept it; the password comes from the keyring."""

from __future__ import annotations

import base64
import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from netguard.errors import AuthError, ConfigError, NetworkError, ServerError
from netguard.texts import language, text


@dataclass(frozen=True, slots=True)
class Target:
    url: str  # the calendar collection
    user: str
    password: str
    ca_file: str = ""
    timeout: float = 30.0


def keyring_key(url: str, user: str) -> str:
    """The keyring entry of a CalDAV login: apart from the mail account's, even for one user."""
    return f"caldav:{user}@{urlsplit(url).netloc}"


def event_url(collection: str, uid: str) -> str:
    return collection.rstrip("/") + "/" + quote(uid, safe="@.-_") + ".ics"


def publish(target: Target, uid: str, ics: str) -> bool:
    """PUT the event; True when it was new, False when it replaced the one already there."""
    parts = urlsplit(event_url(target.url, uid))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(_say("caldav_not_http", url=target.url))
    token = base64.b64encode(f"{target.user}:{target.password}".encode()).decode()
    headers = {"Content-Type": "text/calendar; charset=utf-8", "Authorization": f"Basic {token}"}
    connection = _connect(parts.scheme, parts.hostname, parts.port, target)
    try:
        connection.request("PUT", parts.path, body=ics.encode("utf-8"), headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as err:
        raise NetworkError(_say("caldav_unreachable", url=target.url, reason=err)) from None
    finally:
        connection.close()
    if status not in (200, 201, 204):
        raise _http_error(target, status)
    return status == 201


def _connect(scheme: str, host: str, port: int | None,
             target: Target) -> http.client.HTTPConnection:
    if scheme == "http":
        return http.client.HTTPConnection(host, port, timeout=target.timeout)
    context = ssl.create_default_context(cafile=target.ca_file or None)
    return http.client.HTTPSConnection(host, port, timeout=target.timeout, context=context)


def _http_error(target: Target, code: int) -> Exception:
    values = {"url": target.url, "user": target.user, "code": code}
    if code in (401, 403):
        return AuthError(_say("caldav_refused", **values))
    if code in (404, 409):
        return ConfigError(_say("caldav_no_calendar", **values))
    return ServerError(_say("caldav_http", **values))


def _say(key: str, **values: object) -> str:
    return text("review", language(), key, **values)
