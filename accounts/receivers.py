"""Sign-in events to the security journal (audit/journal.py), from Django's and allauth's signals.

Connected in AccountsConfig.ready. Signals are the only hook allauth and django.contrib.auth offer for these
events; the journal writes one row and nothing else.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals

from audit.enums import SecurityEventKind
from audit.journal import record_security_event

from .middleware import mark_session_start

SESSION_EXPIRED_ATTRIBUTE = "_portail_session_expired"


def on_logged_in(sender, request, user, **kwargs):
    mark_session_start(request)
    record_security_event(kind=SecurityEventKind.LOGIN, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    identifier = credentials.get("email") or credentials.get("username") or ""
    record_security_event(kind=SecurityEventKind.LOGIN_FAILED, request=request, identifier=identifier)


def on_logged_out(sender, request, user, **kwargs):
    if user is None or getattr(request, SESSION_EXPIRED_ATTRIBUTE, False):
        return  # An expired session is journalled as such by the middleware.
    record_security_event(kind=SecurityEventKind.LOGOUT, request=request, user=user)


def on_password_changed(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEventKind.PASSWORD_CHANGED, request=request, user=user)


def on_password_reset(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEventKind.PASSWORD_RESET, request=request, user=user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    # Recovery codes generated with the first authenticator are part of its activation.
    if authenticator.type == Authenticator.Type.TOTP:
        record_security_event(
            kind=SecurityEventKind.MFA_ENABLED, request=request, user=user, details={"type": authenticator.type}
        )


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        record_security_event(
            kind=SecurityEventKind.MFA_DISABLED, request=request, user=user, details={"type": authenticator.type}
        )


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record_security_event(kind=SecurityEventKind.MFA_RECOVERY_CODES, request=request, user=user)


def on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    record_security_event(
        kind=SecurityEventKind.MFA_FAILED,
        request=request,
        user=user,
        details={"reauthentication": bool(reauthentication)},
    )


def connect() -> None:
    connections = [
        (auth_signals.user_logged_in, on_logged_in),
        (auth_signals.user_login_failed, on_login_failed),
        (auth_signals.user_logged_out, on_logged_out),
        (account_signals.password_changed, on_password_changed),
        (account_signals.password_set, on_password_changed),
        (account_signals.password_reset, on_password_reset),
        (mfa_signals.authenticator_added, on_authenticator_added),
        (mfa_signals.authenticator_removed, on_authenticator_removed),
        (mfa_signals.authenticator_reset, on_authenticator_reset),
        (mfa_signals.authentication_failed, on_mfa_failed),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"accounts.journal.{receiver.__name__}")
