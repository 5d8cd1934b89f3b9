"""Who is asking: the client's address, the one answer the throttles, the sign-in lockout
(django-axes) and anonymous idempotency keys all use.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as far
as TRUSTED_PROXY_COUNT says: with 0 (the default, no proxy in front) it is ignored and the
address is the connection's; with n proxies in front, each appends the address it saw, and
the client is the entry the outermost trusted proxy appended (n-th from the end). Entries
before it are the client's own claims."""

import ipaddress

from django.conf import settings
from rest_framework import throttling


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, counting per ``client_ip`` (DRF's own reading of
    X-Forwarded-For would count every forged header as a new client)."""

    def get_ident(self, request):
        return client_ip(request)
