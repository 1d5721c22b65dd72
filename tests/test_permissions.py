"""Invariant 4: every URL of the project, requested as every role, gets exactly what the table below says.

The routes come from the URL resolver, not from a hand-kept list: a new URL without a line in `ACCESS` fails
`test_every_route_is_in_the_table`. Each route is then requested with GET as an anonymous visitor, as a signed-in
person without a role and as each role (`VIEWERS`), and each answer is compared with the table. Read-only pages
must also refuse POST, PUT, DELETE and TRACE (405), and no GET may change a row in the database. The Django
administration joins in from `admin.site._registry`: every registered model's changelist, add, change, delete and
history pages. tests/test_csrf.py posts to every route that accepts POST, from the same table.

Adding a route is one line in `ACCESS` (see docs/security.md, « La matrice des rôles »):

    "partenaires/": PUBLIC(),
    "accueil/visites/nouvelle/": STAFF(Role.AGENT, Role.PROJECT_LEAD, form=True),
    "accueil/visites/<int:pk>/": STAFF(Role.AGENT, Role.PROJECT_LEAD, kwargs=a_visit, objects=[
        OBJECT(a_visit_in_saint_dizier, allowed=[Role.PROJECT_LEAD], refused=[Role.AGENT], outcome=NOT_FOUND)]),
"""

import re
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.tests.factories import InvitationFactory

ANONYMOUS = "anonymous"
NO_ROLE = None
VIEWERS = [ANONYMOUS, NO_ROLE, *Role]
SIGNED_IN = [NO_ROLE, *Role]
UNSAFE_METHODS = ("post", "put", "delete", "trace")


def viewer_name(viewer) -> str:
    return {ANONYMOUS: "anonyme", NO_ROLE: "sans rôle"}.get(viewer, getattr(viewer, "value", str(viewer)))


# What a viewer gets ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    label: str
    check: Callable = field(compare=False)

    def __str__(self):
        return self.label


def status(code: int) -> Outcome:
    return Outcome(str(code), lambda response: response.status_code == code)


def REDIRECT(to: str) -> Outcome:
    """A redirection to `to` (its path, query string aside)."""
    return Outcome(
        f"redirection vers {to}",
        lambda response: response.status_code == 302 and response["Location"].split("?")[0] == to,
    )


def _to(prefix: str) -> Callable:
    return lambda response: response.status_code == 302 and response["Location"].startswith(prefix)


OK = status(200)
# A refusal says so in French (templates/403.html), whoever refuses: a view, the administration, allauth.
FORBIDDEN = Outcome(
    "403 « Accès refusé »",
    lambda response: response.status_code == 403 and "Accès refusé" in response.content.decode(),
)
NOT_FOUND = status(404)
NOT_ALLOWED = status(405)
GONE = status(410)
TO_LOGIN = Outcome("redirection vers la connexion", _to("/comptes/login/?next="))
TO_ADMIN_LOGIN = Outcome("redirection vers la connexion de l’administration", _to("/admin/login/?next="))
TO_ADMIN_CHANGE = Outcome(
    "redirection vers la page de modification",
    lambda response: response.status_code == 302 and response["Location"].endswith("/change/"),
)


def describe(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} vers {response['Location']}"
    return str(response.status_code)


# One line of the table ---------------------------------------------------------------------------------------

Build = Callable[["World"], dict]


@dataclass(frozen=True)
class ObjectProbe:
    """Someone else's object: `refused` viewers get `outcome` on it; `allowed` ones what the route gives them."""

    build: Build
    allowed: tuple
    refused: tuple
    outcome: Outcome = FORBIDDEN


def OBJECT(build: Build, *, allowed: Iterable = (), refused: Iterable, outcome: Outcome = FORBIDDEN) -> ObjectProbe:
    return ObjectProbe(build, tuple(allowed), tuple(refused), outcome)


@dataclass(frozen=True)
class Access:
    """What each viewer gets from GET on a route, and for POST-only routes from POST.

    `kwargs`: sample URL arguments, or a function building an object from the `World` and returning them; `url`:
    the sample URL itself (for regular-expression routes); `more_urls`: other sample URLs given the same answers.
    `read_only`: POST, PUT, DELETE and TRACE get 405.
    """

    get: dict
    read_only: bool = False
    post: dict | None = None
    kwargs: dict | Build = field(default_factory=dict)
    url: str | None = None
    objects: tuple[ObjectProbe, ...] = ()
    by_model: dict = field(default_factory=dict)  # `admin/<modèle>/…`: model label → the administrator's answer.
    # Further sample URLs of a route that stands for many (Wagtail's admin): addresses, or functions of the World.
    more_urls: tuple = ()

    @property
    def poster(self):
        """A viewer who may use the route's form or action (None if nobody may)."""
        if self.read_only:
            return None
        table = self.post if self.post is not None else self.get
        refusals = (TO_LOGIN, TO_ADMIN_LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED)
        return next((viewer for viewer in VIEWERS if table[viewer] not in refusals), None)


def _outcomes(anonymous: Outcome, signed_in: Outcome, overrides: dict | None = None) -> dict:
    return {ANONYMOUS: anonymous} | dict.fromkeys(SIGNED_IN, signed_in) | (overrides or {})


def PUBLIC(**options) -> Access:
    """A public page that only reads: everyone gets it."""
    return Access(_outcomes(OK, OK), read_only=True, **options)


def PUBLIC_FORM(**options) -> Access:
    """A public page with a form (it accepts POST)."""
    return Access(_outcomes(OK, OK), **options)


def GUESTS(**options) -> Access:
    """A page for people not signed in (sign-in, sign-up): a signed-in person goes on to their space."""
    return Access(_outcomes(OK, REDIRECT("/comptes/")), **options)


def STAFF(*roles, form: bool = False, **options) -> Access:
    """A page for `roles` (NO_ROLE included: any signed-in person); the others get 403, the public the sign-in."""
    return Access(_outcomes(TO_LOGIN, FORBIDDEN, dict.fromkeys(roles, OK)), read_only=not form, **options)


def EVERY_ACCOUNT(*, form: bool = False, **options) -> Access:
    return STAFF(*SIGNED_IN, form=form, **options)


def POST_ONLY(*roles, then: Outcome, **options) -> Access:
    """An action: GET gets 405; POST does it for `roles` (answering `then`), 403 for the others."""
    return Access(
        _outcomes(TO_LOGIN, NOT_ALLOWED),
        post=_outcomes(TO_LOGIN, FORBIDDEN, dict.fromkeys(roles, then)),
        **options,
    )


def ADMIN_ONLY(then: Outcome = OK, **options) -> Access:
    """The Django administration: administrators only; everyone else is sent to the administration's sign-in."""
    return Access(_outcomes(TO_ADMIN_LOGIN, TO_ADMIN_LOGIN, {Role.ADMINISTRATOR: then}), **options)


def ADMIN_MODEL(then: Outcome = OK, except_for: dict | None = None, **options) -> Access:
    """A registered model's page: the same, but the public meets the portal's sign-in first.

    (The administration marks its site-wide pages login_not_required, not its model pages, which
    LoginRequiredMiddleware guards.) `except_for`: model label → the administrator's answer on that model.
    """
    return Access(
        _outcomes(TO_LOGIN, TO_ADMIN_LOGIN, {Role.ADMINISTRATOR: then}), by_model=except_for or {}, **options
    )


