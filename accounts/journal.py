"""The security journal: one audit.SecurityEvent row and one structured log line per sign-in event.

Called by accounts/receivers.py (Django's and allauth's signals), accounts/adapters.py (lockouts) and
accounts/middleware.py (expired sessions, rate-limited requests).
"""

import logging

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from audit.enums import SecurityEventKind
from audit.models import SecurityEvent

logger = logging.getLogger("portail.security")

USER_AGENT_MAX_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length
IDENTIFIER_MAX_LENGTH = SecurityEvent._meta.get_field("identifier").max_length


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits count it (ALLAUTH_TRUSTED_PROXY_COUNT hops of X-Forwarded-For)."""
    if request is None:
        return None
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:  # Fewer X-Forwarded-For entries than trusted proxies: not from the proxy.
        return None


def record_security_event(
    *,
    kind: SecurityEventKind,
    request: HttpRequest | None = None,
    user=None,
    identifier: str = "",
    details: dict | None = None,
) -> SecurityEvent:
    """Write `kind` to the journal with the client's address and browser; log it on "portail.security"."""
    if user is not None and not getattr(user, "pk", None):
        user = None
    ip_address = client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH] if request else ""
    identifier = (identifier or (user.email if user else ""))[:IDENTIFIER_MAX_LENGTH]
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        identifier=identifier,
        ip_address=ip_address,
        user_agent=user_agent,
        details=details or {},
    )
    # The log line names the event and the journal row, never the address typed nor the IP address: the general
    # logs hold no personal data (core/logging.py); the journal keeps them under its own retention.
    logger.info(
        "security event %s",
        kind.value,
        extra={"security_event": kind.value, "security_event_id": event.pk, "user_id": user.pk if user else None},
    )
    return event
