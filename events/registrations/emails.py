"""What the registrant's e-mails say about their registration (events/notifications.py sends them: confirmation,
waiting list, seat obtained, reminder, change)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Registration


def context_for(registration: Registration) -> dict:
    occupancy = registration.occupancy
    return {
        "registration": registration,
        "occupancy": occupancy,
        "start": timezone.localtime(occupancy.period.lower),
        "end": timezone.localtime(occupancy.period.upper),
        "event_url": f"{settings.SITE_URL}{reverse('agenda:detail', args=[occupancy.slug])}",
        "cancel_url": f"{settings.SITE_URL}{reverse('agenda:registration_cancel', args=[registration.cancel_token])}",
    }
