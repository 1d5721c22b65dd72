"""Background work of the room reservations: expiry of unanswered requests (beat, database schedule). The author's
e-mails go through the shared ledger (events/notifications.py)."""

from celery import shared_task


@shared_task(acks_late=True)
def reservations_expire_task() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE["events-reservations-expire"]): pending requests past their delay."""
    from .reservations import reservations_expire

    return reservations_expire()
