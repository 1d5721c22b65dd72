"""The security journal: one audit.SecurityEvent row and one structured log line per sign-in event.

Called by accounts/receivers.py (Django's and allauth's signals), accounts/adapters.py (lockouts),
accounts/middleware.py (expired sessions, rate-limited requests), the account services (roles, deactivation)
and audit/services.py (erasures): one path, so every event also gets its log line.
"""

import logging

from django.http import HttpRequest

from core.http import client_ip

from .enums import SecurityEventKind
from .models import SecurityEvent

logger = logging.getLogger("portail.security")

USER_AGENT_MAX_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length
IDENTIFIER_MAX_LENGTH = SecurityEvent._meta.get_field("identifier").max_length


def record_security_event(
    *,
    kind: SecurityEventKind,
    request: HttpRequest | None = None,
    user=None,
    identifier: str = "",
    actor=None,
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
        actor=actor,
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
