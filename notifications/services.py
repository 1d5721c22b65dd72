"""Scheduling into the ledger: the one way every app sends an e-mail (DESIGN.md, invariant 2).

- `notify(kind, target, recipients)`: a message due now (a confirmation, a change, a referral), sent by a task once
  the caller's transaction commits.
- `plan(kind, target, start, recipients)`: the reminders of something starting at `start`, at the rule's lead times
  (or each person's own); rows no longer wanted (the booking moved, a person refused) are cancelled, missing ones
  added, sent ones left alone. Running it twice changes nothing (the idempotency key).
- `cancel_pending(target)`: the object was cancelled or deleted.
- `dispatch_due()`: run every minute by beat; hands the due rows to the send task, drops those too late.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .kinds import Kind, registry
from .models import Notification, OptOut, Preference, Rule, State
from .timing import Timing

logger = logging.getLogger(__name__)

RESEND_REASON = "Nouvel envoi demandé."
TOO_LATE = "Trop tard : l’échéance était passée de plus du délai de grâce."


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object | None = None

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)


def unique_recipients(recipients: Iterable[Recipient]) -> list[Recipient]:
    """One per address (lower-cased), the first with an account winning; empty addresses left out."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        email = (recipient.email or "").strip()
        if not email:
            continue
        key = email.lower()
        if key not in seen or (seen[key].user is None and recipient.user is not None):
            seen[key] = Recipient(email, recipient.user)
    return list(seen.values())


def get_kind(code: str) -> Kind:
    try:
        return registry[code]
    except KeyError:
        raise ValueError(f"Unknown notification kind {code!r}.") from None


def rule_for(kind: Kind) -> Rule:
    """The project lead's settings of `kind`, or its defaults (unsaved)."""
    rule = Rule.objects.filter(kind=kind.code).first()
    if rule is None:
        rule = Rule(kind=kind.code, enabled=True, timings=[timing.to_json() for timing in kind.timings])
    return rule


def rule_timings(kind: Kind, rule: Rule | None = None) -> list[Timing]:
    rule = rule or rule_for(kind)
    return [Timing.from_json(item) for item in rule.timings] if rule.timings else list(kind.timings)


def refused(kind: Kind, recipient: Recipient) -> bool:
    """Whether this person refused this kind (preferences for an account, the message's link otherwise)."""
    if not kind.refusable:
        return False
    if recipient.user_id is not None:
        return Preference.objects.filter(user_id=recipient.user_id, kind=kind.code, enabled=False).exists()
    return OptOut.objects.filter(email__iexact=recipient.email, kind=kind.code).exists()


def _target_key(target) -> tuple[ContentType | None, int | None]:
    if target is None:
        return None, None
    return ContentType.objects.get_for_model(target), target.pk


def _enqueue_on_commit(pks: list[int], *, countdown: float | None = None) -> None:
    if not pks:
        return

    def enqueue():
        from .tasks import deliver_task

        Notification.objects.filter(pk__in=pks, state=State.PENDING).update(queued_at=timezone.now())
        for pk in pks:
            deliver_task.apply_async((pk,), countdown=countdown)

    transaction.on_commit(enqueue)


def notify(
    kind_code: str,
    target,
    recipients: Iterable[Recipient],
    *,
    at: datetime.datetime | None = None,
    payload: dict | None = None,
    merge: str | None = None,
) -> list[Notification]:
    """Messages due at once (or at `at`), one per recipient; sent once the caller's transaction commits.

    `merge` names a list in `payload` that a row of the same key still waiting extends instead of being inserted
    again: the changes of a series made in one go become one message. Such a row is sent NOTIFICATIONS_MERGE_SECONDS
    later, so that the rest of the change (signals sent one after the other once committed) joins it first; a change
    arriving after it left gets a message of its own."""
    kind = get_kind(kind_code)
    rule = rule_for(kind)
    if not rule.enabled:
        return []
    due_at = at or timezone.now()
    content_type, object_id = _target_key(target)
    created = []
    for recipient in unique_recipients(recipients):
        if refused(kind, recipient):
            continue
        key = {
            "kind": kind.code,
            "content_type": content_type,
            "object_id": object_id,
            "recipient_email": recipient.email,
            "due_at": due_at,
        }
        with transaction.atomic():
            existing = Notification.objects.select_for_update().filter(**key).first()
            if existing is not None and merge and existing.state != State.PENDING:
                key["due_at"] = timezone.now()  # Already sent: this part of the change gets its own message.
                existing = None
            if existing is not None:
                if merge:
                    values = existing.payload.get(merge, [])
                    values += [value for value in (payload or {}).get(merge, []) if value not in values]
                    existing.payload[merge] = values
                    existing.save(update_fields=["payload", "updated_at"])
                continue
            try:
                with transaction.atomic():
                    row = Notification.objects.create(**key, recipient=recipient.user, payload=payload or {})
            except IntegrityError:
                continue  # Inserted meanwhile by a concurrent call: that one sends it.
            created.append(row)
    _enqueue_on_commit(
        [row.pk for row in created if row.due_at <= timezone.now() + datetime.timedelta(seconds=5)],
        countdown=settings.NOTIFICATIONS_MERGE_SECONDS if merge else None,
    )
    return created


