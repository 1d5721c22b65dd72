"""What the fuzz tests feed with random input. A new form, endpoint or importer joins with ONE line here.

- FORMS: a form class and how to build it (`kwargs` from the test's context); `save` when the form's data goes
  through a service, whose refusal must leave no row behind.
- ENDPOINTS: a URL that changes state, posted to by the role allowed to use it; the test reads the form of the
  page (GET), then posts random bodies to it.
- IMPORTERS: a function taking a file path and returning a report with `errors` (list of French messages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.forms import ChangePasswordForm, ReauthenticateForm, ResetPasswordForm, ResetPasswordKeyForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.urls import reverse

from accounts.enums import Role
from accounts.forms import InvitationAcceptForm, InvitationForm, LoginForm
from accounts.services import invitation_accept, invitation_create
from accounts.tests.factories import DEFAULT_PASSWORD
from audit.admin import ErasureRequestForm
from maisons.forms import RoomForm
from maisons.services import communes_load


@dataclass(frozen=True)
class FormCase:
    name: str
    form_class: type
    kwargs: Callable[[Any], dict] = lambda ctx: {}
    save: Callable[[Any, Any], object] | None = None


@dataclass(frozen=True)
class Endpoint:
    name: str
    # A URL name, or a function of the test's context giving the path (an invitation link).
    url: str | Callable[[Any], str]
    role: Role | str = "anonymous"
    url_kwargs: dict = field(default_factory=dict)
    # Run on each fresh client before the page is read: a step that must come first (the password before the code).
    prepare: Callable[[Any, Any], object] | None = None


@dataclass(frozen=True)
class Importer:
    name: str
    load: Callable[..., Any]
    # The CSV columns the importer expects, so that most generated files get past the header.
    columns: tuple[str, ...]


def _password_step(client, ctx):
    """The sign-in's first step for a person with an authenticator app: the page that follows asks for the code."""
    client.post(reverse("account_login"), {"login": ctx.project_lead.email, "password": DEFAULT_PASSWORD})


def _invitation_save(form, ctx):
    return invitation_create(**form.cleaned_data, invited_by=ctx.project_lead)


FORMS = [
    FormCase("invitation", InvitationForm, lambda ctx: {"allowed_roles": list(Role)}, save=_invitation_save),
    FormCase(
        "invitation_accept",
        InvitationAcceptForm,
        lambda ctx: {"invitation": ctx.invitation},
        save=lambda form, ctx: invitation_accept(invitation=ctx.invitation, password=form.cleaned_data["password1"]),
    ),
    FormCase("login", LoginForm, lambda ctx: {"request": ctx.request}),
    FormCase("password_reset", ResetPasswordForm),
    FormCase(
        "password_change", ChangePasswordForm, lambda ctx: {"user": ctx.user}, save=lambda form, ctx: form.save()
    ),
    FormCase("password_from_key", ResetPasswordKeyForm, lambda ctx: {"user": ctx.user, "temp_key": "cle"}),
    FormCase("reauthenticate", ReauthenticateForm, lambda ctx: {"user": ctx.user}),
    FormCase("totp_activate", ActivateTOTPForm, lambda ctx: {"user": ctx.user}),
    FormCase("mfa_authenticate", AuthenticateForm, lambda ctx: {"user": ctx.project_lead}),
    FormCase("room", RoomForm, save=lambda form, ctx: form.save()),
    FormCase("erasure_request", ErasureRequestForm, lambda ctx: {"handled_by": ctx.project_lead}),
]

ENDPOINTS = [
    Endpoint("invitation_create", "accounts:invitation_create", Role.PROJECT_LEAD),
    Endpoint("invitation_create_admin", "accounts:invitation_create", Role.ADMINISTRATOR),
    Endpoint("invitation_accept", lambda ctx: ctx.invitation_path),
    Endpoint("login", "account_login"),  # /admin/login/ sends here too (allauth’s secure admin sign-in).
    Endpoint("password_reset", "account_reset_password"),
    Endpoint("password_change", "account_change_password", Role.AGENT),
    Endpoint("totp_activate", "mfa_activate_totp", Role.AGENT),
    Endpoint("mfa_code", "mfa_authenticate", prepare=_password_step),
    Endpoint("reauthenticate", "account_reauthenticate", Role.ELECTED),
    Endpoint("personal_data_download", "accounts:personal_data", Role.AGENT),
    Endpoint("erasure_request", "admin:audit_erasurerecord_add", Role.ADMINISTRATOR),
]

IMPORTERS = [
    Importer(
        "communes",
        lambda path: communes_load(path=path),
        ("code_insee", "nom", "departement", "region", "codes_postaux", "population", "epci_siren", "epci_nom"),
    ),
]
