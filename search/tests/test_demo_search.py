import pytest
from django.urls import reverse

from demo.services import demo_seed
from maisons.tests.factories import CommuneFactory
from search.models import SearchEntry

from .wagtail_tree import home_page


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    home_page()
    for code, name, postal in [
        ("52121", "Chaumont", "52000"),
        ("52269", "Langres", "52200"),
        ("52448", "Saint-Dizier", "52100"),
    ]:
        CommuneFactory(code_insee=code, name=name, postal_codes=[postal])
    demo_seed(load_communes=False)


def test_the_demonstration_portal_is_searchable(client, demo):
    kinds = {"maison", "page", "news", "partenaire", "evenement"}
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == kinds
    assert SearchEntry.objects.filter(search_vector__isnull=True).count() == 0
    response = client.get(reverse("search:search"), {"q": "college"})
    assert ">Collèges</a>" in response.text.replace("<mark>", "").replace("</mark>", "")