def plan(
    kind_code: str,
    target,
    start: datetime.datetime | None,
    recipients: Iterable[Recipient],
    *,
    payload: dict | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Make the pending reminders of `target` exactly those due before `start` for `recipients` (none when `start`
    is None: the object was cancelled); returns how many were added and cancelled."""
    kind = get_kind(kind_code)
    now = now or timezone.now()
    content_type, object_id = _target_key(target)
    rule = rule_for(kind)
    wanted: dict[tuple[str, datetime.datetime], Recipient] = {}
    if start is not None and rule.enabled and start > now:
        default = rule_timings(kind, rule)
        recipients = unique_recipients(recipients)
        user_ids = [recipient.user_id for recipient in recipients if recipient.user_id]
        preferences = {
            preference.user_id: preference
            for preference in Preference.objects.filter(user_id__in=user_ids, kind=kind.code)
        }
        # Only these recipients' refusals, not the kind's whole list (it grows with every registrant who refused).
        opted_out = set()
        if kind.refusable:
            opted_out = set(
                OptOut.objects.annotate(address=Lower("email"))
                .filter(kind=kind.code, address__in=[recipient.email.lower() for recipient in recipients])
                .values_list("address", flat=True)
            )
        for recipient in recipients:
            preference = preferences.get(recipient.user_id)
            if kind.refusable and preference is not None and not preference.enabled:
                continue
            if kind.refusable and recipient.user_id is None and recipient.email.lower() in opted_out:
                continue
            timings = default
            if kind.adjustable and preference is not None and preference.timings:
                timings = [Timing.from_json(item) for item in preference.timings]
            for timing in timings:
                due_at = timing.due(start)
                if due_at > now:
                    wanted[(recipient.email, due_at)] = recipient
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(kind=kind.code, content_type=content_type, object_id=object_id)
            .filter(Q(state=State.PENDING) | Q(state=State.CANCELLED, due_at__gt=now))
        )
        have = {(row.recipient_email, row.due_at): row for row in pending}
        cancelled = 0
        for key, row in have.items():
            if row.state == State.PENDING and key not in wanted:
                row.state = State.CANCELLED
                row.reason = "Plus d’actualité (déplacé, annulé ou refusé)."
                row.save(update_fields=["state", "reason", "updated_at"])
                cancelled += 1
        added = 0
        for (email, due_at), recipient in wanted.items():
            row = have.get((email, due_at))
            if row is not None:
                if row.state == State.CANCELLED:  # Moved away, then back.
                    row.state, row.reason, row.payload = State.PENDING, "", payload or {}
                    row.save(update_fields=["state", "reason", "payload", "updated_at"])
                    added += 1
                continue
            _, was_created = Notification.objects.get_or_create(
                kind=kind.code,
                content_type=content_type,
                object_id=object_id,
                recipient_email=email,
                due_at=due_at,
                defaults={"recipient": recipient.user, "payload": payload or {}},
            )
            added += was_created
    return {"added": added, "cancelled": cancelled}


def cancel_pending(target, *, kinds: Iterable[str] | None = None, reason: str = "Annulé.") -> int:
    content_type, object_id = _target_key(target)
    rows = Notification.objects.filter(content_type=content_type, object_id=object_id, state=State.PENDING)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(state=State.CANCELLED, reason=reason[:200], updated_at=timezone.now())


def example(kind_code: str, target, recipient: Recipient | None, **fields) -> Notification | None:
    """An unsaved row of a real case, for the project lead's preview (Kind.example); None when there is none."""
    if target is None or recipient is None:
        return None
    content_type, object_id = _target_key(target)
    return Notification(
        kind=kind_code,
        content_type=content_type,
        object_id=object_id,
        recipient_email=recipient.email,
        recipient=recipient.user,
        due_at=fields.pop("due_at", None) or timezone.now(),
        **fields,
    )


def late_after(kind: Kind | None) -> datetime.timedelta | None:
    """How late a never-tried message may still go: None for immediate messages (a confirmation stays useful)."""
    if kind is None or not kind.timed:
        return kind.late_after if kind else None
    return kind.late_after or datetime.timedelta(minutes=settings.NOTIFICATIONS_GRACE_MINUTES)


def dispatch_due(*, now: datetime.datetime | None = None, limit: int = 20000) -> dict[str, int]:
    """Hand the due rows to the send task (each its own task) and drop the reminders found too late after an
    outage. A row handed over recently is not handed again: its task, or that task's retries, has it."""
    from .tasks import deliver_task

    now = now or timezone.now()
    requeue_before = now - datetime.timedelta(minutes=settings.NOTIFICATIONS_REQUEUE_MINUTES)
    due = (
        Notification.objects.filter(state=State.PENDING, due_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before))
        .order_by("due_at")
        .values_list("pk", "kind", "due_at", "attempts")[:limit]
    )
    to_send, too_late = [], []
    for pk, code, due_at, attempts in due:
        delay = late_after(registry.get(code))
        if attempts == 0 and delay is not None and due_at < now - delay:
            too_late.append(pk)
        else:
            to_send.append(pk)
    dropped = 0
    if too_late:
        # Counted by the UPDATE: a row sent meanwhile (its task committing as this runs) is no longer waiting.
        dropped = Notification.objects.filter(pk__in=too_late, state=State.PENDING).update(
            state=State.CANCELLED, reason=TOO_LATE, updated_at=now
        )
        logger.warning("Notifications: %d reminder(s) dropped, found too late after their due time.", dropped)
    queued = []
    if to_send:
        with transaction.atomic():
            queued = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk__in=to_send, state=State.PENDING)
                .values_list("pk", flat=True)
            )
            Notification.objects.filter(pk__in=queued).update(queued_at=now)
        for pk in queued:
            deliver_task.delay(pk)
    return {"queued": len(queued), "dropped": dropped}


def resend(notification: Notification) -> bool:
    """The administration's « Envoyer à nouveau »: a failed (or cancelled) row waits again and is sent at once."""
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, state__in=[State.FAILED, State.CANCELLED]).update(
            state=State.PENDING, reason=RESEND_REASON, queued_at=timezone.now(), updated_at=timezone.now()
        )
        if updated:
            _enqueue_on_commit([notification.pk])
    return bool(updated)
