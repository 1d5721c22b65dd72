"""The anonymous full-page cache, switched on against the real Redis (core/pagecache.py)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from accounts.enums import Role
from core import pagecache
from tests.support import run_django

MAISON_PAGE = "/maisons/langres/"


@pytest.fixture
def page_cache(settings, redis_cache):
    """The production page cache, in the real Redis."""
    settings.PAGE_CACHE_ENABLED = True


def _state(response) -> str | None:
    return response.headers.get(pagecache.STATUS_HEADER)


def test_an_anonymous_reader_gets_the_stored_page_without_a_query(
    page_cache, maison_langres, django_assert_num_queries
):
    first = Client().get(MAISON_PAGE)
    assert first.status_code == 200 and _state(first) == "miss"
    with django_assert_num_queries(0):
        second = Client().get(MAISON_PAGE)
    assert _state(second) == "hit"
    assert second.content == first.content
    # What the outer middleware adds belongs to each response, not to the stored page.
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert "Content-Security-Policy" in second and "Set-Cookie" not in second
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_a_signed_in_person_is_never_served_nor_stored(page_cache, maison_langres, client_for):
    staff = client_for(Role.AGENT)
    signed_in = staff.get(MAISON_PAGE)
    assert _state(signed_in) is None
    assert "Se déconnecter" in signed_in.content.decode()

    anonymous = Client().get(MAISON_PAGE)
    assert _state(anonymous) == "miss"  # The staff page was not stored for anyone else.
    assert "Se déconnecter" not in anonymous.content.decode()
    assert _state(staff.get(MAISON_PAGE)) is None  # Nor is the anonymous page served to staff.


def test_a_reader_with_a_session_or_a_message_waiting_goes_through_the_views(page_cache, maison_langres):
    Client().get(MAISON_PAGE)
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        client = Client()
        client.cookies[cookie] = "quelque-chose"
        assert _state(client.get(MAISON_PAGE)) is None, cookie
    with_csrf_cookie = Client()
    with_csrf_cookie.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert _state(with_csrf_cookie.get(MAISON_PAGE)) == "hit"  # The CSRF cookie alone says nothing of the reader.


def test_a_page_with_a_form_that_posts_is_never_stored(page_cache, maison_langres):
    """A CSRF token in a stored page would be served to someone else."""
    first, second = Client().get("/comptes/login/"), Client().get("/comptes/login/")
    assert first.status_code == second.status_code == 200
    assert _state(first) is None and _state(second) is None
    assert first.cookies[settings.CSRF_COOKIE_NAME].value != second.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.mark.parametrize("url", ["/page-inexistante/", "/sante/", "/accueil/"])
def test_errors_redirects_and_never_cache_answers_are_not_stored(page_cache, maison_langres, url):
    Client().get(url)
    assert _state(Client().get(url)) is None


def test_query_strings_are_pages_of_their_own(page_cache, maison_langres):
    assert _state(Client().get(MAISON_PAGE)) == "miss"
    assert _state(Client().get(MAISON_PAGE + "?vue=semaine")) == "miss"
    assert _state(Client().get(MAISON_PAGE + "?vue=semaine")) == "hit"


def test_a_change_makes_every_stored_page_stale_once_committed(
    page_cache, maison_langres, django_capture_on_commit_callbacks
):
    Client().get(MAISON_PAGE)
    assert _state(Client().get(MAISON_PAGE)) == "hit"
    with django_capture_on_commit_callbacks() as callbacks:
        pagecache.public_pages_changed()
        assert _state(Client().get(MAISON_PAGE)) == "hit"  # Not before the change is committed.
    for callback in callbacks:
        callback()
    assert _state(Client().get(MAISON_PAGE)) == "miss"


def test_a_change_made_by_another_process_reaches_this_one(page_cache, maison_langres):
    """A worker publishing a scheduled page, or another web process, invalidates the pages this process serves."""
    Client().get(MAISON_PAGE)
    assert _state(Client().get(MAISON_PAGE)) == "hit"
    code = (
        "from django.test.utils import override_settings\n"
        "from core import pagecache\n"
        "caches = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': sys.argv[1]}}\n"
        "with override_settings(CACHES=caches):\n"
        "    pagecache._bump()\n"
    )
    result = run_django(code, settings.CACHES["default"]["LOCATION"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert _state(Client().get(MAISON_PAGE)) == "miss"


def test_an_evicted_generation_still_changes(page_cache):
    before = pagecache.generation()
    cache.delete(pagecache.GENERATION_KEY)
    pagecache._bump()
    assert pagecache.generation() != before


def test_switched_off_the_cache_stores_nothing(page_cache, settings, maison_langres):
    settings.PAGE_CACHE_ENABLED = False
    Client().get(MAISON_PAGE)
    assert _state(Client().get(MAISON_PAGE)) is None


def test_a_request_reads_the_generation_once_and_its_own_change_at_once(page_cache):
    """Within a request (PageCacheMiddleware's memo), everything keyed by the generation uses the one read first,
    whatever another process changes meanwhile; a change the request makes itself is read at once."""
    seen = []

    def view(request):
        seen.append(pagecache.generation())
        cache.incr(pagecache.GENERATION_KEY)  # Another process publishes a page: the next request will see it.
        seen.append(pagecache.generation())
        pagecache._bump()  # This request's own change.
        seen.append(pagecache.generation())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "x"  # A reader with a session: through the view.
    pagecache.PageCacheMiddleware(view)(request)
    assert seen[0] == seen[1] < seen[2] == pagecache.generation()


def test_values_for_public_pages_are_kept_in_the_process_until_the_generation_changes(page_cache):
    computed = []

    def compute():
        computed.append(1)
        return ["Accueil", "Agenda"]

    assert pagecache.public_value("menu-test", compute) == ["Accueil", "Agenda"]
    cache.delete(f"public:{pagecache.generation()}:menu-test")  # Redis evicted it: this process still has it.
    assert pagecache.public_value("menu-test", compute) == ["Accueil", "Agenda"] and len(computed) == 1
    pagecache._bump()
    assert pagecache.public_value("menu-test", compute) == ["Accueil", "Agenda"] and len(computed) == 2
    cache.delete(pagecache.GENERATION_KEY)  # Evicted: a new generation, never an older one's values.
    assert pagecache.public_value("menu-test", compute) == ["Accueil", "Agenda"] and len(computed) == 3
