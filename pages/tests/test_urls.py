"""URL ownership: the Django URLs come first; a Wagtail page they would hide is a failure (DESIGN.md)."""

from django.urls import Resolver404
from django.urls.resolvers import RegexPattern, URLResolver
from wagtail.models import Page

from pages.urls_ownership import django_patterns

from .factories import a_news_item, an_information_page


def _django_resolver():
    return URLResolver(RegexPattern(r"^/"), django_patterns())


def shadowed_pages() -> list[str]:
    resolver = _django_resolver()
    hidden = []
    for page in Page.objects.live().filter(depth__gt=1).specific():
        url = page.get_url()
        if not url:
            continue
        try:
            match = resolver.resolve(url)
        except Resolver404:
            continue
        hidden.append(f"{page.title} ({url}) est masquée par la vue Django {match.view_name}")
    return hidden


def test_no_live_page_is_shadowed_by_a_django_url():
    an_information_page(slug="routes")
    parent = an_information_page(slug="solidarites")
    an_information_page(parent, slug="maisons")  # /solidarites/maisons/: not Django's.
    a_news_item(slug="plan-hiver")
    assert shadowed_pages() == []


def test_the_shadow_check_finds_a_hidden_page():
    # Saved without validation, as an import or a shell could: the check still catches it.
    page = an_information_page(slug="sante-publique")
    Page.objects.filter(pk=page.pk).update(slug="sante", url_path=page.url_path.replace("sante-publique", "sante"))
    assert shadowed_pages() == [
        "Page d’information " + page.title.rsplit(" ", 1)[1] + " (/sante/) est masquée par la vue Django health"
    ]
