"""Which network addresses the proxy may connect to (the SSRF guard).

Upstream documents name file URLs, and a hostile or compromised upstream could name
`http://169.254.169.254/` or `http://127.0.0.1:6379/`. So every host a request goes to is
resolved here, and only its public addresses are connected to; the one exception is the
host the admin configured as the upstream, which may be on a private network (a company's
registry) or on loopback (tests).

The client then connects to exactly the address checked here, never resolving the name a
second time, so DNS rebinding (public when checked, private when connected) cannot slip
past: the name only travels on as the Host header and the TLS server name.
"""

import ipaddress
import socket


class AddressRefused(Exception):
    """The host has no address the proxy may connect to."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, whatever its spelling
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"cannot resolve {host}: {exc.strerror}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


class AddressGuard:
    """Addresses to connect to for a host: any for the upstream's own, public ones else."""

    def __init__(self, upstream_host: str) -> None:
        self.upstream_host = upstream_host.lower()

    def addresses(self, host: str, port: int) -> list[str]:
        found = resolve(host, port)
        if host.lower() == self.upstream_host:
            return found
        public = [address for address in found if is_public(address)]
        if not public:
            raise AddressRefused(
                f"{host} is on a private, loopback or link-local address; only the "
                "upstream's own host may be"
            )
        return public
