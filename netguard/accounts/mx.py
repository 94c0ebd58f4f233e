"""The MX hosts of a domain (dnspython), best preference first; none when DNS does not answer."""

from __future__ import annotations

import logging

import dns.exception
import dns.resolver

log = logging.getLogger(__name__)


def mx_hosts(domain: str, nameservers: list[str], port: int = 53,
             timeout: float = 4.0) -> list[str]:
    """``domain``'s MX hosts; ``nameservers`` empty means the system's resolver configuration."""
    try:
        resolver = dns.resolver.Resolver(configure=not nameservers)
        if nameservers:
            resolver.nameservers = list(nameservers)
            resolver.port = port
        answer = resolver.resolve(domain, "MX", lifetime=timeout)
    except (dns.exception.DNSException, OSError) as err:
        log.info("MX %s: %s", domain, err)
        return []
    records = sorted(answer, key=lambda record: int(record.preference))
    return [str(record.exchange).rstrip(".").lower() for record in records]
