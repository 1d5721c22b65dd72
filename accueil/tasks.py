import logging

from celery import shared_task

from . import mailing

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def referral_send_task(referral_pk: int) -> bool:
    """Send a referral e-mail; a retry after a crash finds it marked sent and sends nothing (accueil/mailing.py)."""
    return mailing.referral_send(referral_pk)


@shared_task(acks_late=True)
def referral_follow_ups_task() -> int:
    """Every quarter of an hour (beat): remind agents of the referrals whose follow-up is due."""
    sent = sum(mailing.referral_follow_up_send(pk) for pk in list(mailing.due_follow_ups()[:500]))
    logger.info("Referral follow-ups: %d reminder(s) sent.", sent)
    return sent
