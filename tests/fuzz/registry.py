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
from pathlib import Path
from typing import Any

from allauth.account.forms import ChangePasswordForm, ReauthenticateForm, ResetPasswordForm, ResetPasswordKeyForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.urls import reverse
from hypothesis import strategies as st

from accounts.enums import Role
from accounts.forms import InvitationAcceptForm, InvitationForm, LoginForm
from accounts.services import invitation_accept, invitation_create
from accounts.tests.factories import DEFAULT_PASSWORD
from accueil.forms import DirectionForm, MotifForm, ReferralAnswerForm, ReferralForm, VisitForm
from accueil.stats.forms import StatisticsFilterForm
from audit.admin import ErasureRequestForm
from events.agenda import AgendaFilterForm
from events.registrations.forms import RegistrationForm
from events.reservation_forms import BookingForm
from maisons.forms import MaisonPresentationForm, NewPhotoForm, PhotoForm, RoomBlockForm, RoomForm, RoomSettingsForm
from maisons.models import Commune, Maison, RoomBlock
from maisons.services import communes_load, maison_presentation_update
from maisons.tests.factories import CommuneFactory
from notifications.forms import PreferencesForm, RuleForm
from pages.filters import NewsFilterForm
from partenaires import imports as partner_imports
from partenaires.forms import DirectoryFilterForm, PartnerContactForm, PartnerForm, ServiceForm
from partenaires.models import Partner
from partenaires.verification.forms import ProposalForm
from search.forms import SearchForm


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
    """`load(path)` returns a report with `errors`; the file's rows fill `model`. Row by row, the test builds
    files of valid values (`key(n)`, unique, in `key_column`; `valid` for the other columns), some rows with one
    `invalid` value in one column, and expects the report to name exactly those rows and columns. No line break
    in these values: a quoted line break makes a record span two lines, and reports count records."""

    name: str
    load: Callable[[Path], Any]
    model: type
    key_column: str
    key: Callable[[int], str]
    valid: dict[str, st.SearchStrategy[str]]
    invalid: dict[str, st.SearchStrategy[str]]
    # Rows already there, which a refused file must leave as they were.
    seed: Callable[[], object] = lambda: None

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.key_column, *self.valid)


def _password_step(client, ctx):
    """The sign-in's first step for a person with an authenticator app: the page that follows asks for the code."""
    client.post(reverse("account_login"), {"login": ctx.project_lead.email, "password": DEFAULT_PASSWORD})


def _invitation_save(form, ctx):
    return invitation_create(**form.cleaned_data, invited_by=ctx.project_lead)


def _fuzz_partner():
    from partenaires.models import Partner

    return Partner.objects.get_or_create(slug="fuzz", defaults={"name": "Partenaire du fuzz"})[0]


def _themes():
    from partenaires.models import Theme

    return list(Theme.objects.select_related("parent"))


def _partner_save(form):
    from partenaires.services import partner_save

    return partner_save(partner=form.save(commit=False), themes=form.cleaned_data["themes"])


def _service_save(form):
    from partenaires.services import service_save

    data = form.cleaned_data
    return service_save(service=form.save(commit=False), themes=data["themes"], communes=data["communes"])


# The project lead's planning (/gestion/planning/, events/planning_forms.py).
from events.planning_forms import CancelForm, EventForm, MoveForm  # noqa: E402


def _planning_occurrence():
    """A meeting on the planning of Langres, to move or cancel (created once per test database)."""
    import datetime

    from django.utils import timezone

    from events import services
    from events.enums import OccupancyKind
    from events.models import Occupancy
    from maisons.models import Room

    found = Occupancy.objects.filter(title="Réunion du fuzz").first()
    if found is None:
        room = Room.objects.get_or_create(
            maison=Maison.objects.get(slug="langres"), name="Salle du planning", defaults={"capacity": 10}
        )[0]
        start = (timezone.now() + datetime.timedelta(days=60)).replace(minute=0, second=0, microsecond=0)
        found = services.book(
            kind=OccupancyKind.MEETING,
            title="Réunion du fuzz",
            maison=room.maison,
            room=room,
            start=start,
            end=start + datetime.timedelta(hours=1),
            check_hours=False,
        )
    return found


