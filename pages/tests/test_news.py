import datetime
import time
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maisons.tests.factories import MaisonFactory
from pages.models import NEWS_PER_PAGE, NewsPage

from .factories import a_category, a_news_index, a_news_item, an_image

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_list_is_paginated_newest_first(client):
    for days_ago in range(NEWS_PER_PAGE + 3):
        a_news_item(days_ago=days_ago, title=f"Nouvelle du jour J-{days_ago}")
    first = client.get("/actualites/").content.decode()
    assert "13 actualités" in first
    assert first.index("Nouvelle du jour J-0<") < first.index("Nouvelle du jour J-1<")
    assert "Nouvelle du jour J-12<" not in first
    assert "Page 1 sur 2" in first and 'href="?page=2"' in first
    second = client.get("/actualites/?page=2").content.decode()
    assert "Nouvelle du jour J-12<" in second and "Nouvelle du jour J-0<" not in second
    assert client.get("/actualites/?page=3").status_code == 404
    assert client.get("/actualites/?page=abc").status_code == 404


def test_the_list_filters_by_category_and_maison(client, maison_langres):
    roads = a_category()
    schools = a_category("Éducation", "education")
    a_news_item(title="Plan hiver", category=roads)
    a_news_item(title="Permanence à Langres", category=schools, maison=maison_langres)
    a_news_item(title="Ordinateurs en 6e", category=schools)
    html = client.get("/actualites/?categorie=education").content.decode()
    assert "Permanence à Langres" in html and "Ordinateurs en 6e" in html and "Plan hiver<" not in html
    html = client.get("/actualites/?maison=langres").content.decode()
    assert "Permanence à Langres" in html and "Ordinateurs en 6e" not in html
    html = client.get("/actualites/?categorie=education&maison=langres").content.decode()
    assert "1 actualité<" in html
    # The filters stay in the pagination links, and an unknown value (an old link) filters nothing.
    html = client.get("/actualites/?categorie=inconnue").content.decode()
    assert "3 actualités" in html


def test_the_filters_keep_their_values_in_pagination_links(client):
    schools = a_category("Éducation", "education")
    for _ in range(NEWS_PER_PAGE + 1):
        a_news_item(category=schools)
    html = client.get("/actualites/?categorie=education").content.decode()
    assert 'href="?categorie=education&amp;page=2"' in html
    assert '<option value="education" selected>Éducation</option>' in html


def test_a_scheduled_item_stays_hidden_until_its_date(client):
    index = a_news_index()
    item = NewsPage(title="Portes ouvertes", slug="portes-ouvertes", intro="Bientôt.", live=False)
    index.add_child(instance=item)
    item.go_live_at = timezone.now() + datetime.timedelta(days=7)
    item.save_revision(approved_go_live_at=item.go_live_at)
    assert client.get("/actualites/portes-ouvertes/").status_code == 404
    assert "Portes ouvertes" not in client.get("/actualites/").content.decode()


def test_a_news_item_shows_its_date_category_maison_and_image(client, maison_langres):
    item = a_news_item(
        title="Permanence France Rénov’",
        category=a_category("Vie des Maisons", "vie-des-maisons"),
        maison=maison_langres,
        image=an_image(),
        image_alt="Un conseiller reçoit un couple.",
    )
    item.date = datetime.date(2026, 11, 3)
    item.save_revision().publish()
    html = client.get("/actualites/" + item.slug + "/").content.decode()
    assert '<time datetime="2026-11-03">3 novembre 2026</time>' in html
    assert "Vie des Maisons" in html
    assert f'<a href="{maison_langres.get_absolute_url()}">{maison_langres.name}</a>' in html
    assert 'alt="Un conseiller reçoit un couple."' in html and 'type="image/webp"' in html
    # Breadcrumb: the home, the news list, the item.
    assert '<li><a href="/actualites/">Actualités</a></li>' in html


def test_feeds_list_the_latest_items(client):
    MaisonFactory()
    a_news_item(title="Plan hiver", intro="Les routes sont salées.", category=a_category(), days_ago=1)
    a_news_item(title="Ordinateurs en 6e", intro="1 600 ordinateurs.")
    rss = client.get("/actualites/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Ordinateurs en 6e", "Plan hiver"]
    assert items[1].findtext("link").endswith("/actualites/" + NewsPage.objects.get(title="Plan hiver").slug + "/")
    assert items[1].findtext("category") == "Routes et mobilité"
    assert items[1].findtext("description") == "Les routes sont salées."
    atom = client.get("/actualites/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(atom.content)
    assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == [
        "Ordinateurs en 6e",
        "Plan hiver",
    ]
    assert client.get("/actualites/").content.decode().count('rel="alternate"') == 2


def test_feed_and_list_slugs_cannot_be_taken_by_an_item():
    with pytest.raises(ValidationError):
        a_news_item(slug="rss")


def test_the_beat_task_publishes_a_scheduled_item_and_refreshes_the_public_pages(
    client, django_capture_on_commit_callbacks
):
    from core.pagecache import generation
    from pages.tasks import publish_scheduled_task

    index = a_news_index()
    item = NewsPage(title="Portes ouvertes", slug="portes-ouvertes", intro="Bientôt.", live=False)
    index.add_child(instance=item)
    item.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    item.save_revision(approved_go_live_at=item.go_live_at)
    publish_scheduled_task()
    assert client.get("/actualites/portes-ouvertes/").status_code == 404  # Not yet.
    time.sleep(max(0, (item.go_live_at - timezone.now()).total_seconds()) + 0.1)
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled_task()
    assert generation() != before
    assert client.get("/actualites/portes-ouvertes/").status_code == 200
    assert "Portes ouvertes" in client.get("/").content.decode()


def test_news_cards_are_rendered_once_then_read_from_the_cache_until_a_public_page_changes(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from pages.templatetags import pages_tags

    item = a_news_item(title="Foire aux livres", image=an_image(), image_alt="Des livres sur une table.")
    rendered = []
    render_to_string = pages_tags.render_to_string

    def counting_render(template_name, context=None, **kwargs):
        rendered.append(context["item"].pk)
        return render_to_string(template_name, context, **kwargs)

    monkeypatch.setattr(pages_tags, "render_to_string", counting_render)
    first = client.get("/actualites/").content.decode()
    assert "Foire aux livres" in first and rendered == [item.pk]
    assert client.get("/actualites/").content.decode() == first
    assert rendered == [item.pk]  # The second reader got the card from the cache.

    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Foire aux livres d’automne"
        item.save_revision().publish()
    assert "Foire aux livres d’automne" in client.get("/actualites/").content.decode()
    assert rendered == [item.pk, item.pk]
