from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .models import Maison


@require_safe
@login_not_required
def home(request):
    """Both Maisons with their address and whether they are open now."""
    now = timezone.now()
    maisons = list(Maison.objects.published().with_schedule())
    for maison in maisons:
        maison.open_now = maison.is_open_at(now)
    return render(request, "maisons/home.html", {"maisons": maisons, "now": now})


@require_safe
@login_not_required
def maison_detail(request, slug):
    maison = get_object_or_404(Maison.objects.published().with_schedule().prefetch_related("rooms"), slug=slug)
    now = timezone.now()
    return render(
        request,
        "maisons/maison_detail.html",
        {
            "maison": maison,
            "open_now": maison.is_open_at(now),
            "hours": maison.hours_by_weekday(),
            "closures": maison.current_closures,
            "rooms": [room for room in maison.rooms.all() if room.is_active],
        },
    )
