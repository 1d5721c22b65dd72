from celery import shared_task

from .emails import send_registration_mail


@shared_task(acks_late=True)
def send_registration_mail_task(registration_id: int, kind: str) -> bool:
    """Mail a registrant: "confirmed", "waiting" or "promoted" (emails.py). False if the registration is gone."""
    return send_registration_mail(registration_id, kind)
