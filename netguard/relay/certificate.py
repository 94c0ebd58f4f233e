"""The relay's own TLS certificate, for STARTTLS on loopback: made once, kept in the profile.

Some mail clients (msmtp by default) send a password only over TLS. The relay offers
STARTTLS with a self-signed certificate for ``localhost``, ``127.0.0.1`` and ``::1``; the
key is written readable by the owner only. A client trusts it by its file (``cert_file``)
or its SHA-256 fingerprint (``fingerprint``).
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netguard.errors import ConfigError, os_reason

CERT_NAME, KEY_NAME = "relay-cert.pem", "relay-key.pem"
VALID_DAYS = 3650


def ensure(folder: Path) -> tuple[Path, Path]:
    """``(cert, key)`` in ``folder``, made now if missing or expired."""
    cert, key = folder / CERT_NAME, folder / KEY_NAME
    try:
        if not (cert.exists() and key.exists() and _current(cert)):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _make(cert, key)
    except OSError as err:
        raise ConfigError(f"The relay cannot keep its TLS certificate in {folder}: "
                          f"{os_reason(err)}. Make the folder writable for you.") from None
    return cert, key


def server_context(folder: Path) -> ssl.SSLContext:
    cert, key = ensure(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def fingerprint(cert: Path) -> str:
    """SHA-256 of the certificate, ``AB:CD:...`` as msmtp's ``tls_fingerprint`` takes it."""
    loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    return loaded.fingerprint(hashes.SHA256()).hex(":").upper()


def _current(cert: Path) -> bool:
    try:
        loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    except ValueError:
        return False
    return loaded.not_valid_after_utc > datetime.now(UTC) + timedelta(days=1)


def _make(cert: Path, key: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "NetGuard relay")])
    now = datetime.now(UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
             x509.IPAddress(ipaddress.ip_address("::1"))]
    built = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(private, hashes.SHA256())
    )
    _write_private(key, private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    _write_private(cert, built.public_bytes(serialization.Encoding.PEM))


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a new file created with mode 0600."""
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    tmp.replace(path)
