"""The public agenda (/agenda/), an occurrence's page (/agenda/<slug>/) and the iCalendar feeds.

Public pages run a bounded number of SQL queries whatever the number of occurrences (events/tests), set no cookie
for an anonymous reader and are cached by core/pagecache.py (events/receivers.py makes it follow the models they
show). Registration lives on its own page (events/registrations/views.py): only there does a CSRF cookie appear.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core import pagecache
from maisons.models import Maison
from maisons.structured_data import json_ld_script

from . import agenda, ical
from .enums import OccupancyStatus
from .registrations import services as registrations

PAGE_SIZE = 20
FEED_CACHE_PREFIX = "ical:feed"


def _calendar_response(document: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(document, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:  # A person's or a room's feed is never stored in a shared cache (core/pagecache.py).
        patch_cache_control(response, private=True, no_store=True)
    return response


@transaction.non_atomic_requests  # Only reads: no transaction, no savepoint queries.
@require_safe
@login_not_required
def agenda_list(request):
    """Upcoming public events and permanences, as a paginated list or a month table, with filters."""
    form = agenda.AgendaFilterForm(request.GET or None)
    view = "mois" if request.GET.get("vue") == "mois" else "liste"
    now = timezone.now()
    today = timezone.localdate(now)
    occurrences = agenda.for_lists(agenda.public_occurrences())
    valid = form.is_valid() if form.is_bound else True
    context = {"form": form, "view": view, "filtered": False}
    if not valid:
        occurrences = occurrences.none()
    else:
        occurrences = form.filter(occurrences) if form.is_bound else occurrences
        data = form.cleaned_data if form.is_bound else {}
        context["filtered"] = any(data.get(name) for name in ("maison", "categorie", "du", "au"))
    if view == "mois":
        month = agenda.Month.parse(request.GET.get("mois"), today)
        start = agenda.day_start(month.first)
        end = agenda.day_start(month.next.first)
        rows = list(
            agenda.overlapping(agenda.for_month(occurrences), start, end).filter(period__startswith__gte=start)
        )
        context.update(month=month, weeks=agenda.month_grid(month, rows), count=len(rows), weekdays=agenda.WEEKDAYS)
    else:
        data = form.cleaned_data if form.is_bound and valid else {}
        start = agenda.day_start(data["du"]) if data.get("du") else now
        end = agenda.day_start(data["au"]) + datetime.timedelta(days=1) if data.get("au") else None
        # An overlap with [start, end) rather than upper(period) > start: the GiST index on `period` serves it.
        occurrences = agenda.overlapping(occurrences, start, end)
        page = Paginator(occurrences, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page_obj=page, occurrences=list(page))
    query = request.GET.copy()
    for name in ("page", "vue", "mois"):
        query.pop(name, None)
    context["filter_query"] = query.urlencode()
    return render(request, "events/agenda/agenda.html", context)


def _public_occurrence(slug):
    return get_object_or_404(agenda.public_occurrences(), slug=slug)


@transaction.non_atomic_requests
@require_safe
@login_not_required
def agenda_detail(request, slug):
    """An occurrence's public page: when, where, what; cancelled ones say so and why; registration if any."""
    occurrence = _public_occurrence(slug)
    rules = registrations.rules_for(occurrence)
    counts = registrations.counts([occurrence.pk]).get(occurrence.pk, {"confirmed": 0, "waiting": 0}) if rules else {}
    remaining = None
    if rules and rules.capacity is not None:
        remaining = max(rules.capacity - counts["confirmed"], 0)
    event = occurrence.event if occurrence.event_id else None
    url = request.build_absolute_uri(agenda.event_url(occurrence))
    cancelled = occurrence.status == OccupancyStatus.CANCELLED
    reason = occurrence.cancellation_reason or (event.cancellation_reason if event else "")
    context = {
        "occurrence": occurrence,
        "event": event,
        "start": timezone.localtime(occurrence.period.lower),
        "end": timezone.localtime(occurrence.period.upper),
        "cancelled": cancelled,
        "cancellation_reason": reason,
        "rules": rules,
        "registration_open": bool(
            rules and not cancelled and rules.is_open() and (remaining != 0 or rules.waiting_list)
        ),
        "remaining": remaining,
        "counts": counts,
        "is_past": occurrence.period.upper <= timezone.now(),
        "json_ld": json_ld_script(agenda.event_json_ld(occurrence, url=url, remaining=remaining)),
    }
    return render(request, "events/agenda/detail.html", context)


@transaction.non_atomic_requests
@require_safe
@login_not_required
def agenda_detail_ics(request, slug):
    """« Ajouter à mon agenda »: the occurrence alone, as an .ics file."""
    occurrence = _public_occurrence(slug)
    document = ical.calendar([occurrence], name=occurrence.title, audience=ical.Audience.PUBLIC)
    response = _calendar_response(document, f"{occurrence.slug}.ics")
    response["Content-Disposition"] = f'attachment; filename="{occurrence.slug}.ics"'
    return response


def _public_feed(occurrences):
    start, end = ical.window()
    return agenda.overlapping(occurrences, start, end)


def _shared_feed(request, write) -> bytes:
    """A public feed's document, the same for everyone: kept in the shared cache under the page cache's generation
    (core/pagecache.py), which any change to what the feeds show moves on once committed, and for as long as a
    cached page (PAGE_CACHE_SECONDS: the window follows the clock). The page cache serves anonymous readers alone;
    this serves every other request (a reader with a session cookie, a calendar application that sends one)."""
    if not settings.PAGE_CACHE_ENABLED:
        return write()
    key = f"{FEED_CACHE_PREFIX}:{pagecache.generation()}:{request.path}"
    document = cache.get(key)
    if document is None:
        document = write()
        cache.set(key, document, timeout=settings.PAGE_CACHE_SECONDS)
    return document


@transaction.non_atomic_requests
@require_safe
@login_not_required
def agenda_feed(request):
    """/agenda.ics: every public event and permanence, from a month back to a year ahead."""
    document = _shared_feed(
        request,
        lambda: ical.calendar(
            ical.public_rows(_public_feed(agenda.public_occurrences())),
            name="Agenda des Maisons du Département",
            audience=ical.Audience.PUBLIC,
        ),
    )
    return _calendar_response(document, "agenda.ics")


@transaction.non_atomic_requests
@require_safe
@login_not_required
def maison_feed(request, slug):
    """/maisons/<slug>/agenda.ics: one Maison's public events and permanences."""

    def write():
        maison = get_object_or_404(Maison.objects.published(), slug=slug)
        return ical.calendar(
            ical.public_rows(_public_feed(agenda.public_occurrences().filter(maison=maison))),
            name=f"Agenda – {maison.name}",
            audience=ical.Audience.PUBLIC,
        )

    return _calendar_response(_shared_feed(request, write), f"agenda-{slug}.ics")
