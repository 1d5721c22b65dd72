from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import perms
from accounts.mixins import permission_required
from maisons.models import Maison, Room

from .models import Occupancy


@require_safe
@permission_required(perms.can_book_rooms)
def bookings(request):
    """The room-booking start page: each Maison's rooms and the person's own upcoming bookings."""
    maisons = Maison.objects.prefetch_related(Prefetch("rooms", queryset=Room.objects.filter(is_active=True)))
    mine = Occupancy.objects.upcoming().filter(holder=request.user).select_related("maison", "room")
    return render(request, "events/bookings.html", {"maisons": maisons, "my_bookings": mine})
