import logging

from celery import shared_task

from . import retention

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def retention_purge_task(key: str) -> int:
    """Nightly, one beat entry per rule (`retention-<key>` in CELERY_BEAT_SCHEDULE): apply one retention rule.

    Idempotent: a retry finds nothing more past the delay than the first run did.
    """
    count = retention.purge(key)
    logger.info("Retention rule %s: %d row(s) erased or anonymised.", key, count)
    return count