def ALLAUTH(anonymous: Outcome, signed_in: Outcome, overrides: dict | None = None, **options) -> Access:
    """A django-allauth page, whose answers are allauth's (they do not depend on the portal's roles)."""
    return Access(_outcomes(anonymous, signed_in, overrides), **options)


NOWHERE = Access(_outcomes(TO_LOGIN, NOT_FOUND))


# Objects for routes with arguments ---------------------------------------------------------------------------


def a_motif(world) -> dict:
    from accueil.tests.factories import MotifFactory

    return {"pk": MotifFactory().pk}


def a_direction(world) -> dict:
    from maisons.tests.factories import DirectionFactory

    return {"pk": DirectionFactory().pk}


def an_agents_visit(world) -> dict:
    """A visit logged today in Langres by the matrix's agent."""
    from accueil.tests.factories import VisitFactory

    return {"pk": VisitFactory(maison=world.maison_langres, agent=world.users[Role.AGENT]).pk}


def an_agents_orientation(world) -> dict:
    from accueil.tests.factories import VisitFactory

    visit = VisitFactory(maison=world.maison_langres, agent=world.users[Role.AGENT], to_partner=True)
    return {"pk": visit.pk}


def an_agents_referral(world) -> dict:
    from accueil.tests.factories import ReferralFactory

    return {"pk": ReferralFactory(visit__maison=world.maison_langres, agent=world.users[Role.AGENT]).pk}


def a_saint_dizier_visit(world) -> dict:
    """Logged in Saint-Dizier by an agent of Saint-Dizier: the Langres agent must not reach it."""
    from accounts.tests.factories import UserFactory
    from accueil.tests.factories import VisitFactory

    agent = UserFactory(agent=True, maisons=[world.maison_saint_dizier])
    return {"pk": VisitFactory(maison=world.maison_saint_dizier, agent=agent, to_partner=True).pk}


SAINT_DIZIER_VISIT = OBJECT(a_saint_dizier_visit, refused=[Role.AGENT, Role.PROJECT_LEAD], outcome=NOT_FOUND)


def an_invitation(world) -> dict:
    return {"pk": InvitationFactory().pk}


def an_invitation_link(world) -> dict:
    invitation = InvitationFactory()
    token = invitation.set_new_token()
    invitation.save()
    return {"token": token}


def an_administrators_invitation(world) -> dict:
    invitation = InvitationFactory()
    invitation.roles.set([Group.objects.get(name=Role.ADMINISTRATOR.group_name)])
    return {"pk": invitation.pk}


def a_verification_link(world) -> dict:
    """A partner's personal link to check its entry (partenaires/verification): whoever holds it uses it."""
    from partenaires.verification.tests.factories import VerificationRequestFactory

    return {"token": VerificationRequestFactory().token}


def a_change_proposal(world) -> dict:
    from partenaires.verification.tests.factories import ChangeProposalFactory

    return {"pk": ChangeProposalFactory().pk}


def a_maison(world) -> dict:
    return {"slug": world.maison_langres.slug}


def a_partner(world) -> dict:
    from partenaires.tests.factories import PartnerFactory

    return {"slug": PartnerFactory().slug}


def an_unpublished_partner(world) -> dict:
    from partenaires.tests.factories import PartnerFactory

    return {"slug": PartnerFactory(is_published=False).slug}


def a_retired_partner(world) -> dict:
    from django.utils import timezone

    from partenaires.tests.factories import PartnerFactory

    return {"slug": PartnerFactory(retired_at=timezone.now()).slug}


def an_import_job(world) -> dict:
    from partenaires.models import ImportJob, ImportStatus

    job = ImportJob.objects.create(
        kind="organisations", file_name="a.csv", file_format="csv", status=ImportStatus.INVALID
    )
    return {"pk": job.pk}


def a_partner_service(world) -> dict:
    from partenaires.tests.factories import ServiceFactory

    service = ServiceFactory()
    return {"slug": service.partner.slug, "pk": service.pk}


def another_partners_service(world) -> dict:
    """A service reached through a partner it does not belong to."""
    from partenaires.tests.factories import PartnerFactory, ServiceFactory

    return {"slug": PartnerFactory().slug, "pk": ServiceFactory().pk}


def a_partner_contact(world) -> dict:
    from partenaires.tests.factories import PartnerContactFactory

    contact = PartnerContactFactory()
    return {"slug": contact.partner.slug, "pk": contact.pk}


def another_partners_contact(world) -> dict:
    from partenaires.tests.factories import PartnerContactFactory, PartnerFactory

    return {"slug": PartnerFactory().slug, "pk": PartnerContactFactory().pk}


def a_room(world) -> dict:
    from maisons.tests.factories import RoomFactory

    return {"pk": RoomFactory(maison=world.maison_langres).pk}


def a_room_block(world) -> dict:
    from maisons.tests.factories import RoomBlockFactory

    block = RoomBlockFactory(room__maison=world.maison_langres)
    return {"pk": block.room_id, "block_pk": block.pk}


def another_rooms_block(world) -> dict:
    """A blocked period reached through a room it does not belong to."""
    from maisons.tests.factories import RoomBlockFactory, RoomFactory

    return {"pk": RoomFactory(maison=world.maison_langres).pk, "block_pk": RoomBlockFactory().pk}


def an_event_with_registration(world) -> dict:
    import datetime

    from django.utils import timezone

    from events.tests.agenda_support import public_event

    start = timezone.now() + datetime.timedelta(days=5)
    return {"slug": public_event(world.maison_langres, start, registration=True, capacity=10).slug}


def an_event_occurrence(world) -> dict:
    occurrence_slug = an_event_with_registration(world)["slug"]
    from events.models import Occupancy

    return {"pk": Occupancy.objects.get(slug=occurrence_slug).pk}


def a_registration_link(world) -> dict:
    from events.models import Occupancy
    from events.registrations.models import Registration

    occupancy = Occupancy.objects.get(slug=an_event_with_registration(world)["slug"])
    registration = Registration.objects.create(occupancy=occupancy, name="Camille", email="camille@example.fr")
    return {"token": registration.cancel_token}


def an_opt_out_link(world) -> dict:
    from notifications.mail import opt_out_token

    return {"token": opt_out_token("direction.routes@example.fr", "events.event_reminder")}


def a_notification_kind(world) -> dict:
    return {"kind": "events.reservation_reminder"}


def a_failed_notification(world) -> dict:
    from django.utils import timezone

    from notifications.models import Notification, State

    row = Notification.objects.create(
        kind="events.weekly_digest",
        recipient_email="agent@example.fr",
        due_at=timezone.now(),
        state=State.FAILED,
        last_error="SMTPServerDisconnected",
    )
    return {"pk": row.pk}


def a_calendar_key(world) -> dict:
    """A project lead's secret feed address: whoever holds it reads the feeds, signed in or not."""
    from events.feeds.services import token_renew

    return {"key": token_renew(user=world.users[Role.PROJECT_LEAD])}


