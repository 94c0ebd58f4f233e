"""imap_errors(): imapclient/imaplib/socket failures become known errors naming command + folder."""

from __future__ import annotations

import pytest
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from netguard.errors import NetworkError, ServerError
from netguard.mail.connection import imap_errors, is_loopback, normalize_fingerprint


def test_no_or_bad_names_command_and_folder() -> None:
    with pytest.raises(ServerError, match=r"EXAMINE \(Verzonden items\).*NONEXISTENT"), \
            imap_errors("EXAMINE", "Verzonden items"):
        raise IMAPClientError(b"[NONEXISTENT] Mailbox doesn't exist")


@pytest.mark.parametrize("failure", [IMAPClientAbortError("socket error: EOF"),
                                     TimeoutError("timed out"), ConnectionResetError(104)])
def test_drops_and_timeouts_are_network_errors(failure: Exception) -> None:
    with pytest.raises(NetworkError, match=r"imap\.example\.org"), \
            imap_errors("UID FETCH", "INBOX", "imap.example.org"):
        raise failure


def test_fingerprints_and_loopback() -> None:
    assert normalize_fingerprint("ab:cd:EF") == "ABCDEF"
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("imap.example.org")
