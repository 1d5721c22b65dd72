"""The world the fuzz tests post into: people of each role, a pending invitation, a request for allauth's forms."""

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.tests.factories import DEFAULT_PASSWORD, InvitationFactory

INVITATION_TOKEN = "jeton-de-fuzz-0123456789"
STRONG_PASSWORD = "Une-phrase-de-passe-solide-pour-52"


def with_totp(user: User) -> str:
    """Give `user` an authenticator app (the roles that must use MFA reach nothing without one); its secret."""
    secret = generate_totp_secret()
    # The factory may already have given one, with a secret of its own: replace it by one known here.
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


@dataclass
class FuzzContext:
    user: User
    project_lead: User
    project_lead_secret: str
    invitation: Invitation
    invitation_path: str
    request: object

    def known_values(self) -> dict[str, list[str]]:
        """Values worth trying per field name: random text alone never gets past a first valid field."""
        return {
            "email": [self.user.email, self.invitation.email, "nouvelle.personne@haute-marne.fr", "X@Y.FR"],
            "login": [self.user.email, self.project_lead.email],
            "username": [self.user.email],
            "password": [DEFAULT_PASSWORD],
            "oldpassword": [DEFAULT_PASSWORD],
            "password1": [STRONG_PASSWORD, DEFAULT_PASSWORD, "motdepasse", self.user.email],
            "password2": [STRONG_PASSWORD],
            "first_name": ["Zoë", "Jean-Éric"],
            "last_name": ["d’Argentré"],
            "name": ["Salle du conseil"],
            "capacity": ["12", "0", "-1"],
            "code": [totp_code(self.project_lead_secret), "000000"],
        }


@pytest.fixture
def fuzz_context(user_with_role, maison_langres, maison_saint_dizier):
    user = user_with_role(Role.AGENT)
    project_lead = user_with_role(Role.PROJECT_LEAD)
    secret = with_totp(project_lead)
    invitation = InvitationFactory(
        email="invitee@haute-marne.fr", token_hash=Invitation.hash_token(INVITATION_TOKEN), invited_by=project_lead
    )
    request = RequestFactory().post("/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    path = Invitation.accept_url(INVITATION_TOKEN).removeprefix("http://testserver")
    return FuzzContext(user, project_lead, secret, invitation, path, request)
