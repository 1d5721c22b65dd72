"""CSRF on every state-changing request: every route that accepts POST refuses one without a token.

The routes come from the role matrix (tests/test_permissions.py): each route whose line says it accepts POST (not
`read_only`) is posted to, without a token, by a viewer the table lets use it, with a client that enforces CSRF
checks as a browser would. The answer must be 403 with the portal's French page, and no row may change. The same
request with a token must then get past the check, so that the 403 is really CSRF's doing.
(No state change on GET is asserted by the matrix itself: `test_each_viewer_gets_what_the_table_says`.)
"""

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string

from tests.test_permissions import (
    ACCESS,
    FORBIDDEN,
    World,
    _case_id,
    _kwargs,
    cases,
    changed_rows,
    expected_get,
    row_counts,
    sample_url,
    viewer_name,
)

CSRF_PAGE = "Formulaire expiré"


def _posted_cases():
    found = []
    for route, model in cases():
        access = ACCESS[route]
        viewer = access.poster
        # A page the administration forbids to everyone (an add page of a read-only journal) changes nothing anyway.
        if viewer is not None and (access.post is not None or expected_get(route, access, model, viewer) != FORBIDDEN):
            found.append((route, model))
    return found


@pytest.fixture
def world(user_with_role, maison_langres, maison_saint_dizier):
    return World(user_with_role, maison_langres, maison_saint_dizier)


def test_state_changing_routes_are_found():
    posted = {route for route, model in _posted_cases()}
    assert {
        "comptes/login/",
        "comptes/logout/",
        "comptes/invitations/<int:pk>/annuler/",
        "admin/<modèle>/add/",
    } <= posted
    assert "comptes/" not in posted  # Read-only: answers 405 to POST (tests/test_permissions.py).


@pytest.mark.parametrize("case", _posted_cases(), ids=_case_id)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(world, case):
    route, model = case
    access = ACCESS[route]
    viewer = access.poster
    url = sample_url(route, access, _kwargs(access, world), model)
    client = world.client(viewer, enforce_csrf_checks=True)
    before = row_counts()
    response = client.post(url, {"email": "quelquun@haute-marne.fr", "password": "x" * 16})
    assert response.status_code == 403, f"POST {url} sans jeton ({viewer_name(viewer)}) : {response.status_code}"
    assert CSRF_PAGE in response.content.decode()
    assert changed_rows(before, row_counts()) == {}

    # The control: with the token, the same request gets past the CSRF check.
    secret = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(url, {"csrfmiddlewaretoken": secret})
    assert CSRF_PAGE not in response.content.decode()


def test_the_csrf_page_is_french_and_standalone(client):
    client = type(client)(enforce_csrf_checks=True)
    response = client.post("/comptes/login/", {"login": "personne@haute-marne.fr", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Revenez à la page précédente" in html