def a_calendar_key_and_room(world) -> dict:
    from maisons.tests.factories import RoomFactory

    return {**a_calendar_key(world), "pk": RoomFactory(maison=world.maison_langres).pk}


def _reservation(holder, **options):
    import datetime

    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
    from django.utils import timezone

    from events.enums import OccupancyKind
    from events.models import Occupancy
    from maisons.tests.factories import RoomFactory

    room = RoomFactory(**options.pop("room", {}))
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2, minutes=Occupancy.objects.count() * 90)
    return Occupancy.objects.create(
        kind=OccupancyKind.RESERVATION,
        title="Réunion",
        maison=room.maison,
        room=room,
        holder=holder,
        period=DateTimeTZRange(start, start + datetime.timedelta(hours=1)),
        **options,
    )


def an_officials_booking(world) -> dict:
    """A booking of the matrix's elected official (the project lead may cancel it too)."""
    return {"pk": _reservation(world.users[Role.ELECTED]).pk}


def another_officials_booking(world) -> dict:
    from accounts.tests.factories import UserFactory

    return {"pk": _reservation(UserFactory(elected=True)).pk}


def a_pending_request(world) -> dict:
    from accounts.tests.factories import UserFactory

    return {"pk": _reservation(UserFactory(elected=True), status="pending", room={"requires_approval": True}).pk}


# The table ---------------------------------------------------------------------------------------------------
# The project lead's planning (events/urls_planning.py): accounts.perms.can_manage_portal.
PLANNERS = (Role.PROJECT_LEAD, Role.ADMINISTRATOR)


def a_planned_event(world) -> dict:
    from events.tests.factories import EventFactory

    return {"pk": EventFactory(maison=world.maison_langres).pk}


def a_planned_occurrence(world) -> dict:
    from events.tests.factories import OccupancyFactory

    return {"pk": OccupancyFactory(maison=world.maison_langres).pk}


# Wagtail's admin has hundreds of routes; they stand as one line, requested at the sample URLs of its Access.
CMS_ROUTES = "cms/<wagtail>"


def the_menu_settings(world) -> str:
    from pages.models import MainMenu

    return f"/cms/settings/pages/mainmenu/{MainMenu.objects.get().pk}/"


# The dashboard, the page explorer, images, documents, a snippet's list and a setting's page.
CMS_SAMPLES = (
    "/cms/pages/",
    "/cms/images/",
    "/cms/documents/",
    "/cms/snippets/pages/newscategory/",
    the_menu_settings,
)
CONTENT_EDITORS = (Role.COMMUNICATION, Role.ADMINISTRATOR)  # accounts.perms.can_edit_content
# One line per route, as the resolver spells it; `admin/<modèle>/…` stands for every registered ModelAdmin.

TO_INVITATIONS = REDIRECT("/comptes/invitations/")
MANAGE_INVITATIONS = (Role.PROJECT_LEAD, Role.ADMINISTRATOR)
ADMINS_INVITATION = OBJECT(
    an_administrators_invitation, allowed=[Role.ADMINISTRATOR], refused=[Role.PROJECT_LEAD], outcome=FORBIDDEN
)

MFA_ROLES = (Role.PROJECT_LEAD, Role.COMMUNICATION, Role.ADMINISTRATOR)  # accounts.perms.must_use_mfa
TO_REAUTHENTICATE = REDIRECT("/comptes/reauthenticate/")

MANAGE_PARTNERS = (Role.PROJECT_LEAD, Role.ADMINISTRATOR)  # accounts.perms.can_manage_partners
PARTNER_STAFF = (Role.AGENT, Role.PROJECT_LEAD, Role.ADMINISTRATOR)  # accounts.perms.can_see_partner_contacts
TO_PARTNER_MANAGEMENT = Outcome("redirection vers la gestion des partenaires", _to("/gestion/partenaires/"))
UNPUBLISHED_PARTNER = OBJECT(
    an_unpublished_partner,
    allowed=PARTNER_STAFF,
    refused=[ANONYMOUS, NO_ROLE, Role.ELECTED, Role.COMMUNICATION],
    outcome=NOT_FOUND,
)
RETIRED_PARTNER = OBJECT(a_retired_partner, refused=MANAGE_PARTNERS, outcome=NOT_FOUND)  # Already retired.
OTHER_PARTNERS_SERVICE = OBJECT(another_partners_service, refused=MANAGE_PARTNERS, outcome=NOT_FOUND)
OTHER_PARTNERS_CONTACT = OBJECT(another_partners_contact, refused=MANAGE_PARTNERS, outcome=NOT_FOUND)

MANAGE_ROOMS = (Role.PROJECT_LEAD, Role.ADMINISTRATOR)  # accounts.perms.can_manage_portal
TO_ROOM = Outcome("redirection vers la salle", _to("/gestion/salles/"))
OTHER_ROOMS_BLOCK = OBJECT(another_rooms_block, refused=MANAGE_ROOMS, outcome=NOT_FOUND)
SEE_STATISTICS = (Role.AGENT, Role.PROJECT_LEAD, Role.ADMINISTRATOR)  # accueil.stats.perms.can_see_statistics
# An agent of Langres asks for Saint-Dizier's figures by changing the Maison parameter: 404, nothing shown.
OTHER_MAISONS_FIGURES = OBJECT(
    lambda world: {"?": "?maison=saint-dizier"},
    allowed=[Role.PROJECT_LEAD, Role.ADMINISTRATOR],
    refused=[Role.AGENT],
    outcome=NOT_FOUND,
)
OTHER_MAISONS_TABLE = OBJECT(
    lambda world: {"chart": "motifs", "?": "?maison=saint-dizier"},
    allowed=[Role.PROJECT_LEAD, Role.ADMINISTRATOR],
    refused=[Role.AGENT],
    outcome=NOT_FOUND,
)
BOOKERS = (Role.ELECTED, Role.PROJECT_LEAD)  # accounts.perms.can_book_rooms (and officials' assistants)
# An official cannot cancel another's booking by its URL: it is looked for among their own (404).
OTHER_OFFICIALS_BOOKING = OBJECT(
    another_officials_booking, allowed=[Role.PROJECT_LEAD], refused=[Role.ELECTED], outcome=NOT_FOUND
)

