"""Private calendar feeds, reached by a secret address (/agenda/flux/<key>/…) that calendar applications poll
without signing in; and the page where a person creates or replaces that address (/agenda/abonnement/).

- personnel.ics: the person's own bookings (held or booked for someone) and the events they are involved in;
- maisons/<slug>.ics and salles/<id>.ics: everything that occupies a Maison or a room, for the staff who see that
  Maison (accounts.perms.visible_maisons): reception agents of the Maison, the project lead, administrators.
An unknown, revoked or not-allowed key gets 404, the same for each, so that a key reveals nothing.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from accounts import perms
from accounts.mixins import permission_required
from events import ical
from events.models import Event, Occupancy
from maisons.models import Maison, Room

from . import services
from .models import CalendarToken

STAFF_FEED_WINDOW_NOTE = "d’un mois en arrière à un an en avant"


def can_subscribe(user) -> bool:
    """Anyone with a role: officials (their bookings), staff (their Maisons' rooms)."""
    return bool(user and user.is_authenticated and user.roles)


def can_read_staff_feeds(user) -> bool:
    return perms.can_use_reception(user) or perms.can_manage_portal(user)


def _occupancies():
    start, end = ical.window()
    return Occupancy.objects.filter(period__overlap=(start, end)).select_related(
        "maison__commune", "room", "category", "holder", "booked_by", "partner"
    )


def _response(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _token(key):
    token = CalendarToken.find(key)
    if token is None:
        raise Http404
    return token


@transaction.non_atomic_requests
@require_safe
@login_not_required
def personal_feed(request, key):
    user = _token(key).user
    involved = Event.objects.filter(officials=user).values("pk")
    occupancies = _occupancies().filter(Q(holder=user) | Q(booked_by=user) | Q(event__in=involved)).order_by("period")
    document = ical.calendar(occupancies, name="Mes réservations et événements", audience=ical.Audience.PRIVATE)
    return _response(document, "mon-agenda.ics")


def _staff_maisons(user):
    if not can_read_staff_feeds(user):
        raise Http404
    return perms.visible_maisons(user, Maison.objects.all())


@transaction.non_atomic_requests
@require_safe
@login_not_required
def maison_staff_feed(request, key, slug):
    maison = get_object_or_404(_staff_maisons(_token(key).user), slug=slug)
    occupancies = _occupancies().filter(maison=maison).order_by("period")
    document = ical.calendar(occupancies, name=f"Occupations – {maison.name}", audience=ical.Audience.STAFF)
    return _response(document, f"occupations-{maison.slug}.ics")


@transaction.non_atomic_requests
@require_safe
@login_not_required
def room_staff_feed(request, key, pk):
    maisons = _staff_maisons(_token(key).user)
    room = get_object_or_404(Room.objects.select_related("maison").filter(maison__in=maisons), pk=pk)
    occupancies = _occupancies().filter(room=room).order_by("period")
    document = ical.calendar(
        occupancies, name=f"Occupations – {room.name} ({room.maison.name})", audience=ical.Audience.STAFF
    )
    return _response(document, f"occupations-salle-{room.pk}.ics")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(can_subscribe)
def subscription(request):
    """Create (or replace) the person's secret address; it is shown once, right after its creation."""
    user = request.user
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoquer":
            services.token_revoke_all(user=user)
        else:
            key = services.token_renew(user=user)
    active = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
    feeds = []
    if key:
        feeds.append(("Mes réservations et événements", reverse("agenda:personal_feed", args=[key])))
        if can_read_staff_feeds(user):
            for maison in perms.visible_maisons(user, Maison.objects.all()).prefetch_related("rooms"):
                feeds.append(
                    (
                        f"Toutes les occupations – {maison.name}",
                        reverse("agenda:maison_staff_feed", args=[key, maison.slug]),
                    )
                )
                feeds.extend(
                    (f"Salle {room.name} – {maison.name}", reverse("agenda:room_staff_feed", args=[key, room.pk]))
                    for room in maison.rooms.all()
                )
    response = render(
        request,
        "events/feeds/subscription.html",
        {"active": active, "feeds": [(label, request.build_absolute_uri(url)) for label, url in feeds]},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
