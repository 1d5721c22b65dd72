"""Sending one ledger row, exactly once (DESIGN.md, invariant 2).

The send task claims the row with a row lock (`SELECT … FOR UPDATE`, then a write), sends through Django's mail API,
and marks it sent in the same transaction:
- a worker that dies before the server accepted the message leaves the row waiting (its transaction is rolled back
  with the connection) and the task, acknowledged late and rejected on the worker's loss, is delivered again;
- a second copy of the task (redelivery, beat handing it again, an administrator's new attempt) waits for the
  row's lock, then finds it sent and sends nothing;
- an SMTP failure rolls the claim back; the task records the attempt and retries with exponential back-off, then
  marks the row failed, visible in the administration with an « Envoyer à nouveau » action.
"""

import logging
import smtplib

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .kinds import registry
from .mail import compose
from .models import Notification, State
from .services import RESEND_REASON, TOO_LATE, Recipient, late_after, refused

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


class SendFailed(Exception):
    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _cancel(row: Notification, reason: str) -> str:
    row.state, row.reason = State.CANCELLED, reason[:200]
    row.save(update_fields=["state", "reason", "updated_at"])
    logger.info("Notification %s (%s) cancelled: %s", row.pk, row.kind, reason)
    return "cancelled"


def deliver(pk: int) -> str:
    """Send row `pk` if it is still waiting; returns what happened. Raises SendFailed on an SMTP failure."""
    now = timezone.now()
    with transaction.atomic():
        # Waits for a copy of this task that holds the row: it either sends and commits (this one then finds it sent)
        # or dies, and PostgreSQL rolls its claim back (skipping the locked row would leave it to the next pass).
        row = Notification.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            return "gone"
        if row.state != State.PENDING:
            return f"already_{row.state}"
        kind = registry.get(row.kind)
        if kind is None:
            return _cancel(row, f"Type d’envoi inconnu : {row.kind}.")
        delay = late_after(kind)
        if row.attempts == 0 and row.reason != RESEND_REASON and delay is not None and row.due_at < now - delay:
            logger.warning("Notification %s (%s) dropped: due %s, too late.", row.pk, row.kind, row.due_at)
            return _cancel(row, TOO_LATE)
        if refused(kind, Recipient(row.recipient_email, row.recipient)):
            return _cancel(row, "Refusé par le destinataire.")
        message = compose(row)
        if message is None:
            return _cancel(row, "Plus d’actualité : l’objet a changé, a été annulé ou a commencé.")
        # The claim is written before the message leaves: whatever stops this transaction from here on (a lock, the
        # worker's death) stops it before the SMTP server has the message, and the row stays waiting.
        row.save(update_fields=["updated_at"])
        try:
            message.send()
        except SEND_ERRORS as error:
            raise SendFailed(error) from error
        row.state, row.sent_at, row.subject = State.SENT, timezone.now(), message.subject[:300]
        row.attempts += 1
        row.last_error = ""
        row.save(update_fields=["state", "sent_at", "subject", "attempts", "last_error", "updated_at"])
        if kind.after_send is not None:
            kind.after_send(row)
    return "sent"


def record_failure(pk: int, error: Exception, *, final: bool) -> None:
    """Count the failed attempt (outside the rolled-back claim); the last one marks the row failed."""
    values = {
        "attempts": F("attempts") + 1,
        "last_error": f"{type(error).__name__}: {error}"[:2000],
        "queued_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if final:
        values["state"] = State.FAILED
        values["reason"] = "Échec après plusieurs tentatives : voir la dernière erreur."
    Notification.objects.filter(pk=pk, state=State.PENDING).update(**values)
    log = logger.error if final else logger.warning
    log("Notification %s: sending failed (%s)%s.", pk, error, ", given up" if final else ", will retry")
