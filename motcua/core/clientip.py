"""The client's address, read in one place for every limit, lockout and log line.

`X-Forwarded-For` is whatever the client wrote, followed by one address appended by each proxy it went through. Only
the proxies we run are believed: with MOTCUA_TRUSTED_PROXIES = N, the Nth address from the right is the one our
outermost proxy saw; anything further left was written by the client and may be made up. With 0 (the default, a
server reached directly), the header is ignored and the connection's own address is used. The header is also ignored
on a connection that does not come from one of our proxies (MOTCUA_TRUSTED_PROXY_ADDRESSES): a client that reaches an
application server directly could otherwise write any address it likes.
"""

import ipaddress
import logging
from functools import cache

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client as seen by the outermost trusted proxy, or the connection's address."""
    remote = _normalised(request.META.get("REMOTE_ADDR", "")) or ""
    proxies = int(settings.MOTCUA_TRUSTED_PROXIES)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies <= 0 or not forwarded or not _is_our_proxy(remote):
        return remote
    # Fewer entries than proxies: the leftmost one is still written by a proxy of ours (as DRF's NUM_PROXIES reads it).
    return _normalised(forwarded[-min(proxies, len(forwarded))]) or remote


@cache
def _proxy_networks(addresses: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in addresses.split(",") if part.strip())


def _is_our_proxy(remote: str) -> bool:
    if not remote:
        return False
    address = ipaddress.ip_address(remote)
    return any(address in network for network in _proxy_networks(settings.MOTCUA_TRUSTED_PROXY_ADDRESSES))


def _normalised(value: str) -> str | None:
    # A proxy may write "unknown" or a garbled value; counters and logs then fall back to the connection's address.
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class ClientIpLogFilter(logging.Filter):
    """Add `client_ip` to log records: the request's client address for Django's request loggers, else "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.client_ip = client_ip(request) if isinstance(request, HttpRequest) else "-"
        return True
