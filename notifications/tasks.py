import logging
import random

from celery import shared_task
from django.conf import settings

from . import delivery, services

logger = logging.getLogger(__name__)


def backoff(retries: int) -> float:
    """Exponential back-off with jitter: NOTIFICATIONS_RETRY_BACKOFF seconds, doubled each time, capped at 30 min."""
    base = settings.NOTIFICATIONS_RETRY_BACKOFF * 2**retries
    return min(base, 1800) * random.uniform(0.8, 1.2)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_task(self, pk: int) -> str:
    """Send one ledger row (notifications/delivery.py); retried with back-off on an SMTP failure."""
    try:
        return delivery.deliver(pk)
    except delivery.SendFailed as failure:
        final = self.request.retries >= settings.NOTIFICATIONS_MAX_RETRIES
        delivery.record_failure(pk, failure.error, final=final)
        if final:
            return "failed"
        raise self.retry(countdown=backoff(self.request.retries)) from failure


@shared_task(acks_late=True)
def dispatch_due_task() -> dict:
    """Every minute (beat): hand the due rows of the ledger to deliver_task."""
    return services.dispatch_due()


@shared_task(acks_late=True)
def plan_window_task() -> dict:
    """Every quarter of an hour (beat): each kind that plans from the calendar reads what starts soon again, so that
    an event's people added since, or a rule changed, are followed (notifications/planners.py)."""
    from .planners import run_planners

    return run_planners()
