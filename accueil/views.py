from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import perms
from accounts.mixins import permission_required
from maisons.models import Maison


@require_safe
@permission_required(perms.can_use_reception)
def home(request):
    """The reception start page: the Maisons this person may see, with today's number of contacts."""
    today = timezone.localdate()
    maisons = perms.visible_maisons(request.user, Maison.objects.all()).annotate(
        visits_today=Count("visits", filter=Q(visits__occurred_at__date=today))
    )
    return render(request, "accueil/home.html", {"maisons": maisons, "today": today})
