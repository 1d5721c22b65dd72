import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.pagecache import generation
from maisons.tests.factories import MaisonFactory, OpeningHoursFactory, RoomFactory
from search import index
from search.models import SearchEntry
from tests.fuzz.support import FUZZ, hostile_text

URL = reverse("search:search")


def _search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r'<h3 class="search-result__title"><a [^>]+>(.*?)</a>', response.text)
    ]


@pytest.fixture
def maisons(maison_langres, maison_saint_dizier):
    maison_langres.description = "Point d’information sur les collèges, les routes départementales et l’autonomie."
    maison_langres.save()
    maison_saint_dizier.description = "Accueil de proximité, insertion et transport scolaire."
    maison_saint_dizier.save()
    return maison_langres, maison_saint_dizier


def test_french_stemming_and_accents(client, maisons):
    langres, saint_dizier = maisons
    assert _titles(_search(client, q="college")) == [langres.name]
    assert _titles(_search(client, q="COLLÈGE")) == [langres.name]
    assert _titles(_search(client, q="route")) == [langres.name]  # "routes" in the text
    assert _titles(_search(client, q="transports scolaires")) == [saint_dizier.name]
    assert _titles(_search(client, q="Saint Dizier")) == [saint_dizier.name]
    assert _titles(_search(client, q="saint-dizier")) == [saint_dizier.name]


def test_results_grouped_by_kind_with_counts_and_highlights(client, maisons):
    response = _search(client, q="maison département")
    assert "2 résultats pour « <strong>maison département</strong> »" in response.text
    assert re.search(r"<h2 [^>]*>Maisons du Département <span [^>]*>\(2 résultats\)</span></h2>", response.text)
    assert "<mark>Maison</mark> du <mark>Département</mark> de Langres" in response.text
    # The query stays in the box.
    assert 'value="maison département"' in response.text


def test_title_weighs_more_than_body(client, maisons):
    langres, saint_dizier = maisons
    saint_dizier.description = "Accueil commun avec la Maison de Langres."
    saint_dizier.save()
    assert _titles(_search(client, q="Langres")) == [langres.name, saint_dizier.name]


def test_highlighted_excerpt_escapes_the_text(client, maison_langres):
    maison_langres.description = "<script>alert('x')</script> <b>Collège</b> & routes, 3 < 4 \ue000faux\ue001"
    maison_langres.save()
    response = _search(client, q="collège")
    excerpt = re.search(r'<p class="search-result__excerpt">(.*?)</p>', response.text, re.S).group(1)
    assert "<mark>Collège</mark>" in excerpt
    # Only the <mark> the view adds: the text's own markup is dropped by ts_headline or escaped.
    assert re.sub(r"</?mark>", "", excerpt) == re.sub(r"[<>]", "", re.sub(r"</?mark>", "", excerpt))
    assert "alert(&#x27;x&#x27;)" in excerpt
    assert "&amp; routes, 3 &lt; 4" in excerpt
    assert "<mark>faux" not in excerpt and "\ue000" not in excerpt


def test_entry_follows_the_maison(client, maisons):
    langres, _ = maisons
    langres.name = "Maison du Département du Pays de Langres"
    langres.save()
    assert _titles(_search(client, q="pays")) == ["Maison du Département du Pays de Langres"]

    OpeningHoursFactory(maison=langres, weekday=5)
    assert _titles(_search(client, q="samedi")) == [langres.name]
    RoomFactory(maison=langres, name="Salle Diderot")
    assert _titles(_search(client, q="diderot")) == [langres.name]

    langres.is_published = False
    langres.save()
    assert _titles(_search(client, q="pays")) == []
    assert not SearchEntry.objects.filter(key=f"maison:{langres.pk}").exists()

    langres.is_published = True
    langres.save()
    assert _titles(_search(client, q="pays")) == [langres.name]
    langres.delete()
    assert _titles(_search(client, q="pays")) == []


def test_index_changes_make_cached_pages_stale(maison_langres, django_capture_on_commit_callbacks):
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        maison_langres.name = "Maison renommée"
        maison_langres.save()
    assert generation() != before


def test_rebuild_from_the_providers(maisons):
    MaisonFactory(name="Maison fermée", slug="fermee", is_published=False)
    SearchEntry.objects.all().delete()
    call_command("search_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(SearchEntry.objects.filter(kind="maison").values_list("title", flat=True)) == sorted(
        m.name for m in maisons
    )
    assert SearchEntry.objects.filter(search_vector__isnull=True).count() == 0


def test_a_kind_belongs_to_one_provider():
    with pytest.raises(ValueError, match="already registered"):
        index.register(
            index.Provider(name="autre", model=SearchEntry, kinds={"maison": "Doublon"}, objects=list, document=str)
        )


