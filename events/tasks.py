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


@shared_task(acks_late=True)
def weekly_digest_task() -> int:
    """Monday 07:30 (beat entry `events-weekly-digest`): the week's programme for the staff."""
    from .notifications import weekly_digest_send

    return weekly_digest_send()


@shared_task(acks_late=True)
def daily_digest_task() -> int:
    """Working days 08:00 (beat entry `events-daily-digest`): what waits for the project leads."""
    from .notifications import daily_digest_send

    return daily_digest_send()
