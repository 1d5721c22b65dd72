"""The cache of closed days (services.period_counts): the figures before today come from the shared cache until a
visit of those days changes or the summary is rebuilt; today's are read live. Against the real Redis."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.enums import Role
from accueil import services as reception
from accueil.enums import Channel, Outcome
from accueil.models import Visit
from tests.support import run_django

from .. import services
from ..models import DailyCount, Dimension, MonthlyCount
from ..services import period_counts, summary_rebuild
from .utils import at, motif, visit


@pytest.fixture
def year(maison_langres):
    """Visits yesterday and a month ago, and one today; the period of a year up to today."""
    today = timezone.localdate()
    roads = motif("Routes")
    for day in (today - datetime.timedelta(days=1), today - datetime.timedelta(days=31)):
        visit(maison_langres, motifs=[roads], occurred_at=at(day, 10))
    visit(maison_langres, motifs=[roads], occurred_at=timezone.now() - datetime.timedelta(seconds=1))
    return {"roads": roads, "span": (today - datetime.timedelta(days=365), today), "today": today}


def _total(maison, span) -> int:
    return period_counts([maison.pk], [span])[0][0][Dimension.TOTAL][""]


def _log(maison, motifs, occurred_at=None):
    return reception.visit_log(
        agent=None, maison=maison, token=None, motifs=motifs, channel=Channel.IN_PERSON, occurred_at=occurred_at
    )[0]


def test_closed_days_come_from_the_cache_and_today_is_read_live(
    redis_cache, year, maison_langres, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert _total(maison_langres, year["span"]) == 3
    with django_assert_num_queries(1):  # Today's rows only: the days before come from Redis.
        assert _total(maison_langres, year["span"]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        _log(maison_langres, [year["roads"]])
    with django_assert_num_queries(1):  # A visit of today is read live, and leaves the closed days' cache alone.
        assert _total(maison_langres, year["span"]) == 4


def test_a_late_entry_a_correction_and_a_deletion_reach_the_closed_figures_at_once(
    redis_cache, year, maison_langres, django_capture_on_commit_callbacks
):
    span, today = year["span"], year["today"]
    last_year = (span[0] - datetime.timedelta(days=365), span[0] - datetime.timedelta(days=1))
    assert period_counts([maison_langres.pk], [span, last_year])[0][1][Dimension.TOTAL][""] == 0
    late = at(today - datetime.timedelta(days=2), 15)
    with django_capture_on_commit_callbacks(execute=True):
        logged = _log(maison_langres, [year["roads"]], occurred_at=late)
    assert _total(maison_langres, span) == 4
    with django_capture_on_commit_callbacks(execute=True):  # Moved back to last year: both periods change.
        reception.visit_update(visit=logged, motifs=[year["roads"]], occurred_at=at(last_year[0], 11))
    counts = period_counts([maison_langres.pk], [span, last_year])[0]
    assert counts[0][Dimension.TOTAL][""] == 3 and counts[1][Dimension.TOTAL][""] == 1
    with django_capture_on_commit_callbacks(execute=True):
        reception.visit_delete(visit=logged)
    assert period_counts([maison_langres.pk], [span, last_year])[0][1][Dimension.TOTAL][""] == 0
    # Whatever was cached, the figures equal those read without the cache.
    cached = period_counts(None, [span, last_year], series=True)
    services.cache.clear()
    assert cached == period_counts(None, [span, last_year], series=True)


def test_a_rebuild_renews_every_cached_figure(redis_cache, year, maison_langres):
    assert _total(maison_langres, year["span"]) == 3
    yesterday = at(year["today"] - datetime.timedelta(days=1), 9)
    Visit.objects.bulk_create(  # As the seeding does: no signal, the summary does not know them.
        [
            Visit(maison=maison_langres, occurred_at=yesterday, channel=Channel.PHONE, outcome=Outcome.ANSWERED)
            for _ in range(2)
        ]
    )
    assert _total(maison_langres, year["span"]) == 3
    summary_rebuild()
    assert _total(maison_langres, year["span"]) == 5


def test_an_evicted_generation_never_brings_back_an_older_figure(redis_cache, year, maison_langres):
    assert _total(maison_langres, year["span"]) == 3
    DailyCount.objects.filter(maison=maison_langres).delete()  # Without a signal: only the cache says 3.
    MonthlyCount.objects.filter(maison=maison_langres).delete()
    assert _total(maison_langres, year["span"]) == 2  # Today's row is read live.
    month, months = year["span"][0].replace(day=1), []
    while month <= year["today"]:
        months.append(services._month_key(month))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    services.cache.delete_many([services.EPOCH_KEY, *months])
    assert _total(maison_langres, year["span"]) == 0


def test_a_change_committed_by_another_process_reaches_this_one(redis_cache, year, maison_langres):
    """A late entry logged through another web process renews the month in Redis: this process reads it again."""
    assert _total(maison_langres, year["span"]) == 3
    yesterday = year["today"] - datetime.timedelta(days=1)
    # The other process's visit, as this test's transaction sees it (the subprocess cannot see uncommitted rows).
    DailyCount.objects.filter(maison=maison_langres, day=yesterday, dimension=Dimension.TOTAL).update(count=2)
    assert _total(maison_langres, year["span"]) == 3
    code = (
        "import datetime\n"
        "from django.test.utils import override_settings\n"
        "from accueil.stats import services\n"
        "caches = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': sys.argv[1]}}\n"
        "with override_settings(CACHES=caches):\n"
        "    services.summary_changed({(int(sys.argv[3]), datetime.date.fromisoformat(sys.argv[2]))})\n"
    )
    result = run_django(code, settings.CACHES["default"]["LOCATION"], yesterday.isoformat(), str(maison_langres.pk))
    assert result.returncode == 0, result.stderr[-2000:]
    assert _total(maison_langres, year["span"]) == 4


def _visits_shown(response) -> int:
    """The page's first key figure: the period's visits."""
    html = response.content.decode()
    return int(re.search(r'<dd class="key-figure__value">(\d+)</dd>', html)[1])


def test_the_statistics_page_computes_its_figures_once_per_change(
    redis_cache, year, maison_langres, client_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(Role.PROJECT_LEAD)
    url = (
        "/accueil/statistiques/?periode=personnalisee&du="
        + year["span"][0].isoformat()
        + "&au="
        + year["span"][1].isoformat()
    )
    assert _visits_shown(client.get(url)) == 3
    with django_assert_max_num_queries(9):  # The person, the session, the Maisons: no aggregate, no label.
        response = client.get(url)
    assert _visits_shown(response) == 3 and "stats" not in response.context
    with django_capture_on_commit_callbacks(execute=True):  # Today, then a late entry: both shown at once.
        _log(maison_langres, [year["roads"]])
    assert _visits_shown(client.get(url)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        _log(maison_langres, [year["roads"]], occurred_at=at(year["today"] - datetime.timedelta(days=40), 10))
    assert _visits_shown(client.get(url)) == 5
    agent = client_for(Role.AGENT)  # Attached to Langres: the same Maison, the same figures.
    assert _visits_shown(agent.get(url)) == 5
