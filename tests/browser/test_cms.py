"""As the communication service, in /cms/: write a news item with an image, preview it, schedule it, then publish
it, and see it on the home page at once (issue 6, « Browser journeys »)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from pages.models import NewsPage
from pages.services import ensure_site_tree
from pages.tests.factories import a_news_index, an_image

TITLE = "Fermeture de la RD 619 pour travaux"


@pytest.fixture
def newsroom(settings, tmp_path, redis_cache):
    """The news list and an uploaded photo; the anonymous page cache on, in the real Redis."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_ENABLED = True
    ensure_site_tree()
    return {"index": a_news_index(), "image": an_image("Chantier de la RD 619")}


def _save_schedule(page, go_live_at: str):
    schedule = page.get_by_role("button", name=re.compile("^(Programmer|Modifier la programmation)$"))
    if not schedule.is_visible():  # The status panel stays open from one page to the next.
        page.get_by_role("button", name="Afficher/masquer le statut").click()
    schedule.click()
    page.locator("#id_go_live_at").fill(go_live_at)
    # The date picker's calendar stays open over the dialog's button: the button is activated as a keyboard would.
    page.get_by_role("button", name="Enregistrer la programmation").dispatch_event("click")
    expect(page.get_by_text(f"La page « {TITLE} » a été mise à jour.")).to_be_visible()


def _footer_action(page, name: str):
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name=name).click()


def test_the_communication_service_writes_previews_schedules_and_publishes_a_news_item(
    page_as, browser, live_server, newsroom
):
    public = browser.new_context().new_page()  # A reader, not signed in.
    public.goto(live_server.url + "/")
    expect(public.get_by_text(TITLE)).to_have_count(0)

    page = page_as(Role.COMMUNICATION)
    page.goto(live_server.url + "/comptes/")
    page.get_by_role("navigation", name="Navigation professionnelle").get_by_role("link", name="Contenus").click()
    expect(page).to_have_url(re.compile("/cms/$"))
    page.goto(f"{live_server.url}/cms/pages/add/pages/newspage/{newsroom['index'].pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_intro").fill("La route est fermée du 7 au 11 décembre entre Langres et Chalindrey.")
    page.get_by_role("button", name="Choisir une image").click()
    page.get_by_role("link", name=re.compile("Chantier de la RD 619")).click()
    page.locator("#id_image_alt").fill("Des ouvriers refont la chaussée de la route départementale.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text(f"Page « {TITLE} » créée.")).to_be_visible()

    # Preview: the page as the public will see it, in Wagtail's side panel.
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("iframe[title]").first
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.locator("img[alt='Des ouvriers refont la chaussée de la route départementale.']")).to_have_count(1)

    # Schedule it for next week: published then, not now.
    next_week = timezone.localtime() + datetime.timedelta(days=7)
    _save_schedule(page, next_week.strftime("%Y-%m-%d 09:00"))
    _footer_action(page, "Programmer pour publication")
    expect(page.get_by_text(f"La page « {TITLE} » a été planifiée pour publication.")).to_be_visible()
    item = NewsPage.objects.get(title=TITLE)
    assert not item.live and item.get_latest_revision().approved_go_live_at is not None
    public.goto(live_server.url + "/")
    expect(public.get_by_text(TITLE)).to_have_count(0)

    # Then publish it now after all: on the home page at once, the page cached a moment ago replaced.
    page.goto(f"{live_server.url}/cms/pages/{item.pk}/edit/")
    page.get_by_role("button", name="Annuler la publication programmée").click()
    expect(page.get_by_role("button", name="Annuler la publication programmée")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    _save_schedule(page, "")
    _footer_action(page, "Publier")
    expect(page.get_by_text(f"La page « {TITLE} » a été publiée.")).to_be_visible()
    public.goto(live_server.url + "/")
    news = public.get_by_role("link", name=TITLE)
    expect(news).to_be_visible()
    news.click()
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(public.locator("img[alt='Des ouvriers refont la chaussée de la route départementale.']")).to_have_count(1)
