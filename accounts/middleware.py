"""Session limits and MFA enforcement for signed-in people; lockouts to the security journal.

- SessionTimeoutMiddleware: a session ends after SESSION_IDLE_TIMEOUT seconds without a request and after
  SESSION_MAX_AGE seconds in all (OWASP Session Management: idle and absolute timeouts); the cookie itself
  ends with the browser (SESSION_EXPIRE_AT_BROWSER_CLOSE), reception computers being shared.
- MfaRequiredMiddleware: allauth offers MFA but does not require it; accounts.perms.must_use_mfa says who must.
- RateLimitJournalMiddleware: a request refused by allauth's rate limits (429) is journalled as a lockout.
"""

import functools
import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from audit.enums import SecurityEventKind
from audit.journal import record_security_event

from .perms import must_use_mfa

SIGNED_IN_AT = "portail_signed_in_at"
LAST_ACTIVITY_AT = "portail_last_activity_at"
# Writing the session on every request would cost a database write each time: activity is noted at most
# once a minute, which the idle limit tolerates.
ACTIVITY_RESOLUTION = 60

SESSION_EXPIRED_MESSAGE = "Votre session a expiré : reconnectez-vous pour continuer."
MFA_REQUIRED_MESSAGE = (
    "Votre rôle demande une double authentification : activez-la avec une application d’authentification "
    "pour accéder au portail."
)


def mark_session_start(request) -> None:
    """Start the clocks of a new signed-in session (called on user_logged_in)."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT)
            last_activity_at = session.get(LAST_ACTIVITY_AT)
            if signed_in_at is None or last_activity_at is None:
                mark_session_start(request)
            elif (
                now - last_activity_at > settings.SESSION_IDLE_TIMEOUT or now - signed_in_at > settings.SESSION_MAX_AGE
            ):
                return self._expire(request, idle=now - last_activity_at, total=now - signed_in_at)
            elif now - last_activity_at >= ACTIVITY_RESOLUTION:
                session[LAST_ACTIVITY_AT] = now
        return self.get_response(request)

    def _expire(self, request, *, idle: float, total: float):
        from .receivers import SESSION_EXPIRED_ATTRIBUTE

        record_security_event(
            kind=SecurityEventKind.SESSION_EXPIRED,
            request=request,
            user=request.user,
            details={"idle_seconds": int(idle), "session_seconds": int(total)},
        )
        setattr(request, SESSION_EXPIRED_ATTRIBUTE, True)
        logout(request)
        messages.warning(request, SESSION_EXPIRED_MESSAGE)
        login_url = reverse("account_login")
        if request.method == "GET":
            login_url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(login_url)


class MfaRequiredMiddleware:
    """Send a person whose role requires MFA (must_use_mfa) and who has no authenticator app to its activation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._is_exempt(request.path) and must_use_mfa(user):
            if not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
                messages.warning(request, MFA_REQUIRED_MESSAGE)
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        return path.startswith(_mfa_exempt_prefixes())


@functools.cache
def _mfa_exempt_prefixes() -> tuple[str, ...]:
    """The MFA pages, what activation needs (re-entering the password), signing out, static files, /sante/.

    Reversed once per process rather than on every request of a signed-in person.
    """
    return (
        reverse("mfa_index"),
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        reverse("health"),
        settings.STATIC_URL,
    )


class RateLimitJournalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and request.method == "POST":
            record_security_event(
                kind=SecurityEventKind.LOCKED_OUT,
                request=request,
                user=request.user if request.user.is_authenticated else None,
                identifier=request.POST.get("login") or request.POST.get("email") or "",
                details={"path": request.path},
            )
        return response
