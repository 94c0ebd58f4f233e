"""Mozilla's autoconfig (``config-v1.1.xml``, the format Thunderbird reads), fetched and parsed.

Fetched over HTTPS only, with verified certificates (the context is injectable so tests can
trust their own CA), a short timeout and a size cap. The XML comes from a server we do not
control: a document type or entity declaration is refused before parsing.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET  # DTDs and entities are refused before parsing
from collections.abc import Iterable
from typing import cast

from netguard.accounts.detected import Detected, Login, OAuthProvider, Security, Server, Source

log = logging.getLogger(__name__)
MAX_BYTES = 256 * 1024
SECURITY = {"ssl": "ssl", "tls": "ssl", "starttls": "starttls", "plain": "plain"}
PASSWORD_AUTH = {"password-cleartext", "password-encrypted", "plain", "secure"}
OAUTH_ISSUERS = {"login.microsoftonline.com": "microsoft", "accounts.google.com": "google"}
OAUTH_HOSTS = {"outlook.office365.com": "microsoft", "imap.gmail.com": "google"}


class Refused(ValueError):
    """The document is not a usable autoconfig file (too large, a DTD, no IMAP/SMTP, ...)."""


def lookup(address: str, domain: str, urls: Iterable[str], context: ssl.SSLContext,
           timeout: float) -> Detected | None:
    """The first URL that answers with a usable config, or None; failures are logged, not raised."""
    for template in urls:
        url = template.format(domain=domain, email=urllib.parse.quote(address.strip(), safe="@"))
        try:
            return parse(fetch(url, context, timeout), address, url)
        except (OSError, ValueError, http.client.HTTPException) as err:
            # URLError, timeouts and TLS failures are OSErrors; Refused is a ValueError;
            # a server that garbles HTTP raises HTTPException
            log.info("autoconfig %s: %s", url, err)
    return None


def fetch(url: str, context: ssl.SSLContext, timeout: float) -> bytes:
    """GET ``url`` (HTTPS only, redirects only to HTTPS), at most ``MAX_BYTES``."""
    if urllib.parse.urlsplit(url).scheme != "https":
        raise Refused(f"not an https URL: {url}")
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         _HttpsOnlyRedirects())
    deadline = time.monotonic() + timeout
    with opener.open(url, timeout=timeout) as response:
        return _read_capped(response, deadline)


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The body, refused beyond ``MAX_BYTES`` or past ``deadline`` (a server dripping bytes)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(16384):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise Refused(f"larger than {MAX_BYTES // 1024} KB")
        if time.monotonic() > deadline:
            raise Refused("too slow")
    return b"".join(chunks)


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(  # noqa: PLR0917 - the signature of the method it overrides
            self, req: urllib.request.Request, fp: object, code: int, msg: str,
            headers: object, newurl: str) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme != "https":
            raise Refused(f"redirect away from https: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def parse(data: bytes, address: str, where: str) -> Detected:
    """The IMAP and SMTP settings of a ``config-v1.1.xml`` document for ``address``."""
    if len(data) > MAX_BYTES:
        raise Refused(f"larger than {MAX_BYTES // 1024} KB")
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise Refused("declares a document type or entities")
    try:
        root = ET.fromstring(data)  # noqa: S314 - see above
    except ET.ParseError as err:
        raise Refused(f"not well-formed XML: {err}") from err
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        raise Refused("not a clientConfig document")
    imap = _best(provider.findall("incomingServer[@type='imap']"), "IMAP")
    smtp = _best(provider.findall("outgoingServer[@type='smtp']"), "SMTP")
    fill = _Placeholders(address)
    login, oauth = _login(root, imap)
    return Detected(
        address=address.strip(), imap=_server(imap, fill), smtp=_server(smtp, fill),
        user=fill(imap.findtext("username", "%EMAILADDRESS%")), login=login,
        source=Source.AUTOCONFIG, where=where, provider=provider.findtext("displayName", ""),
        oauth_provider=oauth)


def _best(servers: list[ET.Element], kind: str) -> ET.Element:
    """The first encrypted server, else the first one at all."""
    usable = [s for s in servers if _security(s) and s.findtext("hostname", "").strip()]
    if not usable:
        raise Refused(f"no {kind} server")
    return next((s for s in usable if _security(s) != "plain"), usable[0])


def _security(server: ET.Element) -> str:
    return SECURITY.get(server.findtext("socketType", "").strip().lower(), "")


def _server(element: ET.Element, fill: _Placeholders) -> Server:
    port = element.findtext("port", "").strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise Refused(f"bad port {port!r}")
    host = fill(element.findtext("hostname", "")).strip()
    return Server(host, int(port), cast(Security, _security(element)))


def _login(root: ET.Element, imap: ET.Element) -> tuple[Login, OAuthProvider]:
    methods = {(a.text or "").strip().lower() for a in imap.findall("authentication")}
    issuer = root.findtext("oAuth2/issuer", "").strip().lower()
    host = imap.findtext("hostname", "").strip().lower()
    known = OAUTH_ISSUERS.get(issuer) or OAUTH_HOSTS.get(host, "")
    if "oauth2" in methods and known:
        return "oauth2", cast(OAuthProvider, known)
    if methods & PASSWORD_AUTH or not methods:
        return "password", ""
    return ("oauth2", "") if "oauth2" in methods else ("password", "")


class _Placeholders:
    """Thunderbird's ``%EMAILADDRESS%``, ``%EMAILLOCALPART%`` and ``%EMAILDOMAIN%``."""

    def __init__(self, address: str) -> None:
        local, _at, domain = address.strip().rpartition("@")
        self.values = {"%EMAILADDRESS%": address.strip(), "%EMAILLOCALPART%": local,
                       "%EMAILDOMAIN%": domain}

    def __call__(self, value: str) -> str:
        for key, replacement in self.values.items():
            value = value.replace(key, replacement)
        return value.strip()
