from celery import shared_task

from . import services


@shared_task(acks_late=True)
def verification_requests_send_task() -> int:
    """Every morning (CELERY_BEAT_SCHEDULE, database schedule): ask each partner whose entry is due to check it."""
    return services.verification_requests_create_due()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def verification_request_send_task(request_id: int) -> bool:
    """Send one request's e-mail; a request already sent is not sent twice (services.verification_request_send)."""
    return services.verification_request_send(request_id=request_id)
