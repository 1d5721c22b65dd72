import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accounts.enums import Role
from pages.blocks import ContentStreamBlock, FigureBlock
from pages.models import InformationPage, NewsPage
from pages.templatetags.pages_tags import document_meta, french_size
from pages.urls_ownership import reserved_root_slugs

from .factories import a_document, a_news_item, an_image, an_information_page, every_block, home_page


def _figure(image, **image_value):
    block = FigureBlock()
    return block, block.to_python({"image": {"image": image.pk, **image_value}, "caption": ""})


def test_an_image_block_needs_an_alternative_text_or_the_decorative_choice():
    image = an_image()
    block, neither = _figure(image, alt_text="", decorative=False)
    with pytest.raises(StructBlockValidationError):
        block.clean(neither)
    block, described = _figure(image, alt_text="Le pont de Langres.", decorative=False)
    assert block.clean(described)["image"].contextual_alt_text == "Le pont de Langres."
    block, decorative = _figure(image, alt_text="", decorative=True)
    assert block.clean(decorative)["image"].decorative


def _publish_in_cms(client, image, **image_value):
    data = nested_form_data(
        {
            "title": "Collèges",
            "slug": "colleges",
            "intro": "Les collèges du département.",
            "body": streamfield([("image", {"image": {"image": image.pk, **image_value}, "caption": ""})]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    return client.post(f"/cms/pages/add/pages/informationpage/{home_page().pk}/", data)


def test_an_image_without_alternative_text_cannot_be_published(client_for):
    client = client_for(Role.COMMUNICATION)
    image = an_image()
    response = _publish_in_cms(client, image, alt_text="")
    assert response.status_code == 200  # The form again, with its errors.
    assert not InformationPage.objects.filter(slug="colleges").exists()
    response = _publish_in_cms(client, image, alt_text="Un collège rénové.")
    assert response.status_code == 302
    assert InformationPage.objects.get(slug="colleges").live


def test_a_decorative_image_can_be_published(client_for):
    response = _publish_in_cms(client_for(Role.COMMUNICATION), an_image(), alt_text="", decorative="on")
    assert response.status_code == 302
    assert InformationPage.objects.get(slug="colleges").live


def test_a_news_item_with_an_image_needs_its_alternative_text():
    with pytest.raises(ValidationError) as error:
        a_news_item(image=an_image(), image_alt=" ")
    assert "texte alternatif" in str(error.value)
    assert not NewsPage.objects.exists()


def test_every_block_type_renders(client):
    page = an_information_page(slug="colleges", title="Collèges", body=every_block(an_image(), a_document()))
    html = client.get(page.url).content.decode()
    assert "<h2>Les aides aux collégiens</h2>" in html
    assert "<h3>En images</h3>" in html
    assert '<details class="faq__item">' in html and "<summary>Qui paie la cantine ?</summary>" in html
    assert "(PDF, 244 Ko)" in html
    assert 'alt="Une salle de classe équipée d’ordinateurs."' in html
    assert 'type="image/webp"' in html and ".jpg" in html  # WebP renditions with a JPEG fallback…
    assert "/original_images/" not in html  # … never the upload itself.
    assert '<a href="tel:0325002030">03 25 00 20 30 (numéro fictif)</a>' in html
    assert "block-" not in html  # Blocks rendered by their own templates, without Wagtail's wrappers.


def test_a_decorative_image_has_an_empty_alternative_text(client):
    body = every_block(an_image(), a_document()).replace(
        '"alt_text": "Une salle de classe équipée d’ordinateurs.", "decorative": false',
        '"alt_text": "", "decorative": true',
    )
    page = an_information_page(body=body)
    assert 'alt=""' in client.get(page.url).content.decode()


def test_paragraphs_offer_no_embeds_nor_headings():
    features = ContentStreamBlock().child_blocks["paragraph"].features
    assert "embed" not in features and "image" not in features and not any(f.startswith("h") for f in features)


def test_a_slug_at_the_root_that_django_owns_is_refused_in_french():
    with pytest.raises(ValidationError) as error:
        an_information_page(slug="maisons")
    assert "L’adresse « /maisons/ » est déjà utilisée" in str(error.value)
    # Deeper in the tree the same slug is harmless.
    parent = an_information_page(slug="solidarites")
    assert an_information_page(parent, slug="maisons").url == "/solidarites/maisons/"


def test_the_reserved_slugs_come_from_the_urlconf():
    reserved = reserved_root_slugs()
    assert {
        "maisons",
        "comptes",
        "admin",
        "cms",
        "gestion",
        "accueil",
        "reservations",
        "sante",
        "documents",
    } <= reserved
    assert {"accessibilite", "mentions-legales", "donnees-personnelles", "plan-du-site", "recherche"} <= reserved
    assert "actualites" not in reserved and "routes" not in reserved


def test_search_body_is_the_plain_text_of_the_page():
    page = an_information_page(body=every_block(an_image(), a_document()), intro="Le Département et ses collèges.")
    text = page.search_body()
    assert "Le Département et ses collèges." in text
    assert "Le Département équipe chaque collège public." in text
    assert "Qui paie la cantine ?" in text and "Direction des collèges" in text
    assert "<" not in text
    news = a_news_item(intro="Le plan hiver commence.")
    assert "Le plan hiver commence." in news.search_body()


def test_document_sizes_are_announced_in_french():
    assert french_size(250_880) == "245 Ko"
    assert french_size(1_300_000) == "1,2 Mo"
    assert document_meta(a_document(name="tableau.ods", content=b"x" * 2048)) == "ODS, 2 Ko"
