"""Views that compose several apps or belong to none: health check, the project lead's start page."""

import functools
import logging
import os

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts import perms
from accounts.mixins import permission_required
from accueil.models import Visit
from events.models import Occupancy
from maisons.models import Maison
from partenaires.models import Partner

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def broker_client_name() -> str:
    """The probes' connection as CLIENT LIST shows it: named, and per web process (each has its own pool)."""
    return f"portail-sante-{os.getpid()}"


@functools.lru_cache(maxsize=4)
def _broker_client(broker_url: str) -> redis.Redis:
    """One client per broker address, whose connection pool the probes share: a load balancer probing every few
    seconds must not open (and leave in TIME_WAIT) a connection each time. Celery spells a socket redis+socket://,
    redis-py unix://."""
    url = (
        "unix://" + broker_url.removeprefix("redis+socket://")
        if broker_url.startswith("redis+socket://")
        else broker_url
    )
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2, client_name=broker_client_name())


def _check_broker() -> None:
    _broker_client(settings.CELERY_BROKER_URL).ping()


@require_safe
@login_not_required
@never_cache
def health(request):
    """200 when the database and the broker answer, 503 otherwise; for load balancers and docker-compose."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
        except Exception:  # Any failure is an unhealthy service; the details go to the log, not the public.
            logger.exception("Health check failed: %s", name)
            checks[name] = "error"
        else:
            checks[name] = "ok"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def not_found(request):
    raise Http404


@require_safe
@permission_required(perms.can_manage_portal)
def gestion(request):
    """The project lead's start page: both Maisons at a glance, in a bounded number of queries."""
    today = timezone.localdate()
    visits_today = dict(
        Visit.objects.on_day(today).values_list("maison").annotate(total=Count("id")).values_list("maison", "total")
    )
    upcoming = dict(
        Occupancy.objects.upcoming().values_list("maison").annotate(total=Count("id")).values_list("maison", "total")
    )
    rows = [
        {"maison": maison, "visits_today": visits_today.get(maison.pk, 0), "upcoming": upcoming.get(maison.pk, 0)}
        for maison in Maison.objects.all()
    ]
    return render(request, "config/gestion.html", {"rows": rows, "partner_count": Partner.objects.published().count()})
