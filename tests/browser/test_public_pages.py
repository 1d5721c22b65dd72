"""What every public page owes a reader on a phone in a village: nothing loaded from another site, no cookie, a
light first load, zero axe-core violations at phone and desktop widths, an outline of headings, links that make
sense out of context. A new public page joins with one line in PUBLIC_PAGES (run on the demonstration data).
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .axe import assert_no_axe_violations

# (name, URL or a function of the demonstration data giving it).
PUBLIC_PAGES = [
    ("accueil", "/"),
    ("maison", "/maisons/langres/"),
    ("actualités", "/actualites/"),
    ("une actualité", lambda: _first_page_of("newspage")),
    ("une page d’information", lambda: _first_page_of("informationpage")),
    ("recherche", "/recherche/?q=college"),
    ("annuaire des partenaires", "/partenaires/?q=securite+sociale&commune=Saint-Dizier"),
    ("un partenaire", "/partenaires/caf/"),
    ("agenda", "/agenda/"),
    ("agenda du mois", "/agenda/?vue=mois"),
    ("un événement de l’agenda", lambda: _first_public_event()),
    ("API ouverte", "/api/"),
    ("vérification d’une fiche par son partenaire", lambda: _verification_link("caf")),
    ("recherche sans résultat", "/recherche/?q=zzzzzz"),
    ("accessibilité", "/accessibilite/"),
    ("mentions légales", "/mentions-legales/"),
    ("données personnelles", "/donnees-personnelles/"),
    ("plan du site", "/plan-du-site/"),
    ("page introuvable", "/page-inexistante/"),
]
WIDTHS = {"téléphone": {"width": 375, "height": 812}, "bureau": {"width": 1280, "height": 800}}
MAX_BYTES = 500 * 1024
MAX_REQUESTS = 20
# Link texts that say nothing once read out of their sentence (RGAA 6.1), unless the link's accessible name adds
# what they lack (aria-label or visually hidden text).
VAGUE_LINK_TEXTS = {"ici", "cliquez ici", "lire la suite", "en savoir plus", "plus", "voir", "lien", "suite"}


def _verification_link(slug: str) -> str:
    """A partner's personal link to check its entry (partenaires/verification)."""
    from partenaires.verification.tests.factories import VerificationRequestFactory

    return VerificationRequestFactory(partner__slug=slug).get_absolute_url()


def _first_page_of(model: str) -> str:
    from wagtail.models import Page

    page = Page.objects.live().public().filter(content_type__model=model).order_by("path").first()
    assert page is not None, f"Les données de démonstration n’ont aucune page publiée de type {model}."
    return page.url


def _first_public_event() -> str:
    from events.agenda import public_occurrences
    from events.enums import OccupancyKind

    occurrence = public_occurrences().filter(kind=OccupancyKind.EVENT).exclude(slug=None).first()
    assert occurrence is not None, "Les données de démonstration n’ont aucun événement public."
    return f"/agenda/{occurrence.slug}/"


def _url(target) -> str:
    return target() if callable(target) else target


@pytest.mark.parametrize(("name", "target"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_page_is_self_contained_light_cookieless_and_accessible(page, live_server, demo_data, name, target):
    url = live_server.url + _url(target)
    site = urlsplit(live_server.url).netloc
    for width, viewport in WIDTHS.items():
        # Leave the previous width's document first: resized, it would start loading the lazy images the wider
        # layout reveals, requests that the next navigation cancels and that would count as this load's failures.
        page.goto("about:blank")
        page.context.clear_cookies()
        page.set_viewport_size(viewport)
        requests = []

        def record(request, requests=requests):
            requests.append(request)

        page.on("request", record)
        page.goto(url, wait_until="load")
        page.remove_listener("request", record)

        elsewhere = [r.url for r in requests if not r.url.startswith("data:") and urlsplit(r.url).netloc != site]
        assert not elsewhere, f"{name} ({width}) : requêtes vers un autre site : {elsewhere}"
        assert len(requests) < MAX_REQUESTS, f"{name} ({width}) : {len(requests)} requêtes au premier chargement"
        weight = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)
        assert weight < MAX_BYTES, f"{name} ({width}) : {weight} octets au premier chargement"
        assert page.context.cookies() == [], f"{name} ({width}) : cookie déposé chez un lecteur anonyme"

        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_no_axe_violations(page)
    _assert_heading_outline(page, name)
    _assert_links_make_sense_alone(page, name)


def _assert_heading_outline(page, name: str) -> None:
    """Headings form an outline: one h1 first, then no level skipped on the way down (RGAA 9.1)."""
    levels = page.locator("main h1, main h2, main h3, main h4, main h5, main h6").evaluate_all(
        "nodes => nodes.map(node => Number(node.tagName[1]))"
    )
    assert levels and levels[0] == 1, f"{name} : le contenu principal ne commence pas par son titre h1 ({levels})"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{name} : titre h{after} juste après un h{before} ({levels})"


def _assert_links_make_sense_alone(page, name: str) -> None:
    links = page.locator("a[href]").evaluate_all(
        """nodes => nodes.map(node => ({
            text: node.innerText.trim().toLowerCase(),
            label: (node.getAttribute('aria-label') || node.textContent).trim().toLowerCase(),
        }))"""
    )
    vague = [link["text"] for link in links if link["text"] in VAGUE_LINK_TEXTS and link["label"] == link["text"]]
    assert not vague, f"{name} : liens sans sens hors contexte : {vague}"
