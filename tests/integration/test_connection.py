"""connect(): security modes, certificate verification, pinning, and one login attempt."""

from __future__ import annotations

import pytest

from netguard.errors import AuthError, CertificateError, NetworkError
from netguard.mail.connection import connect, fingerprint, peer_certificate
from tests.integration.conftest import DovecotAccount


@pytest.mark.parametrize("security", ["plain", "starttls"])
def test_plain_and_starttls_log_in(dovecot: DovecotAccount, security: str) -> None:
    account = dovecot.account(security, ca_file=str(dovecot.ca_file))
    with connect(account, dovecot.password) as client:
        assert client.folder_exists("Sent")


def test_ssl_with_ca_file_logs_in(dovecot: DovecotAccount) -> None:
    with connect(dovecot.account("ssl", ca_file=str(dovecot.ca_file)), dovecot.password) as client:
        assert client.folder_exists("INBOX")


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_self_signed_names_the_fingerprint(dovecot: DovecotAccount, security: str) -> None:
    account = dovecot.account(security)
    expected = fingerprint(peer_certificate(account))
    with pytest.raises(CertificateError) as caught:
        connect(account, dovecot.password)
    message = str(caught.value)
    assert dovecot.host in message
    assert expected in message
    assert "--pin-fingerprint" in message
    assert "--ca-file" in message
    assert caught.value.fingerprint == expected


def test_pinned_fingerprint_is_trusted(dovecot: DovecotAccount) -> None:
    pin = fingerprint(peer_certificate(dovecot.account("ssl"))).replace(":", "").lower()
    with connect(dovecot.account("ssl", pinned_fingerprint=pin), dovecot.password) as client:
        assert client.folder_exists("INBOX")


def test_wrong_pin_is_refused(dovecot: DovecotAccount) -> None:
    with pytest.raises(CertificateError, match="not the pinned"):
        connect(dovecot.account("ssl", pinned_fingerprint="AB" * 32), dovecot.password)


def test_wrong_password_is_one_clear_error_and_one_attempt(dovecot: DovecotAccount) -> None:
    with pytest.raises(AuthError) as caught:
        connect(dovecot.account("plain"), "not-the-password")
    assert dovecot.user in str(caught.value)
    assert "not-the-password" not in str(caught.value)
    assert dovecot.login_attempts() == 1


def test_closed_port_is_a_network_error(dovecot: DovecotAccount) -> None:
    from tests.servers.dovecot import free_port

    with pytest.raises(NetworkError, match="Cannot reach"):
        connect(dovecot.account("plain", port=free_port()), dovecot.password)
