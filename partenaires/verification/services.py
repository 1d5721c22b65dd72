"""Partners check their own entry (docs/partenaires-fraicheur.md): who is due, the e-mail with its personal link,
the partner's answer (confirm, or propose changes) and the project lead's review."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.pagecache import public_pages_changed
from maisons.models import Commune
from partenaires import quality
from partenaires.models import Partner
from partenaires.services import partner_save

from .enums import ProposalStatus
from .models import TOKEN_SALT, ChangeProposal, VerificationRequest

# The fields of an entry a partner may propose to change, in the order the review shows them.
PROPOSABLE_FIELDS = ["description", "address", "postal_code", "commune", "phone", "email", "website", "opening_hours"]


def interval_for(score: float | None) -> relativedelta:
    """How long an entry stays fresh: PARTNER_VERIFICATION_MONTHS, or PARTNER_VERIFICATION_POOR_MONTHS when one of
    its services scores under PARTNER_VERIFICATION_POOR_SCORE (data·inclusion's quality score)."""
    if score is not None and score < settings.PARTNER_VERIFICATION_POOR_SCORE:
        return relativedelta(months=settings.PARTNER_VERIFICATION_POOR_MONTHS)
    return relativedelta(months=settings.PARTNER_VERIFICATION_MONTHS)


def partners_due(today: datetime.date | None = None) -> list[Partner]:
    """Published partners with an address whose entry is older than its interval (or never verified), and who
    have not been asked within the link's validity (one reminder per PARTNER_VERIFICATION_LINK_DAYS at most)."""
    today = today or timezone.localdate()
    now = timezone.now()
    recent = VerificationRequest.objects.filter(
        partner=OuterRef("pk"), created_at__gt=now - datetime.timedelta(days=settings.PARTNER_VERIFICATION_LINK_DAYS)
    )
    shortest = today - relativedelta(
        months=min(settings.PARTNER_VERIFICATION_POOR_MONTHS, settings.PARTNER_VERIFICATION_MONTHS)
    )
    candidates = list(
        Partner.objects.published()
        .exclude(email="")
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lte=shortest))
        .exclude(Exists(recent))
        .order_by("last_verified_on", "name")
    )
    scores = quality.partner_scores(partner.pk for partner in candidates) if candidates else {}
    return [
        partner
        for partner in candidates
        if partner.last_verified_on is None or partner.last_verified_on + interval_for(scores.get(partner.pk)) <= today
    ]


@transaction.atomic
def verification_request_create(*, partner: Partner) -> VerificationRequest:
    """Create the request and queue its e-mail once committed."""
    from .tasks import verification_request_send_task

    if not partner.email:
        raise ValidationError("Ce partenaire n’a pas d’adresse électronique : impossible de lui écrire.")
    request = VerificationRequest.objects.create(
        partner=partner,
        email=partner.email,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PARTNER_VERIFICATION_LINK_DAYS),
    )
    transaction.on_commit(lambda: verification_request_send_task.delay(request.pk))
    return request


def verification_requests_create_due(today: datetime.date | None = None) -> int:
    """One request per partner due (the beat task); returns how many."""
    count = 0
    for partner in partners_due(today):
        verification_request_create(partner=partner)
        count += 1
    return count


def verification_request_send(*, request_id: int) -> bool:
    """Send the request's e-mail (French, text and HTML) once: a request already sent is not sent again."""
    with transaction.atomic():
        request = (
            VerificationRequest.objects.select_for_update(of=("self",))
            .select_related("partner")
            .filter(pk=request_id, sent_at__isnull=True)
            .first()
        )
        if request is None:
            return False
        context = {
            "partner": request.partner,
            "link": request.link,
            "expires_on": timezone.localdate(request.expires_at),
            "last_verified_on": request.partner.last_verified_on,
            "site_url": settings.SITE_URL,
        }
        message = EmailMultiAlternatives(
            subject=render_to_string("partner_verification/email/request_subject.txt", context).strip(),
            body=render_to_string("partner_verification/email/request_body.txt", context),
            to=[request.email],
        )
        message.attach_alternative(
            render_to_string("partner_verification/email/request_body.html", context), "text/html"
        )
        message.send()
        request.sent_at = timezone.now()
        request.save(update_fields=["sent_at"])
    return True


@dataclass
class TokenResult:
    request: VerificationRequest | None
    expired: bool = False