ACCESS: dict[str, Access] = {
    # Public pages.
    "": PUBLIC(),
    "maisons/<slug:slug>/": PUBLIC(kwargs={"slug": "langres"}),
    # The public agenda and its feeds (events/urls_agenda.py); private feeds by their secret address.
    "agenda/": PUBLIC(),
    "agenda.ics": PUBLIC(),
    "maisons/<slug:slug>/agenda.ics": PUBLIC(kwargs={"slug": "langres"}),
    "agenda/<slug:slug>/": PUBLIC(kwargs=an_event_with_registration),
    "agenda/<slug:slug>/evenement.ics": PUBLIC(kwargs=an_event_with_registration),
    "agenda/<slug:slug>/inscription/": PUBLIC_FORM(kwargs=an_event_with_registration),
    "agenda/annulation/<str:token>/": PUBLIC_FORM(kwargs=a_registration_link),
    "agenda/abonnement/": STAFF(*Role, form=True),
    "agenda/flux/<str:key>/personnel.ics": PUBLIC(kwargs=a_calendar_key),
    "agenda/flux/<str:key>/maisons/<slug:slug>.ics": PUBLIC(
        kwargs=lambda world: {**a_calendar_key(world), "slug": "langres"}
    ),
    "agenda/flux/<str:key>/salles/<int:pk>.ics": PUBLIC(kwargs=a_calendar_key_and_room),
    "gestion/agenda/inscriptions/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR),
    "gestion/agenda/inscriptions/<int:pk>/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR, kwargs=an_event_occurrence),
    "gestion/agenda/inscriptions/<int:pk>/export.csv": STAFF(
        Role.PROJECT_LEAD, Role.ADMINISTRATOR, kwargs=an_event_occurrence
    ),
    # A Maison's presentation (text, access, photos): accounts.perms.can_edit_maison_presentation.
    "maisons/<slug:slug>/modifier/": STAFF(
        Role.PROJECT_LEAD, Role.COMMUNICATION, Role.ADMINISTRATOR, form=True, kwargs={"slug": "langres"}
    ),
    "accessibilite/": PUBLIC(),
    "mentions-legales/": PUBLIC(),
    "donnees-personnelles/": PUBLIC(),
    "plan-du-site/": PUBLIC(),
    "sitemap.xml": PUBLIC(),
    "robots.txt": PUBLIC(),
    "sante/": PUBLIC(),
    "recherche/": PUBLIC(),
    # The partner directory; staff (accounts.perms.can_see_partner_contacts) also see entries not in it.
    "partenaires/": PUBLIC(),
    "partenaires/<slug:slug>/": PUBLIC(kwargs=a_partner, objects=(UNPUBLISHED_PARTNER,)),
    "gestion/partenaires/": STAFF(*MANAGE_PARTNERS),
    # Partners check their entry through a personal link (no account); the project lead reviews and scores.
    "partenaires/verification/<str:token>/": PUBLIC(kwargs=a_verification_link),
    "partenaires/verification/<str:token>/confirmer/": PUBLIC_FORM(kwargs=a_verification_link),
    "partenaires/verification/<str:token>/modifier/": PUBLIC_FORM(kwargs=a_verification_link),
    "gestion/partenaires/qualite/": STAFF(*MANAGE_PARTNERS),
    "gestion/partenaires/verifications/": STAFF(*MANAGE_PARTNERS),
    "gestion/partenaires/verifications/<int:pk>/": STAFF(*MANAGE_PARTNERS, kwargs=a_change_proposal),
    "gestion/partenaires/verifications/<int:pk>/publier/": POST_ONLY(
        *MANAGE_PARTNERS, then=REDIRECT("/gestion/partenaires/verifications/"), kwargs=a_change_proposal
    ),
    "gestion/partenaires/verifications/<int:pk>/ecarter/": POST_ONLY(
        *MANAGE_PARTNERS, then=REDIRECT("/gestion/partenaires/verifications/"), kwargs=a_change_proposal
    ),
    "gestion/partenaires/verifications/demander/<slug:slug>/": POST_ONLY(
        *MANAGE_PARTNERS, then=REDIRECT("/gestion/partenaires/verifications/"), kwargs=a_partner
    ),
    # The read-only open data API (api/): public, GET and HEAD only.
    "api/": PUBLIC(),
    "api/openapi.json": PUBLIC(),
    "api/maisons": PUBLIC(),
    "api/maisons/<slug>": PUBLIC(kwargs=a_maison),
    "api/partenaires": PUBLIC(),
    "api/partenaires/<slug>": PUBLIC(kwargs=a_partner),
    "api/services": PUBLIC(),
    "api/evenements": PUBLIC(),
    "api/data-inclusion/structures.json": PUBLIC(),
    "api/data-inclusion/services.json": PUBLIC(),
    "api/data-inclusion/structures.csv": PUBLIC(),
    "api/data-inclusion/services.csv": PUBLIC(),
    "gestion/partenaires/nouveau/": STAFF(*MANAGE_PARTNERS, form=True),
    # Import and export: accounts.perms.can_import_partners (the same roles).
    "gestion/partenaires/importer/": STAFF(*MANAGE_PARTNERS, form=True),
    "gestion/partenaires/importer/<int:pk>/": STAFF(*MANAGE_PARTNERS, kwargs=an_import_job),
    "gestion/partenaires/importer/<int:pk>/confirmer/": POST_ONLY(
        *MANAGE_PARTNERS,
        then=Outcome("redirection vers l’import", _to("/gestion/partenaires/importer/")),
        kwargs=an_import_job,
    ),
    "gestion/partenaires/exporter/": STAFF(*MANAGE_PARTNERS),
    "gestion/partenaires/<slug:slug>/": STAFF(*MANAGE_PARTNERS, form=True, kwargs=a_partner),
    "gestion/partenaires/<slug:slug>/retirer/": POST_ONLY(
        *MANAGE_PARTNERS, then=REDIRECT("/gestion/partenaires/"), kwargs=a_partner, objects=(RETIRED_PARTNER,)
    ),
    "gestion/partenaires/<slug:slug>/retablir/": POST_ONLY(
        *MANAGE_PARTNERS, then=TO_PARTNER_MANAGEMENT, kwargs=a_retired_partner
    ),
    "gestion/partenaires/<slug:slug>/services/nouveau/": STAFF(*MANAGE_PARTNERS, form=True, kwargs=a_partner),
    "gestion/partenaires/<slug:slug>/services/<int:pk>/": STAFF(
        *MANAGE_PARTNERS, form=True, kwargs=a_partner_service, objects=(OTHER_PARTNERS_SERVICE,)
    ),
    "gestion/partenaires/<slug:slug>/services/<int:pk>/supprimer/": POST_ONLY(
        *MANAGE_PARTNERS, then=TO_PARTNER_MANAGEMENT, kwargs=a_partner_service, objects=(OTHER_PARTNERS_SERVICE,)
    ),
    "gestion/partenaires/<slug:slug>/contacts/nouveau/": STAFF(*MANAGE_PARTNERS, form=True, kwargs=a_partner),
    "gestion/partenaires/<slug:slug>/contacts/<int:pk>/": STAFF(
        *MANAGE_PARTNERS, form=True, kwargs=a_partner_contact, objects=(OTHER_PARTNERS_CONTACT,)
    ),
    "gestion/partenaires/<slug:slug>/contacts/<int:pk>/supprimer/": POST_ONLY(
        *MANAGE_PARTNERS, then=TO_PARTNER_MANAGEMENT, kwargs=a_partner_contact, objects=(OTHER_PARTNERS_CONTACT,)
    ),
    # Rooms' booking settings and blocked periods (maisons/views.py): accounts.perms.can_manage_portal.
    "gestion/salles/": STAFF(*MANAGE_ROOMS),
    "gestion/salles/<int:pk>/": STAFF(*MANAGE_ROOMS, form=True, kwargs=a_room),
    "gestion/salles/<int:pk>/indisponibilites/": POST_ONLY(*MANAGE_ROOMS, then=OK, kwargs=a_room),  # Errors shown.
    "gestion/salles/<int:pk>/indisponibilites/<int:block_pk>/lever/": POST_ONLY(
        *MANAGE_ROOMS, then=TO_ROOM, kwargs=a_room_block, objects=(OTHER_ROOMS_BLOCK,)
    ),
    # Wagtail serves the rest of the addresses from its page tree (config/urls.py), its documents through a view.
    "^((?:[\\w\\-]+/)*)$": Access(_outcomes(NOT_FOUND, NOT_FOUND), url="/page-inexistante/"),
    "^documents/(\\d+)/(.*)$": Access(_outcomes(NOT_FOUND, NOT_FOUND), url="/documents/0/inexistant.pdf"),
    # Content editing: Wagtail's admin (the communication service and administrators); its sign-in is allauth's.
    "cms/login/": Access(_outcomes(REDIRECT("/comptes/login/"), REDIRECT("/comptes/login/"))),
    # Others signed in get the portal's 403 (pages/middleware.py), the public the sign-in.
    CMS_ROUTES: STAFF(*CONTENT_EDITORS, form=True, url="/cms/", more_urls=CMS_SAMPLES),
    # Staff areas.
    # Reception statistics, exports and reports (accueil/stats): an agent's Maisons, or all for the others.
    "accueil/statistiques/": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/statistiques/visites.csv": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/statistiques/visites.xlsx": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/statistiques/tableaux/<slug:chart>.csv": STAFF(
        *SEE_STATISTICS, kwargs={"chart": "motifs"}, objects=(OTHER_MAISONS_TABLE,)
    ),
    "accueil/statistiques/tableaux/<slug:chart>.xlsx": STAFF(
        *SEE_STATISTICS, kwargs={"chart": "affluence"}, objects=(OTHER_MAISONS_TABLE,)
    ),
    "accueil/statistiques/rapport-mensuel/": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/statistiques/france-services.csv": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/statistiques/france-services.xlsx": STAFF(*SEE_STATISTICS, objects=(OTHER_MAISONS_FIGURES,)),
    "accueil/": STAFF(Role.AGENT, Role.PROJECT_LEAD, form=True),
    # The reception screen's own pages (accueil/views.py): an agent changes only their own visits of the day, and
    # never reaches another Maison's (404, invariant 4); the project lead, who logged none, gets 404 as well.
    "accueil/maison/": STAFF(Role.AGENT, Role.PROJECT_LEAD, form=True),
    # The partner field's suggestions (published partners only, as the public directory shows them).
    "accueil/partenaires/": STAFF(Role.AGENT, Role.PROJECT_LEAD),
    # The reception's reference lists (accueil/views_manage.py): accueil.perms.can_manage_reference_lists.
    "gestion/accueil/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR),
    "gestion/accueil/motifs/nouveau/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR, form=True),
    "gestion/accueil/motifs/<int:pk>/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR, form=True, kwargs=a_motif),
    "gestion/accueil/motifs/<int:pk>/retirer/": POST_ONLY(
        Role.PROJECT_LEAD, Role.ADMINISTRATOR, then=REDIRECT("/gestion/accueil/"), kwargs=a_motif
    ),
    "gestion/accueil/directions/nouvelle/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR, form=True),
    "gestion/accueil/directions/<int:pk>/": STAFF(
        Role.PROJECT_LEAD, Role.ADMINISTRATOR, form=True, kwargs=a_direction
    ),
    "accueil/visites/<int:pk>/modifier/": Access(
        _outcomes(TO_LOGIN, FORBIDDEN, {Role.AGENT: OK, Role.PROJECT_LEAD: NOT_FOUND}),
        kwargs=an_agents_visit,
        objects=(SAINT_DIZIER_VISIT,),
    ),
    "accueil/visites/<int:pk>/supprimer/": Access(
        _outcomes(TO_LOGIN, NOT_ALLOWED),
        post=_outcomes(TO_LOGIN, FORBIDDEN, {Role.AGENT: REDIRECT("/accueil/"), Role.PROJECT_LEAD: NOT_FOUND}),
        kwargs=an_agents_visit,
        objects=(SAINT_DIZIER_VISIT,),
    ),
    "accueil/visites/<int:pk>/retablir/": Access(
        _outcomes(TO_LOGIN, NOT_ALLOWED),
        post=_outcomes(TO_LOGIN, FORBIDDEN, {Role.AGENT: REDIRECT("/accueil/"), Role.PROJECT_LEAD: NOT_FOUND}),
        kwargs=an_agents_visit,
        objects=(SAINT_DIZIER_VISIT,),
    ),
    "accueil/visites/<int:pk>/mise-en-relation/": Access(
        _outcomes(TO_LOGIN, FORBIDDEN, {Role.AGENT: OK, Role.PROJECT_LEAD: NOT_FOUND}),
        kwargs=an_agents_orientation,
        objects=(SAINT_DIZIER_VISIT,),
    ),
    "accueil/mises-en-relation/<int:pk>/": Access(
        _outcomes(TO_LOGIN, FORBIDDEN, {Role.AGENT: OK, Role.PROJECT_LEAD: NOT_FOUND}),
        kwargs=an_agents_referral,
    ),
    "reservations/": STAFF(Role.ELECTED, Role.PROJECT_LEAD),
    # The booking's second step: without a slot picked in the grid, back to the grid (events/views_reservations.py).
    "reservations/nouvelle/": Access(
        _outcomes(TO_LOGIN, FORBIDDEN, dict.fromkeys(BOOKERS, REDIRECT("/reservations/")))
    ),
    "reservations/mes-reservations/": STAFF(*BOOKERS),
    "reservations/<int:pk>/annuler/": POST_ONLY(
        *BOOKERS,
        then=REDIRECT("/reservations/mes-reservations/"),
        kwargs=an_officials_booking,
        objects=(OTHER_OFFICIALS_BOOKING,),
    ),
    "gestion/reservations/": STAFF(*MANAGE_ROOMS),
    "gestion/reservations/<int:pk>/accepter/": POST_ONLY(
        *MANAGE_ROOMS, then=REDIRECT("/gestion/reservations/"), kwargs=a_pending_request
    ),
    "gestion/reservations/<int:pk>/refuser/": POST_ONLY(
        *MANAGE_ROOMS, then=REDIRECT("/gestion/reservations/"), kwargs=a_pending_request
    ),
    "gestion/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR),
    "gestion/planning/": STAFF(*PLANNERS),
    "gestion/planning/evenements/nouveau/": STAFF(*PLANNERS, form=True),
    "gestion/planning/evenements/<int:pk>/": STAFF(*PLANNERS, form=True, kwargs=a_planned_event),
    "gestion/planning/evenements/<int:duplicate_of>/dupliquer/": STAFF(
        *PLANNERS, form=True, kwargs=lambda world: {"duplicate_of": a_planned_event(world)["pk"]}
    ),
    "gestion/planning/occurrences/<int:pk>/": STAFF(*PLANNERS, form=True, kwargs=a_planned_occurrence),
    # Accounts and invitations.
    "comptes/": EVERY_ACCOUNT(),
    "comptes/mes-donnees/": EVERY_ACCOUNT(form=True),  # POST downloads the file (journalled).
    # E-mails and reminders (notifications/): each person's choices, and the refusal link of an address without an
    # account (a signed token); the project lead's rules, texts and list of messages.
    "comptes/notifications/": EVERY_ACCOUNT(form=True),
    "comptes/desabonnement/<str:token>/": PUBLIC_FORM(kwargs=an_opt_out_link),
    "gestion/rappels/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR),
    "gestion/rappels/envois/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR),
    "gestion/rappels/envois/<int:pk>/renvoyer/": POST_ONLY(
        Role.PROJECT_LEAD, Role.ADMINISTRATOR, then=REDIRECT("/gestion/rappels/envois/"), kwargs=a_failed_notification
    ),
    "gestion/rappels/<str:kind>/": STAFF(Role.PROJECT_LEAD, Role.ADMINISTRATOR, form=True, kwargs=a_notification_kind),
    "comptes/invitations/": STAFF(*MANAGE_INVITATIONS),
    "comptes/invitations/nouvelle/": STAFF(*MANAGE_INVITATIONS, form=True),
    "comptes/invitations/<int:pk>/annuler/": POST_ONLY(
        *MANAGE_INVITATIONS, then=TO_INVITATIONS, kwargs=an_invitation, objects=(ADMINS_INVITATION,)
    ),
    "comptes/invitations/<int:pk>/renvoyer/": POST_ONLY(
        *MANAGE_INVITATIONS, then=TO_INVITATIONS, kwargs=an_invitation, objects=(ADMINS_INVITATION,)
    ),
    # The link keeps the invitation in the session and leaves the token's URL for the form's.
    "comptes/invitation/<str:token>/": Access(
        _outcomes(REDIRECT("/comptes/invitation/"), REDIRECT("/comptes/")), read_only=True, kwargs=an_invitation_link
    ),
    "comptes/invitation/": Access(_outcomes(GONE, REDIRECT("/comptes/"))),
    # Addresses come from invitations; an administrator changes them in /admin/ (config/urls.py).
    "comptes/email/": NOWHERE,
    # django-allauth: sign-in, password, re-authentication.
    "comptes/login/": GUESTS(),
    "comptes/signup/": GUESTS(),  # Says that sign-up is closed: test_no_public_sign_up.
    "comptes/logout/": ALLAUTH(REDIRECT("/"), OK),
    "comptes/inactive/": ALLAUTH(OK, OK),
    "comptes/reauthenticate/": ALLAUTH(TO_LOGIN, OK),
    # Codes by e-mail are off (ACCOUNT_LOGIN_BY_CODE_ENABLED): their pages send back to the step before.
    "comptes/reauthenticate/code/": ALLAUTH(TO_LOGIN, REDIRECT("/comptes/reauthenticate/")),
    "comptes/reauthenticate/code/confirm/": ALLAUTH(TO_LOGIN, REDIRECT("/comptes/reauthenticate/code/")),
    "comptes/login/code/confirm/": ALLAUTH(REDIRECT("/comptes/login/"), REDIRECT("/comptes/")),
    "comptes/confirm-email/": ALLAUTH(OK, OK),
    r"comptes/^confirm-email/(?P<key>[-:\w]+)/$": ALLAUTH(OK, OK, url="/comptes/confirm-email/cle-inconnue/"),
    "comptes/password/change/": EVERY_ACCOUNT(form=True),
    "comptes/password/set/": ALLAUTH(TO_LOGIN, REDIRECT("/comptes/password/change/")),
    "comptes/password/reset/": PUBLIC_FORM(),
    "comptes/password/reset/done/": ALLAUTH(OK, OK),
    r"comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ALLAUTH(
        OK, OK, url="/comptes/password/reset/key/0-cle-inconnue/"
    ),
    "comptes/password/reset/key/done/": ALLAUTH(OK, OK),
    # django-allauth: multi-factor authentication and sessions. The factories give the roles that must use MFA
    # an authenticator app and recovery codes (accounts/middleware.py sends them to activation otherwise).
    "comptes/2fa/": ALLAUTH(TO_LOGIN, OK),
    "comptes/2fa/authenticate/": ALLAUTH(REDIRECT("/comptes/login/"), REDIRECT("/comptes/")),
    "comptes/2fa/reauthenticate/": ALLAUTH(TO_LOGIN, TO_REAUTHENTICATE, dict.fromkeys(MFA_ROLES, OK)),
    "comptes/2fa/totp/activate/": ALLAUTH(TO_LOGIN, TO_REAUTHENTICATE),  # Password again first.
    "comptes/2fa/totp/deactivate/": ALLAUTH(TO_LOGIN, NOT_FOUND, dict.fromkeys(MFA_ROLES, TO_REAUTHENTICATE)),
    "comptes/2fa/recovery-codes/": ALLAUTH(TO_LOGIN, NOT_FOUND, dict.fromkeys(MFA_ROLES, TO_REAUTHENTICATE)),
    "comptes/2fa/recovery-codes/generate/": ALLAUTH(TO_LOGIN, TO_REAUTHENTICATE),
    "comptes/2fa/recovery-codes/download/": ALLAUTH(TO_LOGIN, NOT_FOUND, dict.fromkeys(MFA_ROLES, TO_REAUTHENTICATE)),
    "comptes/sessions/": EVERY_ACCOUNT(form=True),
    # The Django administration.
    "admin/": ADMIN_ONLY(),
    # allauth's secure_admin_login: sign in through the portal (rate limits, MFA, journal), then 403 if not staff.
    "admin/login/": ALLAUTH(TO_LOGIN, FORBIDDEN, {Role.ADMINISTRATOR: REDIRECT("/admin/")}),
    "admin/logout/": Access(_outcomes(TO_ADMIN_LOGIN, REDIRECT("/admin/"), {Role.ADMINISTRATOR: NOT_ALLOWED})),
    "admin/password_change/": ADMIN_ONLY(),
    "admin/password_change/done/": ADMIN_ONLY(),
    "admin/autocomplete/": ADMIN_ONLY(then=FORBIDDEN),  # 403 without its query parameters.
    "admin/jsi18n/": ADMIN_ONLY(),
    "admin/r/<path:content_type_id>/<path:object_id>/": ADMIN_ONLY(
        then=NOT_FOUND, kwargs={"content_type_id": 0, "object_id": 0}
    ),
    "admin/^(?P<app_label>…)/$": ADMIN_ONLY(url="/admin/accounts/"),
    "admin/(?P<url>.*)$": ADMIN_ONLY(then=NOT_FOUND, url="/admin/page-inexistante/"),
    # Every registered model (an unknown object: the administration says so and goes back to its index).
    "admin/<modèle>/": ADMIN_MODEL(),
    "admin/<modèle>/add/": ADMIN_MODEL(
        except_for={
            "accounts.invitation": FORBIDDEN,  # Invitations are made in /comptes/invitations/nouvelle/.
            "audit.changelogentry": FORBIDDEN,  # The journals are written by the portal, never by hand.
            "audit.securityevent": FORBIDDEN,
            "maisons.commune": FORBIDDEN,  # The INSEE list is loaded by `manage.py load_communes`.
            "partenaires.theme": FORBIDDEN,  # data·inclusion's thematic list, loaded by a migration.
            "notifications.notification": FORBIDDEN,  # The ledger is written by the portal (notifications/).
        }
    ),
    "admin/<modèle>/<path:object_id>/": ADMIN_MODEL(then=TO_ADMIN_CHANGE, kwargs={"object_id": 0}),
    "admin/<modèle>/<path:object_id>/change/": ADMIN_MODEL(then=REDIRECT("/admin/"), kwargs={"object_id": 0}),
    "admin/<modèle>/<path:object_id>/delete/": ADMIN_MODEL(
        then=REDIRECT("/admin/"),
        kwargs={"object_id": 0},
        except_for=dict.fromkeys(
            [
                "audit.changelogentry",
                "audit.erasurerecord",
                "audit.securityevent",
                "maisons.commune",
                "partenaires.theme",
            ],
            FORBIDDEN,
        ),
    ),
    "admin/<modèle>/<path:object_id>/history/": ADMIN_MODEL(then=REDIRECT("/admin/"), kwargs={"object_id": 0}),
    "admin/<modèle>/<id>/password/": ADMIN_MODEL(then=NOT_FOUND, kwargs={"id": 0}),
    # django-import-export on the partners (partenaires/admin.py): export here, import through /gestion/.
    "admin/<modèle>/export/": ADMIN_MODEL(),
    "admin/<modèle>/import/": ADMIN_MODEL(then=REDIRECT("/gestion/partenaires/importer/")),
    "admin/<modèle>/process_import/": ADMIN_MODEL(then=REDIRECT("/gestion/partenaires/importer/")),
}

