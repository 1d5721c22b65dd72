"""Invariant 4: every URL requested as every role gets exactly what the role allows."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.tests.factories import InvitationFactory

ANONYMOUS = "anonymous"
NO_ROLE = None
EVERYONE = [ANONYMOUS, NO_ROLE, *Role]
SIGNED_IN = [NO_ROLE, *Role]

PUBLIC_PAGES = [
    "/",
    "/maisons/langres/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/sante/",
    "/comptes/login/",
    "/comptes/password/reset/",
    "/comptes/signup/",  # Says that sign-up is closed.
]

# url → roles that get 200; the other signed-in roles get 403, anonymous visitors the sign-in page.
STAFF_PAGES = {
    "/comptes/": SIGNED_IN,
    "/comptes/password/change/": SIGNED_IN,
    "/accueil/": [Role.AGENT, Role.PROJECT_LEAD],
    "/reservations/": [Role.ELECTED, Role.PROJECT_LEAD],
    "/gestion/": [Role.PROJECT_LEAD, Role.ADMINISTRATOR],
    "/comptes/invitations/": [Role.PROJECT_LEAD, Role.ADMINISTRATOR],
    "/comptes/invitations/nouvelle/": [Role.PROJECT_LEAD, Role.ADMINISTRATOR],
}


def _id(role):
    return role.value if isinstance(role, Role) else str(role)


@pytest.mark.parametrize("role", EVERYONE, ids=_id)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_answer_everyone(client_for, maison_langres, role, url):
    response = client_for(role).get(url)
    if url in ("/comptes/login/", "/comptes/signup/") and role != ANONYMOUS:
        assert response.status_code == 302  # allauth sends a signed-in person on to their space.
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", EVERYONE, ids=_id)
@pytest.mark.parametrize("url", list(STAFF_PAGES))
def test_staff_pages_answer_only_their_roles(client_for, maison_langres, role, url):
    response = client_for(role).get(url)
    if role == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    elif role in STAFF_PAGES[url]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize("role", EVERYONE, ids=_id)
def test_admin_is_for_administrators_only(client_for, role):
    response = client_for(role).get("/admin/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", EVERYONE, ids=_id)
@pytest.mark.parametrize("action", ["annuler", "renvoyer"])
def test_cancelling_or_resending_an_invitation_is_for_those_who_invite(client_for, role, action):
    invitation = InvitationFactory()
    response = client_for(role).post(f"/comptes/invitations/{invitation.pk}/{action}/")
    still_there = Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).exists()
    if role in (Role.PROJECT_LEAD, Role.ADMINISTRATOR):
        assert response.status_code == 302
        assert not still_there  # Cancelled, or given a new token.
    elif role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
        assert still_there
    else:
        assert response.status_code == 403
        assert still_there


@pytest.mark.parametrize("url", ["/comptes/invitations/1/annuler/", "/comptes/invitations/1/renvoyer/"])
def test_invitation_actions_refuse_get(client_for, url):
    assert client_for(Role.PROJECT_LEAD).get(url).status_code == 405


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


def test_no_public_sign_up(client):
    response = client.get("/comptes/signup/")
    assert response.status_code == 200
    assert "inscription" in response.content.decode().lower()
    response = client.post(
        "/comptes/signup/", {"email": "intrus@example.fr", "password1": "x" * 16, "password2": "x" * 16}
    )
    assert not User.objects.filter(email="intrus@example.fr").exists()


# Every route of the portal, outside /admin/, must be classified here: a new view cannot escape the checks above.
OTHER_ROUTES = {
    # Routes with parameters, tested with real objects in their apps' tests and above.
    "maisons/<slug:slug>/": "public, tested with /maisons/langres/",
    "comptes/invitations/<int:pk>/annuler/": "POST, tested above",
    "comptes/invitations/<int:pk>/renvoyer/": "POST, tested above",
    "comptes/invitation/<str:token>/": "public, accounts/tests/test_invitations.py",
    "comptes/^confirm-email/(?P<key>[-:\\w]+)/$": "allauth, public by design",
    "comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "allauth, accounts/tests/test_auth.py",
    # allauth pages with no parameter: checked by test_allauth_pages_never_fail below.
    "comptes/logout/": "allauth",
    "comptes/inactive/": "allauth",
    "comptes/reauthenticate/": "allauth",
    "comptes/reauthenticate/code/": "allauth",
    "comptes/reauthenticate/code/confirm/": "allauth",
    "comptes/email/": "disabled: 404",
    "comptes/confirm-email/": "allauth",
    "comptes/password/set/": "allauth",
    "comptes/login/code/confirm/": "allauth",
    "comptes/password/reset/key/done/": "allauth",
    "comptes/password/reset/done/": "allauth",
    # allauth's multi-factor authentication and sessions pages.
    "comptes/2fa/": "allauth",
    "comptes/2fa/authenticate/": "allauth",
    "comptes/2fa/reauthenticate/": "allauth",
    "comptes/2fa/totp/activate/": "allauth",
    "comptes/2fa/totp/deactivate/": "allauth",
    "comptes/2fa/recovery-codes/": "allauth",
    "comptes/2fa/recovery-codes/generate/": "allauth",
    "comptes/2fa/recovery-codes/download/": "allauth",
    "comptes/sessions/": "allauth",
}


def _routes(patterns, prefix=""):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_route_is_classified():
    from django.urls import get_resolver

    classified = {url.lstrip("/") for url in [*PUBLIC_PAGES, *STAFF_PAGES]} | set(OTHER_ROUTES)
    routes = {route for route in _routes(get_resolver().url_patterns) if not route.startswith("admin/")}
    assert routes - classified == set(), "Classez ces adresses dans tests/test_permissions.py"


@pytest.mark.parametrize("role", EVERYONE, ids=_id)
@pytest.mark.parametrize(
    "route", [route for route, kind in OTHER_ROUTES.items() if kind in ("allauth", "disabled: 404")]
)
def test_allauth_pages_never_fail_nor_leak(client_for, role, route):
    response = client_for(role).get("/" + route)
    assert response.status_code in (200, 302, 404, 405)
    if role == ANONYMOUS and response.status_code == 200:
        assert "Mon espace" not in response.content.decode()  # No staff content for the public.


def test_people_cannot_change_their_own_address(client_for):
    client = client_for(Role.AGENT)
    assert client.get("/comptes/email/").status_code == 404
    assert client.post("/comptes/email/", {"email": "autre@example.fr", "action_add": ""}).status_code == 404


def test_staff_lists_cost_a_bounded_number_of_queries(client_for, maison_saint_dizier, django_assert_max_num_queries):
    from accounts.tests.factories import InvitationFactory as Invitations
    from maisons.tests.factories import MaisonFactory

    client = client_for(Role.PROJECT_LEAD)
    for _ in range(15):
        Invitations().maisons.set([maison_saint_dizier])
        MaisonFactory()
    # Session, user, groups; then each page's own queries, independent of the number of rows.
    bounds = {"/comptes/invitations/": 8, "/gestion/": 8, "/accueil/": 5, "/reservations/": 7, "/comptes/": 5}
    for url, bound in bounds.items():
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200