def _planning_occurrence_path(ctx) -> str:
    return f"/gestion/planning/occurrences/{_planning_occurrence().pk}/"


def _planning_event_save(form, ctx):
    from events.recurrence import save_series

    return save_series(form.save(commit=False), user=ctx.project_lead)


def _proposal_save(form, ctx):
    """A partner's proposal through its link (partenaires/verification), refused when nothing changes."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from partenaires.verification.models import VerificationRequest
    from partenaires.verification.services import proposal_submit

    with transaction.atomic():
        partner = form.instance
        request = VerificationRequest.objects.create(
            partner=partner, email="fuzz@exemple.fr", expires_at=timezone.now() + datetime.timedelta(days=1)
        )
        return proposal_submit(request=request, values=form.proposed_values(), comment=form.cleaned_data["comment"])


def _verification_path(action: str) -> str:
    from partenaires.verification.tests.factories import VerificationRequestFactory

    return reverse(f"partner_verification:{action}", args=[VerificationRequestFactory(partner=_fuzz_partner()).token])


def _fuzz_event():
    """A public event that takes registrations (created once per test database)."""
    import datetime

    from django.utils import timezone

    from events.models import Occupancy
    from events.tests.agenda_support import public_event

    found = Occupancy.objects.filter(title="Atelier du fuzz").first()
    if found is None:
        start = timezone.now() + datetime.timedelta(days=30)
        maison = Maison.objects.get(slug="langres")
        found = public_event(maison, start, title="Atelier du fuzz", registration=True, capacity=2, waiting_list=True)
    return found


def _registration_save(form, ctx):
    from events.registrations.services import register

    data = form.cleaned_data
    return register(occupancy=_fuzz_event(), name=data["name"], email=data["email"], consent="fuzz")


def _fuzz_room():
    """A room of Langres for the booking forms (created once per test database)."""
    from maisons.models import Room

    return Room.objects.get_or_create(
        maison=Maison.objects.get(slug="langres"), name="Salle du fuzz", defaults={"capacity": 10}
    )[0]


def _booking_form_kwargs(ctx):
    from accounts.tests.factories import UserFactory

    return {"room": _fuzz_room(), "holders": [UserFactory(email="elu.fuzz@haute-marne.fr", elected=True)]}


def _booking_save(form, ctx):
    from events.reservations import reservation_book

    data = form.cleaned_data
    return reservation_book(
        room=form.room,
        start=data["start"],
        end=data["end"],
        purpose=data["purpose"],
        expected_attendance=data["expected_attendance"],
        holder=data["holder_user"],
        frequency=data.get("frequency") or "",
        until=data.get("until"),
        outside_hours_confirmed=data.get("confirm_outside_hours", False),
    )


def _rule_form_kwargs(ctx) -> dict:
    from notifications.kinds import registry
    from notifications.services import rule_for

    kind = registry["events.reservation_reminder"]
    return {"instance": rule_for(kind), "kind": kind}


def _preferences_form_kwargs(ctx) -> dict:
    from notifications.kinds import registry
    from notifications.services import rule_timings

    kinds = registry.refusable()
    return {"kinds": kinds, "preferences": {}, "rule_timings": {kind.code: rule_timings(kind) for kind in kinds}}


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
    FormCase(
        "maison_presentation",
        MaisonPresentationForm,
        lambda ctx: {"instance": Maison.objects.get(slug="langres")},
        save=lambda form, ctx: maison_presentation_update(
            maison=form.instance, **form.cleaned_data, user=ctx.project_lead
        ),
    ),
    FormCase("maison_photo", PhotoForm),
    FormCase("maison_new_photo", NewPhotoForm),
    FormCase("erasure_request", ErasureRequestForm, lambda ctx: {"handled_by": ctx.project_lead}),
    FormCase("search", SearchForm, lambda ctx: {"kinds": {"maison": "Maisons du Département"}}),
    FormCase("partner", PartnerForm, save=lambda form, ctx: _partner_save(form)),
    FormCase(
        "partner_service", ServiceForm, lambda ctx: {"partner": _fuzz_partner()}, save=lambda f, c: _service_save(f)
    ),
    FormCase("partner_contact", PartnerContactForm, lambda ctx: {"partner": _fuzz_partner()}),
    FormCase("partner_directory", DirectoryFilterForm, lambda ctx: {"themes": _themes()}),
    FormCase("news_filters", NewsFilterForm),
    FormCase("planning_event", EventForm, save=_planning_event_save),
    FormCase("planning_move", MoveForm, lambda ctx: {"occupancy": _planning_occurrence()}),
    FormCase("planning_cancel", CancelForm, lambda ctx: {"occupancy": _planning_occurrence()}),
    FormCase("booking", BookingForm, _booking_form_kwargs, save=_booking_save),
    FormCase("room_settings", RoomSettingsForm, lambda ctx: {"instance": _fuzz_room()}, save=lambda f, c: f.save()),
    FormCase("room_block", RoomBlockForm, lambda ctx: {"instance": RoomBlock(room=_fuzz_room())}),
    FormCase("agenda_filters", AgendaFilterForm),
    FormCase("event_registration", RegistrationForm, save=_registration_save),
    FormCase("partner_proposal", ProposalForm, lambda ctx: {"instance": _fuzz_partner()}, save=_proposal_save),
    FormCase("visit", VisitForm),
    FormCase("referral", ReferralForm),
    FormCase("referral_answer", ReferralAnswerForm),
    FormCase("reception_motif", MotifForm, save=lambda form, ctx: form.save()),
    FormCase("reception_direction", DirectionForm),
    FormCase("reception_statistics", StatisticsFilterForm, lambda ctx: {"maisons": Maison.objects.all()}),
    FormCase("notification_rule", RuleForm, _rule_form_kwargs, save=lambda form, ctx: form.save()),
    FormCase("notification_preferences", PreferencesForm, _preferences_form_kwargs),
]

ENDPOINTS = [
    Endpoint("visit_log", "accueil:home", Role.AGENT),
    Endpoint("reception_motif_create", "accueil_manage:motif_create", Role.PROJECT_LEAD),
    Endpoint("partner_import", "partenaires:import_start", Role.PROJECT_LEAD),
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
    Endpoint("maison_presentation", "maisons:presentation_edit", Role.COMMUNICATION, url_kwargs={"slug": "langres"}),
    Endpoint("planning_event_create", "planning:event_create", Role.PROJECT_LEAD),
    Endpoint("planning_occurrence", _planning_occurrence_path, Role.PROJECT_LEAD),
    Endpoint("booking", lambda ctx: f"/reservations/nouvelle/?salle={_fuzz_room().pk}", Role.ELECTED),
    Endpoint("room_settings", lambda ctx: f"/gestion/salles/{_fuzz_room().pk}/", Role.PROJECT_LEAD),
    Endpoint("event_registration", lambda ctx: reverse("agenda:register", args=[_fuzz_event().slug])),
    Endpoint("partner_verification_propose", lambda ctx: _verification_path("propose")),
    Endpoint("partner_verification_confirm", lambda ctx: _verification_path("confirm")),
    Endpoint("notification_preferences", "notifications:preferences", Role.ELECTED),
    Endpoint("notification_rule", lambda ctx: "/gestion/rappels/events.event_reminder/", Role.PROJECT_LEAD),
]

COMMUNE_VALID = {
    "nom": st.sampled_from(["Langres", "Saint-Dizier", "L'Abergement-Clémenciat", "Œuilly", "Y"]),
    "departement": st.sampled_from(["52", "2A", "971"]),
    "region": st.sampled_from(["44", "94"]),
    "codes_postaux": st.sampled_from(["52200", "52100 52101", ""]),
    "population": st.one_of(st.just(""), st.integers(0, 3_000_000).map(str)),
    "epci_siren": st.sampled_from(["", "200072999"]),
    "epci_nom": st.sampled_from(["", "CC du Grand Langres", "Métropole d’Ici"]),
}
COMMUNE_INVALID = {
    "code_insee": st.sampled_from(["", "5226", "ABCDE", "522690", "\u0665\u0662\u0662\u0666\u0669", "52 69", "\x00"]),
    "nom": st.sampled_from(["", "   ", "N" * 101, "Lan\x00gres", "Lan\x07gres", "\u202eserg\u202cnaL", "Nom\x0bbis"]),
    "departement": st.sampled_from(["", "5200", "\x00"]),
    "region": st.sampled_from(["", "4444"]),
    "codes_postaux": st.sampled_from(["5200", "ABCDE", "522000", "\uff15\uff12\uff12\uff10\uff10", "52200 52"]),
    "population": st.sampled_from(["beaucoup", "-3", "1.5", "99999999999", "\u00b2", "\u0665"]),
    "epci_siren": st.sampled_from(["1234567890", "\x00"]),
    "epci_nom": st.sampled_from(["E" * 201, "CC\x1bX"]),
}


def _existing_communes():
    CommuneFactory(code_insee="10000", name="Déjà là", departement="52", region="44")
    CommuneFactory(code_insee="52269", name="Langres", departement="52", region="44")


PARTNER_VALID = {
    "sigle": st.sampled_from(["", "CAF", "C.P.A.M."]),
    "siret": st.just(""),  # A SIRET is unique: one repeated by two rows would be a fault of its own.
    "type": st.sampled_from(["", "association", "Collectivité", "protection sociale"]),
    "courriel": st.sampled_from(["", "accueil@caf52.exemple.fr"]),
    "site_internet": st.sampled_from(["", "https://www.caf.fr", "www.caf.fr"]),
    "telephone": st.sampled_from(["", "03 25 00 00 00", "+33 3 25 00 00 00"]),
    "code_postal": st.sampled_from(["", "52200"]),
    "commune_insee": st.sampled_from(["", "52269"]),
    "thematiques": st.sampled_from(["", "famille--soutien-a-la-parentalite-et-a-leducation"]),
    "publie": st.sampled_from(["", "oui", "Non"]),
    "verifiee_le": st.sampled_from(["", "15/03/2025", "2025-03-15", "45717"]),
}
PARTNER_INVALID = {
    "nom": st.sampled_from(["", "   ", "N" * 201, "Lan\x07gres", "\u202eserg\u202cnaL"]),
    "siret": st.sampled_from(["123", "53408366500035", "ABCDEFGHIJKLMN"]),
    "type": st.sampled_from(["banque", "?"]),
    "courriel": st.sampled_from(["pas-une-adresse", "a@"]),
    "site_internet": st.sampled_from(["http://exa mple", "javascript:alert(1)"]),
    "telephone": st.sampled_from(["123", "03 25"]),
    "code_postal": st.sampled_from(["522000", "ABCDE"]),
    "commune_insee": st.sampled_from(["99999", "ABCDE"]),
    "thematiques": st.sampled_from(["jardinage", "famille--inconnue"]),
    "publie": st.sampled_from(["peut-être"]),
    "verifiee_le": st.sampled_from(["31/02/2025", "demain"]),
}


def _existing_partners():
    from partenaires.tests.factories import PartnerFactory
    from partenaires.themes import themes_sync

    themes_sync()
    CommuneFactory(code_insee="52269", name="Langres", departement="52", region="44")
    PartnerFactory(name="Déjà là", slug="deja-la")


IMPORTERS = [
    Importer(
        "communes",
        lambda path: communes_load(path=path),
        Commune,
        "code_insee",
        lambda n: f"{10000 + n:05d}",
        COMMUNE_VALID,
        COMMUNE_INVALID,
        seed=_existing_communes,
    ),
    Importer(
        "partenaires",
        lambda path: partner_imports.import_path(path, "organisations"),
        Partner,
        "nom",
        lambda n: f"Partenaire importé {n}",
        PARTNER_VALID,
        PARTNER_INVALID,
        seed=_existing_partners,
    ),
]