# Walking the resolver ----------------------------------------------------------------------------------------

MODEL_PLACEHOLDER = "<modèle>"


APP_INDEX = re.compile(r"\(\?P<app_label>[^)]*\)")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _admin_model_prefixes() -> dict[str, str]:
    return {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model._meta.label_lower
        for model in admin.site._registry
    }


def project_routes() -> dict[str, set[str]]:
    """Every route of the project → the registered models it stands for (empty outside `admin/<modèle>/`)."""
    prefixes = _admin_model_prefixes()
    routes: dict[str, set[str]] = {}
    for route in _walk(get_resolver().url_patterns):
        route = APP_INDEX.sub("(?P<app_label>…)", route)  # The administration's list of apps changes with them.
        if route.startswith("cms/") and route != "cms/login/":
            routes.setdefault(CMS_ROUTES, set())
            continue
        for prefix, label in prefixes.items():
            if route.startswith(prefix):
                routes.setdefault(f"admin/{MODEL_PLACEHOLDER}/" + route.removeprefix(prefix), set()).add(label)
                break
        else:
            routes.setdefault(route, set())
    return routes


def sample_url(route: str, access: Access, kwargs: dict, model: str | None = None) -> str:
    if access.url:
        return access.url
    if model:
        route = route.replace(MODEL_PLACEHOLDER, model.replace(".", "/"))
    if "(?P<" in route or "^" in route:
        raise AssertionError(f"{route} : une adresse en expression régulière donne son exemple avec url=…")
    # A probe may add a query string ("?": "?maison=…"): the same page asked about someone else's Maison.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match.group(1)]), route)
    return "/" + path + kwargs.get("?", "")