def test_type_filter_and_pagination_keep_the_query(client, maison_langres):
    for n in range(12):
        MaisonFactory(name=f"Maison annexe {n:02d}", slug=f"annexe-{n}", description="Permanence collège.")
    response = _search(client, q="collège")
    assert "12 résultats" in response.text
    assert "page 1 sur 2" in response.text
    assert 'href="?q=coll%C3%A8ge&amp;page=2"' in response.text
    second = _search(client, q="collège", page=2)
    assert len(_titles(second)) == 2
    assert 'href="?q=coll%C3%A8ge&amp;page=1"' in second.text
    unknown_kind = _search(client, q="collège", type="inconnu")
    assert "12 résultats" in unknown_kind.text


def test_empty_query_shows_suggestions(client, maisons):
    response = _search(client)
    assert "Pour commencer" in response.text
    assert f'<a href="{maisons[0].get_absolute_url()}">{maisons[0].name}</a>' in response.text
    assert "Aucun résultat" not in response.text


def test_no_result_gives_advice_and_suggestions(client, maisons):
    response = _search(client, q="xylophone")
    assert "Aucun résultat pour « <strong>xylophone</strong> »" in response.text
    assert "Vérifiez l’orthographe" in response.text
    assert "Ces pages peuvent vous aider" in response.text
    assert f'<a href="{maisons[1].get_absolute_url()}">{maisons[1].name}</a>' in response.text


def test_no_result_offers_titles_spelled_alike(client, maisons):
    response = _search(client, q="Saint-Didier")
    assert "Aucun résultat" in response.text
    close = re.search(r'<ul class="search-close-titles">(.*?)</ul>', response.text, re.S).group(1)
    assert f'<a href="{maisons[1].get_absolute_url()}">{maisons[1].name}</a>' in close
    assert maisons[0].name not in close
    assert "search-close-titles" not in _search(client, q="xylophone").text


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "collège " * 700},  # 5,600 characters
        {"q": "x" * 5000},
        {"q": "& | ! ( ) : * <-> '\" \\"},
        {"q": 'collège & | !!! ((( :* <-> \'"\\ -- OR or -""'},
        {"q": "'\"'\"'"},
        {"q": "le la les de"},  # stop words only
        {"q": "coll\x00ège\x1b"},
        {"q": "collège", "page": "abc"},
        {"q": "collège", "page": "99999"},
        {"q": "collège", "page": "-1"},
        {"q": ["collège", "route"], "type": ["maison", "x"]},
    ],
)
def test_bad_input_never_fails(client, maisons, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<h1>Rechercher sur le site</h1>" in response.text


def test_wrong_encoding_bytes(client, maisons):
    response = client.generic("GET", URL, QUERY_STRING="q=coll%E8ge%FF%FE%00&page=%FF")
    assert response.status_code == 200


def test_long_query_is_cut_at_a_word_boundary(client, maisons):
    response = _search(client, q="collège " * 700)
    value = re.search(r'<input type="search" name="q" id="id_q" value="([^"]*)"', response.text).group(1)
    assert 150 < len(value) <= 200
    assert value.endswith("collège")
    assert _titles(response) == [maisons[0].name]


@pytest.mark.parametrize("size", [3, 40])
def test_bounded_queries(client, django_assert_max_num_queries, commune_langres, size):
    for n in range(size):
        MaisonFactory(name=f"Maison {n:03d}", slug=f"m-{n}", commune=commune_langres, description="Collège.")
    for params in ({"q": "college"}, {"q": "college", "page": 2}, {"q": "rien"}, {}):
        with django_assert_max_num_queries(8):
            _search(client, **params)


def test_the_gin_index_serves_the_match(maisons):
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery("college", search_type="websearch", config="french_unaccent")
    sql, params = SearchEntry.objects.filter(search_vector=query).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # On a handful of rows the planner prefers a scan; forbid the others, so that only the GIN index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_vector_gin" in plan


def test_header_box_on_every_page(client, maisons):
    response = client.get(maisons[0].get_absolute_url())
    assert re.search(r'<form class="header-search" role="search"[^>]*action="/recherche/"', response.text)
    assert '<label class="visually-hidden" for="header-search-q">Rechercher sur le site</label>' in response.text


def test_read_only(client):
    assert client.post(URL, {"q": "x"}).status_code == 405


OPERATOR_SOUP = st.lists(
    st.sampled_from(["&", "|", "!", "(", ")", ":", "*", "<->", "'", '"', "\\", "-", "or", "collège", " "])
)


@FUZZ
@given(q=st.one_of(hostile_text(max_size=300), OPERATOR_SOUP.map("".join)), page=hostile_text(max_size=10))
def test_any_query_gives_a_page(client, maison_langres, q, page):
    response = client.get(URL, {"q": q, "page": page})
    assert response.status_code == 200
