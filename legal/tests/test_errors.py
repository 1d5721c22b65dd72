"""The French 404 and 500 pages: the 404 in the layout, whoever raises it; the 500 on its own."""

import html
import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


@pytest.mark.parametrize("path", ["/une-page-qui-n-existe-pas/", "/rubrique/sous-page/", "/maisons/inconnue/"])
def test_an_unknown_address_gets_the_french_404_in_the_layout(client, path):
    response = client.get(path)  # Wagtail's catch-all, or a Django view that raises Http404.
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert "<h1>Page introuvable</h1>" in page
    assert '<a href="/recherche/">rechercher une information sur le portail</a>' in page
    assert '<a href="/plan-du-site/">plan du site</a>' in page
    assert "Accessibilité : non conforme" in page  # The layout's footer.
    assert not response.cookies


@pytest.mark.urls("legal.tests.empty_urls")
def test_the_500_page_renders_alone_with_an_empty_context(django_assert_num_queries):
    # The database, or the URLconf itself, may be what failed.
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = html.unescape(response.content.decode())
    assert '<html lang="fr">' in page
    assert "<h1>Une erreur est survenue</h1>" in page
    assert '<link rel="stylesheet" href="/static/css/portail.css">' in page
    assert '<a href="/plan-du-site/">plan du site</a>' in page
    # Nothing the CSP forbids (no inline style or script), and no template left unrendered.
    assert not re.search(r"<script|<style|style=|\son[a-z]+=", page)
    assert "{%" not in page and "{{" not in page