def cases() -> list[tuple[str, str | None]]:
    """(route, model) pairs to request: one per route, one per registered model for `admin/<modèle>/…`."""
    found = []
    for route, models in sorted(project_routes().items()):
        found.extend((route, model) for model in sorted(models)) if models else found.append((route, None))
    return found


def expected_get(route: str, access: Access, model: str | None, viewer) -> Outcome:
    if viewer == Role.ADMINISTRATOR and model in access.by_model:
        return access.by_model[model]
    return access.get[viewer]


# The world the requests run in -------------------------------------------------------------------------------

# Tables a GET may legitimately write to: the session store (allauth keeps its flow state there, the messages
# framework its messages), the security journal (it records access events, not portal data) and allauth's
# user sessions (its middleware records each signed-in session's last address and browser on every request).
# Wagtail's admin creates each editor's preferences row (wagtailusers.userprofile: language, theme) the first time
# they open it, through UserProfile.get_for_user(); it holds no portal data.
UNCOUNTED = {
    Session._meta.label_lower,
    "audit.securityevent",
    "usersessions.usersession",
    "wagtailusers.userprofile",
}


def counted_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in UNCOUNTED and model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in counted_models()}


def changed_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


class World:
    """The people and places of a matrix run: one person per viewer, the two Maisons."""

    def __init__(self, user_with_role, maison_langres, maison_saint_dizier):
        self.maison_langres = maison_langres
        self.maison_saint_dizier = maison_saint_dizier
        self.users = {viewer: user_with_role(viewer) for viewer in SIGNED_IN}

    @cached_property
    def clients(self) -> dict:
        return {viewer: self.client(viewer) for viewer in VIEWERS}

    def client(self, viewer, **options) -> Client:
        client = Client(**options)
        if viewer != ANONYMOUS:
            client.force_login(self.users[viewer])
        return client


