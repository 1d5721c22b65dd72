from celery import shared_task

from core.retention import purge


@shared_task(acks_late=True)
def purge_expired_invitations_task() -> int:
    """Former name of the nightly purge of invitations, kept for a beat entry already in a database schedule.

    The schedule now runs `core.tasks.retention_purge_task("invitations")` (CELERY_BEAT_SCHEDULE): same rule, same
    delay (INVITATION_RETENTION_DAYS).
    """
    return purge("invitations")
