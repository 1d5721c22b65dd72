"""The message hook of the calendar: issue 10 (reminders and e-mails) listens to it.

`occupancy_changed` is sent once the change is committed (never for a rolled-back one), with `occupancy` (the row as
saved) and `change`, one of CHANGES. events/services.py sends it; nothing else should.
"""

from django.db import transaction
from django.dispatch import Signal

CHANGES = ("created", "confirmed", "moved", "cancelled", "refused", "expired")

occupancy_changed = Signal()


def send_on_commit(occupancy, change: str) -> None:
    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}.")
    from .models import Occupancy

    transaction.on_commit(
        lambda: occupancy_changed.send(sender=Occupancy, occupancy=occupancy, change=change), robust=False
    )