@pytest.fixture
def world(user_with_role, maison_langres, maison_saint_dizier):
    return World(user_with_role, maison_langres, maison_saint_dizier)


def _kwargs(access: Access, world: World) -> dict:
    return access.kwargs(world) if callable(access.kwargs) else access.kwargs


def _case_id(case) -> str:
    route, model = case
    return f"/{route} [{model}]" if model else f"/{route}"


# The tests ---------------------------------------------------------------------------------------------------


def test_every_route_is_in_the_table():
    routes = set(project_routes())
    missing = sorted(routes - set(ACCESS))
    stale = sorted(set(ACCESS) - routes)
    assert not missing, (
        f"Adresses sans ligne dans la table ACCESS de tests/test_permissions.py : {missing}. Ajoutez une ligne par "
        "adresse, écrite comme ci-dessus, qui dit ce que chaque rôle obtient (PUBLIC(), STAFF(Role.AGENT), "
        "POST_ONLY(…), ADMIN_ONLY()…) ; voir docs/security.md, « La matrice des rôles »."
    )
    assert not stale, f"Lignes de ACCESS (tests/test_permissions.py) sans adresse dans le projet : {stale}."


def test_a_new_route_without_a_line_is_caught(settings):
    """The check above can fail: a project with one more page reports it."""
    urls = types.ModuleType("urls_with_a_new_page")
    urls.urlpatterns = [path("nouvelle-page/", lambda request: HttpResponse()), path("", include("config.urls"))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    try:
        assert set(project_routes()) - set(ACCESS) == {"nouvelle-page/"}
    finally:
        del sys.modules[urls.__name__]


def test_admin_models_are_in_the_matrix():
    """Every registered ModelAdmin's changelist and add pages are requested by the matrix."""
    requested = {model for route, model in cases() if route == f"admin/{MODEL_PLACEHOLDER}/add/"}
    assert requested == {model._meta.label_lower for model in admin.site._registry}
    assert "accounts.user" in requested and "accounts.invitation" in requested


@pytest.mark.parametrize("case", cases(), ids=_case_id)
def test_each_viewer_gets_what_the_table_says(world, case):
    route, model = case
    access = ACCESS[route]
    clients = world.clients
    kwargs = _kwargs(access, world)
    url = sample_url(route, access, kwargs, model)
    urls = [url, *(more(world) if callable(more) else more for more in access.more_urls)]
    for sample in urls:
        mismatches = []
        before = row_counts()
        for viewer in VIEWERS:
            expected = expected_get(route, access, model, viewer)
            response = clients[viewer].get(sample)
            if not expected.check(response):
                mismatches.append(f"{viewer_name(viewer)} : attendu {expected}, obtenu {describe(response)}")
        assert not mismatches, f"GET {sample} :\n" + "\n".join(mismatches)
        assert changed_rows(before, row_counts()) == {}, f"GET {sample} a modifié la base"

    if access.read_only:
        # Read-only pages answer GET and HEAD only (django.views.decorators.http.require_safe).
        readers = [viewer for viewer in VIEWERS if access.get[viewer] not in (TO_LOGIN, TO_ADMIN_LOGIN, FORBIDDEN)]
        reader = next((viewer for viewer in readers if access.get[viewer] == OK), readers[0])
        assert clients[reader].head(url).status_code == clients[reader].get(url).status_code
        for method in UNSAFE_METHODS:
            response = getattr(clients[reader], method)(url)
            assert response.status_code == 405, (
                f"{method.upper()} {url} ({viewer_name(reader)}) : {describe(response)}"
            )
            assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
        assert changed_rows(before, row_counts()) == {}


def _post_cases() -> list[str]:
    return [route for route, access in ACCESS.items() if access.post is not None]


@pytest.mark.parametrize("route", _post_cases())
def test_each_viewer_gets_what_the_table_says_on_post(world, route):
    """POST-only actions, on a fresh object for each viewer; a refused action changes nothing."""
    access = ACCESS[route]
    mismatches = []
    for viewer in VIEWERS:
        url = sample_url(route, access, _kwargs(access, world))
        expected = access.post[viewer]
        before = row_counts()
        response = world.client(viewer).post(url)
        if not expected.check(response):
            mismatches.append(f"{viewer_name(viewer)} : attendu {expected}, obtenu {describe(response)}")
        elif response.status_code in (403, 405) or expected is TO_LOGIN:
            assert changed_rows(before, row_counts()) == {}, f"POST {url} refusé à {viewer_name(viewer)}"
    assert not mismatches, f"POST {route} :\n" + "\n".join(mismatches)


def _object_cases() -> list[tuple[str, int]]:
    return [(route, index) for route, access in ACCESS.items() for index in range(len(access.objects))]


@pytest.mark.parametrize(("route", "index"), _object_cases())
def test_objects_of_others_are_refused(world, route, index):
    """Object-level checks: a viewer allowed on the route may still be refused someone else's object."""
    access = ACCESS[route]
    probe = access.objects[index]
    method = "post" if access.post is not None else "get"
    table = access.post if access.post is not None else access.get
    for viewer in [*probe.refused, *probe.allowed]:
        url = sample_url(route, access, probe.build(world))
        expected = probe.outcome if viewer in probe.refused else table[viewer]
        before = row_counts()
        response = getattr(world.client(viewer), method)(url)
        assert expected.check(response), (
            f"{method.upper()} {url} : {viewer_name(viewer)} attendu {expected}, obtenu {describe(response)}"
        )
        if viewer in probe.refused:
            assert changed_rows(before, row_counts()) == {}


# What the table cannot say -----------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["annuler", "renvoyer"])
def test_cancelling_or_resending_an_invitation_does_it_for_those_who_invite(world, action):
    for viewer in VIEWERS:
        invitation = InvitationFactory()
        world.client(viewer).post(f"/comptes/invitations/{invitation.pk}/{action}/")
        still_there = Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).exists()
        assert still_there is (viewer not in MANAGE_INVITATIONS), viewer_name(viewer)  # Cancelled, or a new token.


