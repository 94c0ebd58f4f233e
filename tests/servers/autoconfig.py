"""A local HTTPS server for autoconfig tests, with a throwaway CA made here by ``cryptography``.

``AutoconfigServer.start(directory)`` makes a CA and a certificate for 127.0.0.1 signed by it
(the CA's file is ``ca_file``: a client trusts it through its own SSL context, nothing is ever
unverified), serves ``pages`` (path with query -> (status, headers, body)) on a free port and
records the paths asked (``requests``). ``url(path)`` is the https URL of a path.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers.http_reply import reply

HOST = "127.0.0.1"
Page = tuple[int, dict[str, str], bytes]


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def make_ca_and_certificate(directory: Path,
                            name: str = "NetGuard test CA") -> tuple[Path, Path, Path]:
    """(ca_file, cert_file, key_file): a CA and a server certificate for 127.0.0.1 it signed."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(HOST)).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    ca_file, cert_file, key_file = (directory / "ca.pem", directory / "cert.pem",
                                    directory / "key.pem")
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_file)
    return ca_file, cert_file, key_file


@dataclass
class AutoconfigServer:
    httpd: ThreadingHTTPServer
    ca_file: Path
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, directory: Path) -> AutoconfigServer:
        ca_file, cert_file, key_file = make_ca_and_certificate(directory)
        httpd = ThreadingHTTPServer((HOST, 0), _Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        server = cls(httpd, ca_file)
        httpd.owner = server  # type: ignore[attr-defined]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return server

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"https://{HOST}:{self.port}{path}"

    def client_context(self) -> ssl.SSLContext:
        """The system's default context plus this server's CA: verification stays on."""
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=str(self.ca_file))
        return context

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()



class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        owner: AutoconfigServer = self.server.owner  # type: ignore[attr-defined]
        owner.requests.append(self.path)
        reply(self, *owner.pages.get(self.path, (404, {}, b"not here")))

    def log_message(self, format: str, *args: object) -> None:
        pass
