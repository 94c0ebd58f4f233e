"""Parsing Mozilla's config-v1.1.xml: the shapes the ISPDB uses, and hostile documents refused.

The samples follow the ISPDB files they are named after (thunderbird/autoconfig, ispdb/): their
servers, ports, socket types, authentication lists and user-name placeholders.
"""

from __future__ import annotations

import pytest

from netguard.accounts.autoconfig import MAX_BYTES, Refused, parse
from netguard.accounts.detected import Server, Source

# kpnmail.nl.xml: two IMAP servers (SSL on 993, STARTTLS on 143), POP3 too, two SMTP servers.
KPN = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="kpnmail.nl">
    <domain>kpnmail.nl</domain>
    <displayName>KPN E-mail</displayName>
    <incomingServer type="pop3">
      <hostname>pop.kpnmail.nl</hostname><port>995</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.kpnmail.nl</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.kpnmail.nl</hostname><port>143</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.kpnmail.nl</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.kpnmail.nl</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""

# office365.com.xml: OAuth2 only, Exchange servers beside IMAP, an <oAuth2> issuer.
OFFICE365 = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="office365.com">
    <domain>mail.protection.outlook.com</domain>
    <displayName>Microsoft 365</displayName>
    <incomingServer type="exchange">
      <hostname>outlook.office365.com</hostname><port>443</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>outlook.office365.com</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>OAuth2</authentication><username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.office365.com</hostname><port>587</port><socketType>STARTTLS</socketType>
      <authentication>OAuth2</authentication><username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
  <oAuth2>
    <issuer>login.microsoftonline.com</issuer>
    <scope>https://outlook.office365.com/IMAP.AccessAsUser.All offline_access</scope>
  </oAuth2>
</clientConfig>
"""

# googlemail.com.xml: OAuth2 and password-cleartext for the same servers.
GOOGLE = b"""<clientConfig version="1.1"><emailProvider id="googlemail.com">
  <displayName>Google Mail</displayName>
  <incomingServer type="imap"><hostname>imap.gmail.com</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
    <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
  </incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.gmail.com</hostname><port>465</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
    <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
  </outgoingServer>
</emailProvider><oAuth2><issuer>accounts.google.com</issuer></oAuth2></clientConfig>"""

# zeelandnet.nl.xml: one host for everything, the user name is the local part.
ZEELANDNET = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="zeelandnet.nl">
  <incomingServer type="imap"><hostname>mail.zeelandnet.nl</hostname><port>993</port>
    <socketType>SSL</socketType><authentication>password-cleartext</authentication>
    <username>%EMAILLOCALPART%</username></incomingServer>
  <outgoingServer type="smtp"><hostname>mail.zeelandnet.nl</hostname><port>465</port>
    <socketType>SSL</socketType><authentication>password-cleartext</authentication>
    <username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>"""


def test_kpn_prefers_implicit_tls_and_skips_pop3() -> None:
    found = parse(KPN, "jan@kpnmail.nl", "https://autoconfig.kpnmail.nl/x")
    assert found.imap == Server("imap.kpnmail.nl", 993, "ssl")
    assert found.smtp == Server("smtp.kpnmail.nl", 465, "ssl")
    assert (found.user, found.login, found.oauth_provider) == ("jan@kpnmail.nl", "password", "")
    assert (found.source, found.where, found.provider) == (
        Source.AUTOCONFIG, "https://autoconfig.kpnmail.nl/x", "KPN E-mail")


def test_microsoft_365_is_oauth2_with_microsoft() -> None:
    found = parse(OFFICE365, "an@bedrijf.nl", "u")
    assert found.imap == Server("outlook.office365.com", 993, "ssl")  # not the Exchange one
    assert found.smtp == Server("smtp.office365.com", 587, "starttls")
    assert (found.login, found.oauth_provider) == ("oauth2", "microsoft")


def test_google_offers_both_and_oauth2_wins() -> None:
    found = parse(GOOGLE, "an@bedrijf.nl", "u")
    assert (found.login, found.oauth_provider) == ("oauth2", "google")


def test_oauth2_from_an_unknown_issuer_falls_back_to_a_listed_password() -> None:
    other = GOOGLE.replace(b"accounts.google.com", b"login.example.org").replace(
        b"imap.gmail.com", b"imap.example.org")
    assert parse(other, "an@example.org", "u").login == "password"
    only = other.replace(b"<authentication>password-cleartext</authentication>", b"")
    assert (parse(only, "an@example.org", "u").login,
            parse(only, "an@example.org", "u").oauth_provider) == ("oauth2", "")


def test_local_part_placeholder() -> None:
    found = parse(ZEELANDNET, "piet@zeelandnet.nl", "u")
    assert found.user == "piet"
    assert found.imap == Server("mail.zeelandnet.nl", 993, "ssl")


def test_plain_only_is_taken_but_encrypted_first() -> None:
    plain_first = KPN.replace(b"<port>143</port><socketType>STARTTLS", b"<port>143</port>"
                              b"<socketType>plain")
    assert parse(plain_first, "a@kpnmail.nl", "u").imap.security == "ssl"
    only_plain = ZEELANDNET.replace(b"<socketType>SSL</socketType>",
                                    b"<socketType>plain</socketType>")
    assert parse(only_plain, "a@zeelandnet.nl", "u").imap.security == "plain"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE clientConfig [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig version="1.1"><emailProvider id="x"><displayName>&lol3;</displayName>
</emailProvider></clientConfig>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!doctype clientConfig SYSTEM "file:///etc/passwd">
<clientConfig version="1.1"/>"""


@pytest.mark.parametrize(("document", "reason"), [
    (BILLION_LAUGHS, "document type or entities"),
    (EXTERNAL_ENTITY, "document type or entities"),
    (KPN.replace(b"<clientConfig", b"<!ENTITY x 'y'><clientConfig"), "document type or entities"),
    (b"<html><body>Not found</body></html>", "not a clientConfig"),
    (b"<clientConfig><emailProvider>", "not well-formed"),
    (KPN.replace(b'type="imap"', b'type="pop3"'), "no IMAP server"),
    (ZEELANDNET.replace(b'type="smtp"', b'type="ews"'), "no SMTP server"),
    (ZEELANDNET.replace(b"<port>993</port>", b"<port>99999</port>"), "bad port"),
    (ZEELANDNET.replace(b"<socketType>SSL</socketType>", b"<socketType>magic</socketType>"),
     "no IMAP server"),
])
def test_unusable_or_hostile_documents_are_refused(document: bytes, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        parse(document, "a@example.nl", "u")


def test_size_cap() -> None:
    padding = b"<!-- " + b"x" * MAX_BYTES + b" -->"
    with pytest.raises(Refused, match="larger than 256 KB"):
        parse(KPN.replace(b"</clientConfig>", padding + b"</clientConfig>"), "a@kpnmail.nl", "u")
    room = MAX_BYTES - len(KPN) - 20
    fits = KPN.replace(b"</clientConfig>", b"<!-- " + b"x" * room + b" --></clientConfig>")
    assert parse(fits, "a@kpnmail.nl", "u").imap.host == "imap.kpnmail.nl"
