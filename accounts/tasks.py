from celery import shared_task

from .services import invitations_purge_expired


@shared_task(acks_late=True)
def purge_expired_invitations_task() -> int:
    """Nightly (see CELERY_BEAT_SCHEDULE): remove invitations long expired."""
    return invitations_purge_expired()
