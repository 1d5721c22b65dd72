"""django-auditlog's middleware, with the client's address counted as the rest of the portal counts it."""

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware

from core.http import client_ip


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """Record the signed-in person (and their address) as the actor of every tracked change made in a request.

    auditlog's own middleware trusts the first X-Forwarded-For entry, which any client can write; this one takes the
    address ALLAUTH_TRUSTED_PROXY_COUNT hops from the end, as the sign-in rate limits and the security journal do.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None  # The proxy's port says nothing about the person.
