"""The client's address, as the login throttle and the password reset see it.

Behind the TLS proxy (BEHIND_TLS_PROXY, AXES_PROXY_COUNT = n proxies) REMOTE_ADDR is
the proxy's own address, the same for every visitor; the client's is the n-th
address from the right in X-Forwarded-For, which each proxy appends to. Addresses
further left were written by the client itself and prove nothing, so they are never
taken. Without proxies, REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: the proxy's own then, never the client's word
        return remote
