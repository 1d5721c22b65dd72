"""HTTP helpers every app may use."""

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits count it (ALLAUTH_TRUSTED_PROXY_COUNT hops of X-Forwarded-For).

    None without a request, or when X-Forwarded-For has fewer entries than trusted proxies (not from the proxy).
    """
    if request is None:
        return None
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:
        return None
