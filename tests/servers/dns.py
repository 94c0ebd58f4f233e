"""A local DNS server for MX tests: dnslib's ``DNSServer`` on 127.0.0.1 and a free UDP port.

``MxServer.start({"example.nl": ["x.mail.protection.outlook.com"]})`` answers MX queries for
those domains (preference 10, 20, ... in list order) and NXDOMAIN for anything else; ``queries``
lists the names asked. Never the internet: the resolver under test is pointed at ``port``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dnslib import MX, QTYPE, RCODE, RR, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSServer

HOST = "127.0.0.1"


@dataclass
class MxServer:
    records: dict[str, list[str]]
    queries: list[str] = field(default_factory=list)
    server: DNSServer | None = None

    @classmethod
    def start(cls, records: dict[str, list[str]]) -> MxServer:
        mx = cls(records)
        mx.server = DNSServer(_Resolver(mx), port=0, address=HOST, logger=_Quiet())
        mx.server.start_thread()
        return mx

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server.server_address[1])

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server.server.server_close()


class _Resolver(BaseResolver):  # type: ignore[misc]
    def __init__(self, owner: MxServer) -> None:
        self.owner = owner

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        name = str(request.q.qname).rstrip(".").lower()
        self.owner.queries.append(name)
        reply = request.reply()
        hosts = self.owner.records.get(name)
        if hosts is None:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.MX:
            for index, host in enumerate(hosts, start=1):
                reply.add_answer(RR(request.q.qname, QTYPE.MX, rdata=MX(host, 10 * index),
                                    ttl=60))
        return reply


class _Quiet:
    """dnslib's logger, silenced."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None
