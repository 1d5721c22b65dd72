"""Who may do what in the reception log (rules stated in each docstring; accounts/perms.py holds the roles)."""

import datetime

from django.utils import timezone

from accounts import perms
from maisons.models import Maison

from .models import Visit


def reception_maisons(user):
    """The Maisons whose reception log this person uses: an agent's own, every one for the project lead."""
    return perms.visible_maisons(user, Maison.objects.all())


def can_see_visit(user, visit: Visit) -> bool:
    """A visit is seen by those who may use the reception of its Maison (invariant 4)."""
    return perms.can_use_reception(user) and reception_maisons(user).filter(pk=visit.maison_id).exists()


def can_change_visit(user, visit: Visit, *, now: datetime.datetime | None = None) -> bool:
    """An agent corrects or deletes only the visits they logged, and only on the day they logged them."""
    now = now or timezone.now()
    return (
        can_see_visit(user, visit)
        and visit.agent_id == user.pk
        and timezone.localdate(visit.created_at) == timezone.localdate(now)
    )


def can_manage_reference_lists(user) -> bool:
    """Reasons and the directions used for orientation: the project lead and administrators."""
    return perms.can_manage_portal(user)