def request_from_token(token: str) -> TokenResult:
    """The request of a link; `expired` when the link was real but is no longer usable; None when it is not ours."""
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=settings.PARTNER_VERIFICATION_LINK_DAYS + 1)
        )
    except signing.SignatureExpired:
        return TokenResult(None, expired=True)
    except signing.BadSignature:
        return TokenResult(None)
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("n"), str):
        return TokenResult(None)
    request = (
        VerificationRequest.objects.select_related("partner", "partner__commune")
        .filter(pk=data["r"], nonce=data["n"])
        .first()
    )
    if request is None or request.partner.is_retired:
        return TokenResult(None)
    if not request.is_usable:
        return TokenResult(None, expired=True)
    return TokenResult(request)


def _as_text(partner: Partner, name: str) -> str:
    if name == "commune":
        return partner.commune_id or ""
    return str(getattr(partner, name) or "")


def snapshot(partner: Partner) -> dict[str, str]:
    return {name: _as_text(partner, name) for name in PROPOSABLE_FIELDS}


@transaction.atomic
def verification_confirm(*, request: VerificationRequest) -> VerificationRequest:
    """The partner says its entry is right: its last-verified date is today."""
    partner = request.partner
    partner.last_verified_on = timezone.localdate()
    partner.save(update_fields=["last_verified_on", "updated_at"])
    request.answered_at = timezone.now()
    request.confirmed = True
    request.save(update_fields=["answered_at", "confirmed"])
    public_pages_changed()
    return request


@transaction.atomic
def proposal_submit(*, request: VerificationRequest, values: dict, comment: str = "") -> ChangeProposal:
    """The partner proposes changes (`values`: the form's cleaned data for PROPOSABLE_FIELDS); nothing is
    published before the project lead's review."""
    partner = Partner.objects.select_for_update().get(pk=request.partner_id)
    original = snapshot(partner)
    proposed = {
        name: (value.pk if isinstance(value, Commune) else str(value or ""))
        for name, value in values.items()
        if name in PROPOSABLE_FIELDS
    }
    changes = {name: value for name, value in proposed.items() if value != original[name]}
    if not changes and not comment.strip():
        raise ValidationError("Vous n’avez rien modifié : si la fiche est exacte, confirmez-la simplement.")
    proposal = ChangeProposal.objects.create(
        request=request, partner=partner, original=original, changes=changes, comment=comment.strip()
    )
    request.answered_at = timezone.now()
    request.save(update_fields=["answered_at"])
    return proposal


@dataclass
class DiffLine:
    name: str
    label: str
    current: str
    proposed: str
    original: str

    @property
    def moved_meanwhile(self) -> bool:
        """The entry changed on this field since the partner wrote."""
        return self.current != self.original


def proposal_diff(proposal: ChangeProposal) -> list[DiffLine]:
    """Field by field: the entry now, what the partner proposes (and what it read, if the entry moved since)."""
    partner = proposal.partner
    communes = dict(
        Commune.objects.filter(
            pk__in=[
                value
                for value in (proposal.changes.get("commune"), proposal.original.get("commune"), partner.commune_id)
                if value
            ]
        ).values_list("pk", "name")
    )

    def shown(name, value):
        return communes.get(value, value) if name == "commune" else value

    return [
        DiffLine(
            name=name,
            label=str(Partner._meta.get_field(name).verbose_name),
            current=shown(name, _as_text(partner, name)),
            proposed=shown(name, proposal.changes[name]),
            original=shown(name, proposal.original.get(name, "")),
        )
        for name in PROPOSABLE_FIELDS
        if name in proposal.changes
    ]


@transaction.atomic
def proposal_publish(*, proposal: ChangeProposal, reviewer) -> Partner:
    """Apply the proposed changes to the entry (validated as any edit; recorded by the audit trail with the
    reviewer as actor), and count the entry as verified today."""
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("Cette proposition a déjà été examinée.")
    partner = Partner.objects.select_for_update().get(pk=proposal.partner_id)
    for name, value in proposal.changes.items():
        if name == "commune":
            partner.commune_id = value or None
        elif name in PROPOSABLE_FIELDS:
            setattr(partner, name, value)
    partner.last_verified_on = timezone.localdate()
    partner_save(partner=partner)
    proposal.status = ProposalStatus.PUBLISHED
    proposal.reviewed_at = timezone.now()
    proposal.reviewed_by = reviewer
    proposal.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return partner


@transaction.atomic
def proposal_reject(*, proposal: ChangeProposal, reviewer) -> ChangeProposal:
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("Cette proposition a déjà été examinée.")
    proposal.status = ProposalStatus.REJECTED
    proposal.reviewed_at = timezone.now()
    proposal.reviewed_by = reviewer
    proposal.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return proposal
