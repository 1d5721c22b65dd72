"""Every state-changing endpoint posted random bodies by the role allowed to use it: never a 500, and a refused
post (the form shown again, or any 4xx) writes nothing.

The test reads the page's form as a browser would (GET, field names and options), then posts bodies built from
it; CSRF tokens are kept (the test client does not check them anyway).
"""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from .registry import ENDPOINTS
from .support import ENGLISH_DEFAULTS, FUZZ, changed_counts, parse_form, post_bodies, row_counts, watched_tables


def _path(endpoint, ctx) -> str:
    if callable(endpoint.url):
        return endpoint.url(ctx)
    return reverse(endpoint.url, kwargs=endpoint.url_kwargs)


def _client(user, endpoint, ctx) -> Client:
    """A client signed in as `user`, recently enough for the pages that ask for the password again."""
    client = Client()
    if endpoint.prepare is not None:
        endpoint.prepare(client, ctx)
    if user is not None:
        client.force_login(user)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": time.time(), "email": user.email}]
        session.save()
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_random_posts_never_fail_and_a_refused_post_writes_nothing(endpoint, fuzz_context, user_with_role):
    ctx = fuzz_context
    user = None if endpoint.role == "anonymous" else user_with_role(endpoint.role)
    tables = watched_tables()
    # The form as the person sees it; a link that redirects (the invitation's) is followed.
    page = _client(user, endpoint, ctx).get(_path(endpoint, ctx), follow=True)
    assert page.status_code == 200, (endpoint.name, page.redirect_chain)
    form_path = page.request["PATH_INFO"]
    # Sent back to the sign-in page, the test would fuzz that form instead of this endpoint's.
    assert form_path != reverse("account_login") or endpoint.url == "account_login", (endpoint.name, form_path)
    form = parse_form(page.content.decode(), form_path)
    assert form is not None, f"{endpoint.name} : aucun formulaire POST sur {form_path}"
    action = form.action or form_path

    @FUZZ
    @given(body=post_bodies(form, ctx.known_values()), data=st.data())
    def check(body, data):
        with transaction.atomic():
            client = _client(user, endpoint, ctx)
            if form_path != _path(endpoint, ctx):
                client.get(_path(endpoint, ctx))  # A link that keeps its secret in the session, then redirects.
            before = row_counts(tables)
            response = client.post(action, body)
            event(f"statut {response.status_code}")  # --hypothesis-show-statistics: what the bodies reached.
            assert response.status_code < 500
            shown = response.content.decode(errors="replace")
            assert [default for default in ENGLISH_DEFAULTS if default in shown] == []
            if response.status_code not in (301, 302, 303):
                assert changed_counts(before, row_counts(tables)) == {}, response.status_code
            transaction.set_rollback(True)

    check()
