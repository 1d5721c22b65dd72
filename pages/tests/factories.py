"""Builders for the Wagtail tree in tests: pages are added under their parent and published as an editor would."""

import datetime
import itertools
import json

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file_jpeg

from pages.models import HomePage, InformationPage, NewsCategory, NewsIndexPage, NewsPage

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def an_image(title: str = "Illustration") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file_jpeg(size=(1200, 675)))


def a_document(
    title: str = "Guide des aides", name: str = "guide.pdf", content: bytes = b"%PDF-1.4\n" + b"x" * 250_000
):
    document = Document(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def every_block(image: Image, document: Document) -> str:
    """A StreamField value using every block type once (raw form)."""
    return json.dumps(
        [
            {"type": "heading", "value": {"text": "Les aides aux collégiens", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Le Département équipe chaque <b>collège</b> public.</p>"},
            {
                "type": "callout",
                "value": {"kind": "important", "title": "À noter", "text": "<p>Inscription en juin.</p>"},
            },
            {
                "type": "contact",
                "value": {
                    "name": "Direction des collèges",
                    "address": "1 rue du Commandant Hugueny (adresse fictive)\n52000 Chaumont",
                    "phone": "03 25 00 20 30 (numéro fictif)",
                    "email": "colleges@haute-marne.example",
                    "hours": "Du lundi au vendredi",
                },
            },
            {"type": "document", "value": {"document": document.pk, "title": ""}},
            {
                "type": "faq",
                "value": {
                    "title": "Questions fréquentes",
                    "questions": [
                        {"question": "Qui paie la cantine ?", "answer": "<p>Les familles, selon le quotient.</p>"}
                    ],
                },
            },
            {"type": "heading", "value": {"text": "En images", "level": "h3"}},
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": image.pk,
                        "alt_text": "Une salle de classe équipée d’ordinateurs.",
                        "decorative": False,
                    },
                    "caption": "Un collège rénové.",
                },
            },
        ],
        ensure_ascii=False,
    )


def an_information_page(parent=None, *, slug=None, title=None, body=None, **fields) -> InformationPage:
    number = next(_counter)
    page = InformationPage(
        title=title or f"Page d’information {number}",
        slug=slug or f"information-{number}",
        intro=fields.pop("intro", "Ce que fait le Département."),
        body=body if body is not None else json.dumps([{"type": "paragraph", "value": "<p>Texte.</p>"}]),
        **fields,
    )
    return publish(parent or home_page(), page)


def a_news_index() -> NewsIndexPage:
    existing = NewsIndexPage.objects.first()
    if existing:
        return existing
    return publish(home_page(), NewsIndexPage(title="Actualités", slug="actualites"))


def a_category(name: str = "Routes et mobilité", slug: str = "routes-et-mobilite") -> NewsCategory:
    return NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def a_news_item(*, days_ago: int = 0, image: Image | None = None, **fields) -> NewsPage:
    number = next(_counter)
    page = NewsPage(
        title=fields.pop("title", f"Actualité {number}"),
        slug=fields.pop("slug", f"actualite-{number}"),
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        intro=fields.pop("intro", "Une nouvelle du Département."),
        image=image,
        image_alt=fields.pop("image_alt", "Une illustration." if image else ""),
        **fields,
    )
    return publish(a_news_index(), page)


def editorial_content() -> dict:
    """The Wagtail content of the browser suite: an information page with every block type, the news, one item."""
    from pages.services import ensure_site_tree

    ensure_site_tree()
    routes = an_information_page(
        slug="routes", title="Routes départementales", body=every_block(an_image(), a_document())
    )
    item = a_news_item(
        slug="plan-hiver",
        title="Le plan hiver est en place",
        image=an_image("Chasse-neige"),
        image_alt="Un chasse-neige sur une route enneigée.",
        category=a_category(),
    )
    return {"information_page": routes, "news_item": item}
