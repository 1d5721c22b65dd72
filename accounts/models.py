import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.validators import single_line_text

from .enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """`createsuperuser`: an account with the administrator role, whose flags follow from it."""
        from .services import user_set_roles  # The services import this module.

        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        user = self._create_user(email, password, **extra_fields)
        return user_set_roles(user=user, roles=[Role.ADMINISTRATOR])


class User(AbstractUser):
    """A member of staff or an elected official; they sign in with their e-mail address."""

    username = None
    first_name = models.CharField("prénom", max_length=150, blank=True, validators=[single_line_text])
    last_name = models.CharField("nom", max_length=150, blank=True, validators=[single_line_text])
    email = models.EmailField("adresse électronique", unique=True)
    maisons = models.ManyToManyField(
        "maisons.Maison",
        verbose_name="Maisons de rattachement",
        related_name="staff",
        blank=True,
        help_text="Un agent ne voit que les Maisons auxquelles il est rattaché.",
    )
    # An elected official's assistant books rooms on their behalf (the booking is the official's; events records
    # who booked it). Set by an administrator.
    assisted_officials = models.ManyToManyField(
        "self",
        verbose_name="élu·es assisté·es",
        symmetrical=False,
        related_name="assistants",
        blank=True,
        help_text="Cette personne peut réserver des salles au nom de ces élu·es.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # Addresses are compared case-insensitively (allauth does too); store them lower-cased.
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def roles(self) -> set[Role]:
        """The roles this person holds (groups named by the role's code), cached on the instance for the request."""
        if not hasattr(self, "_roles"):
            self._roles = Role.from_group_names(group.name for group in self.groups.all())
        return self._roles

    def has_role(self, *roles: Role) -> bool:
        # The roles are the only source of truth: is_superuser follows from the administrator role
        # (accounts.services.user_set_roles), it does not stand in for it.
        return self.is_active and bool(self.roles & set(roles))


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(accepted_at__isnull=True, expires_at__lte=timezone.now())


class Invitation(models.Model):
    """An account offered to an e-mail address, with its roles and Maisons; the link lets the person set a password.

    Only a hash of the token is stored, so a leaked database does not give working links.
    """

    email = models.EmailField("adresse électronique")
    first_name = models.CharField("prénom", max_length=150, blank=True, validators=[single_line_text])
    last_name = models.CharField("nom", max_length=150, blank=True, validators=[single_line_text])
    roles = models.ManyToManyField(Group, verbose_name="rôles", related_name="+")
    maisons = models.ManyToManyField("maisons.Maison", verbose_name="Maisons de rattachement", blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invité·e par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="compte créé", on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_pending_per_email",
                violation_error_message="Une invitation est déjà en attente pour cette adresse.",
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def set_new_token(self) -> str:
        """Give the invitation a fresh secret; the caller mails it, it is never stored in clear."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token

    @staticmethod
    def accept_url(token: str) -> str:
        return settings.SITE_URL + reverse("accounts:invitation_link", kwargs={"token": token})

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def role_set(self) -> set[Role]:
        """The roles this invitation gives (uses the prefetched `roles`)."""
        return Role.from_group_names(group.name for group in self.roles.all())

    @property
    def role_labels(self) -> list[str]:
        """The French labels of the roles, for the invitation e-mail and list, from the enumeration."""
        return [role.label for role in Role if role in self.role_set]

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "acceptée"
        return "expirée" if self.is_expired else "en attente"
