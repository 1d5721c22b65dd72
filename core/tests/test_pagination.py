import pytest
from django.contrib.auth.models import Group
from django.core.paginator import Paginator

from core.pagination import WindowCountPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create(Group(name=f"Groupe {number:02d}") for number in range(45))
    return Group.objects.filter(name__startswith="Groupe ").order_by("name")


def test_a_page_and_the_count_come_from_one_query(groups, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = WindowCountPaginator(groups, 20).get_page("2")
        assert [group.name for group in page][:2] == ["Groupe 20", "Groupe 21"]
        assert (page.paginator.count, page.paginator.num_pages, page.number) == (45, 3, 2)
        assert page.has_next() and page.has_previous() and page.start_index() == 21


def test_it_pages_as_django_paginator_does(groups):
    for number in ("1", "3", 3, "9", "abc", None, "0", "-2"):
        ours, theirs = WindowCountPaginator(groups, 20).get_page(number), Paginator(groups, 20).get_page(number)
        assert list(ours) == list(theirs), number
        assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
            theirs.number,
            theirs.paginator.count,
            theirs.paginator.num_pages,
        ), number


def test_no_match_is_an_empty_first_page_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = WindowCountPaginator(Group.objects.filter(name="Personne").order_by("name"), 20).get_page("1")
    assert list(page) == [] and page.paginator.count == 0 and page.number == 1


def test_orphans_are_refused():
    with pytest.raises(ValueError, match="orphans"):
        WindowCountPaginator(Group.objects.none(), 20, orphans=3)
