import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.validators import multiline_text
from partenaires.models import Partner

from .enums import ProposalStatus

TOKEN_SALT = "partner-verification"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class VerificationRequestQuerySet(models.QuerySet):
    def usable(self):
        """Requests whose link still works: not expired and not answered."""
        return self.filter(expires_at__gt=timezone.now(), answered_at__isnull=True)


class VerificationRequest(models.Model):
    """One e-mail asking a partner to check its entry, with a personal link that expires.

    The link carries a signed token (django.core.signing) naming the request and its nonce: nothing secret is
    stored in clear that a database reader could turn into a working link without SECRET_KEY, and a request
    answered or expired refuses its link.
    """

    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.CASCADE, related_name="verification_requests"
    )
    email = models.EmailField("envoyée à")
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    expires_at = models.DateTimeField("lien valable jusqu’au")
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)
    confirmed = models.BooleanField("fiche confirmée telle quelle", default=False)

    objects = VerificationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de vérification"
        verbose_name_plural = "demandes de vérification"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Vérification de {self.partner} ({timezone.localdate(self.created_at):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("partner_verification:check", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return signing.dumps({"r": self.pk, "n": self.nonce}, salt=TOKEN_SALT, compress=True)

    @property
    def link(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def is_usable(self) -> bool:
        return self.answered_at is None and self.expires_at > timezone.now()


class ChangeProposal(models.Model):
    """Changes a partner proposes to its own entry, published only once the project lead has reviewed them.

    `original` holds the entry's values when the partner wrote, `changes` only the fields it changed (values as
    text; the commune by its INSEE code), so the review shows a diff even if the entry moved meanwhile.
    """

    request = models.ForeignKey(
        VerificationRequest, verbose_name="demande", on_delete=models.CASCADE, related_name="proposals"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.CASCADE, related_name="change_proposals"
    )
    original = models.JSONField("fiche au moment de la proposition", default=dict)
    changes = models.JSONField("modifications proposées", default=dict)
    comment = models.TextField("autres remarques", blank=True, max_length=2000, validators=[multiline_text])
    status = models.CharField("état", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    submitted_at = models.DateTimeField("proposée le", auto_now_add=True)
    reviewed_at = models.DateTimeField("examinée le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="examinée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "proposition de modification"
        verbose_name_plural = "propositions de modification"
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ProposalStatus.PENDING) | models.Q(reviewed_at__isnull=False),
                name="proposal_reviewed_has_date",
                violation_error_message="Une proposition examinée porte la date de son examen.",
            ),
        ]

    def __str__(self):
        return f"Proposition de {self.partner} ({timezone.localdate(self.submitted_at):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("partner_verification:proposal", kwargs={"pk": self.pk})
