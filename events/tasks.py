import logging

from celery import shared_task

from . import recurrence

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def extend_recurrences_task() -> int:
    """Nightly (beat entry `events-extend-recurrences`): write each live series' occurrences up to the rolling
    horizon (EVENTS_RECURRENCE_HORIZON_DAYS). Idempotent: what is already written is left alone."""
    count = recurrence.extend_all()
    logger.info("Recurring events: %d occurrence(s) written up to the horizon.", count)
    return count
