"""allauth's behaviour adapted to the portal: closed sign-up, French messages, the portal's identity in e-mails."""

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.enums import SecurityEventKind
from audit.journal import record_security_event

from .perms import must_use_mfa

PORTAL_NAME = "Maisons du Département de la Haute-Marne"


@dataclass(frozen=True)
class PortalSite:
    """Stands for django.contrib.sites' Site in allauth's e-mail templates (`current_site.name`, `.domain`)."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=PORTAL_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same words whether the address has an account or not: a lockout reveals nothing.
        "too_many_login_attempts": (
            "Trop de tentatives de connexion ont échoué. Par sécurité, les connexions sont suspendues un moment : "
            "réessayez plus tard ou demandez un nouveau mot de passe."
        ),
    }

    def is_open_for_signup(self, request):
        """No public sign-up: accounts are created by invitation (accounts/services.py)."""
        return False

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            record_security_event(
                kind=SecurityEventKind.LOCKED_OUT, request=request, identifier=credentials.get("email", "")
            )
            raise

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth e-mail names the portal and links to SITE_URL, never to the host of the request.

        Unlike allauth's, this needs no current request: notifications are sent once the transaction commits.
        """
        context = {"email": email, **context, "current_site": portal_site(), "site_url": settings.SITE_URL}
        self.render_mail(template_prefix, email, context).send()

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "La double authentification est obligatoire pour votre rôle : elle ne peut pas être désactivée."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Those who must use MFA (accounts.perms.must_use_mfa) cannot switch it off themselves."""
        return not must_use_mfa(authenticator.user)

    def _get_site_name(self) -> str:
        return PORTAL_NAME
