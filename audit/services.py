"""Erasure on request (RGPD art. 17) and the scrubbing of audit trails; imports no portal app."""

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from core import personal_data

from .enums import SecurityEventKind
from .journal import record_security_event
from .models import ErasureRecord


def logentries_scrub(*, model: type[models.Model], pks, fields: list[str], label: str) -> int:
    """Remove personal data from the history of these objects, keeping the trace that they were changed and by whom.

    In django-auditlog's entries: the object's name becomes `label`, the changes of `fields` and the serialised copy
    are dropped. In the Django administration's own history: the object's name becomes `label`.
    """
    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    scrubbed = 0
    entries = LogEntry.objects.filter(content_type=content_type, object_pk__in=pks)
    for entry in entries.iterator():
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.changes = {name: value for name, value in changes.items() if name not in fields}
        entry.changes_text = ""
        entry.object_repr = label
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])
        scrubbed += 1
    scrubbed += AdminLogEntry.objects.filter(content_type=content_type, object_id__in=pks).update(object_repr=label)
    return scrubbed


@transaction.atomic
def person_erase(*, user, handled_by, requested_on: datetime.date, request_reference: str = "") -> ErasureRecord:
    """Erase or anonymise everything the portal holds about `user`, at their request, and keep a trace of it.

    Every app's eraser runs (core/personal_data.py), the account's anonymisation last: the account row stays so that
    what points to it (bookings held, changes made) stays consistent, but without a name, with an address that no
    server accepts, an unusable password, no role, inactive, its sessions ended. The trace is an ErasureRecord whose
    summary holds only counts, and an ACCOUNT_ERASED entry in the security journal. auditlog is switched off meanwhile,
    or the anonymisation itself would write the erased values into the audit trail.
    """
    if handled_by is not None and handled_by.pk == user.pk:
        raise ValidationError(
            "Vous ne pouvez pas effacer votre propre compte : un autre administrateur doit le faire."
        )
    if user.email.endswith("@" + personal_data.ERASED_EMAIL_DOMAIN):
        raise ValidationError("Les données de ce compte ont déjà été effacées.")
    subject_reference = str(user.pk)
    with disable_auditlog():
        summary = personal_data.person_erase_all(user)
    record = ErasureRecord(
        subject_reference=subject_reference,
        requested_on=requested_on,
        request_reference=request_reference,
        handled_by=handled_by,
        summary=summary,
    )
    record.full_clean()
    record.save()
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_ERASED,
        user=user,
        identifier=subject_reference,
        actor=handled_by,
        details={"erasure_record": record.pk},
    )
    return record