def test_agent_sees_only_the_maisons_they_are_attached_to(client, user_with_role, maison_langres, maison_saint_dizier):
    client.force_login(user_with_role(Role.AGENT, maisons=[maison_saint_dizier]))
    html = client.get("/accueil/").content.decode()
    assert "Maison du Département de Saint-Dizier" in html
    assert "Maison du Département de Langres" not in html


def test_project_lead_sees_both_maisons_in_reception(client, user_with_role, maison_langres, maison_saint_dizier):
    client.force_login(user_with_role(Role.PROJECT_LEAD))
    html = client.get("/accueil/").content.decode()
    assert "Maison du Département de Saint-Dizier" in html and "Maison du Département de Langres" in html


def test_unpublished_maison_is_hidden_from_the_public(client, maison_langres):
    maison_langres.is_published = False
    maison_langres.save()
    assert client.get("/maisons/langres/").status_code == 404
    assert "Maison du Département de Langres" not in client.get("/").content.decode()


def test_refusals_say_so_in_french(client_for):
    response = client_for(Role.ELECTED).get("/gestion/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_no_public_sign_up(client):
    response = client.get("/comptes/signup/")
    assert response.status_code == 200
    assert "inscription" in response.content.decode().lower()
    client.post("/comptes/signup/", {"email": "intrus@example.fr", "password1": "x" * 16, "password2": "x" * 16})
    assert not User.objects.filter(email="intrus@example.fr").exists()


def test_allauth_pages_show_no_staff_content_to_the_public(client):
    for route, access in ACCESS.items():
        if route.startswith("comptes/") and access.get[ANONYMOUS] == OK and not callable(access.kwargs):
            response = client.get(sample_url(route, access, access.kwargs))
            assert "Mon espace" not in response.content.decode(), route


def test_people_cannot_change_their_own_address(client_for):
    client = client_for(Role.AGENT)
    assert client.get("/comptes/email/").status_code == 404
    assert client.post("/comptes/email/", {"email": "autre@example.fr", "action_add": ""}).status_code == 404


def test_staff_lists_cost_a_bounded_number_of_queries(client_for, maison_saint_dizier, django_assert_max_num_queries):
    from maisons.tests.factories import MaisonFactory

    client = client_for(Role.PROJECT_LEAD)
    for _ in range(15):
        InvitationFactory().maisons.set([maison_saint_dizier])
        MaisonFactory()
    # Session, user, groups, the MFA check (accounts/middleware.py); then each page's own queries, independent of
    # the number of rows (/accueil/ asks a project lead, who sees every Maison, which one: two queries for the choice;
    # /reservations/ reads the Maison, its hours, closures, rooms and the officials one may book for).
    bounds = {"/comptes/invitations/": 9, "/gestion/": 9, "/accueil/": 7, "/reservations/": 10, "/comptes/": 6}
    # The layout's values read from the cache (the main menu, the accessibility statement) cost their queries
    # once, on the first page after a change: read them here.
    client.get("/comptes/")
    for url, bound in bounds.items():
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200
