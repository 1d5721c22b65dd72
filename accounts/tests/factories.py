import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.enums import Role
from accounts.models import Invitation, User

DEFAULT_PASSWORD = "mot-de-passe-de-test-52"
MFA_TEST_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def add_mfa(user, secret: str = MFA_TEST_SECRET) -> None:
    """Give `user` an authenticator app and recovery codes, as allauth's activation does."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


def _apply_default_mfa(user) -> None:
    """Unless the factory was told `mfa=True/False`, the roles that must use MFA get it (accounts.perms)."""
    from allauth.mfa.models import Authenticator

    from accounts.perms import must_use_mfa

    vars(user).pop("_roles", None)  # Roles may just have been set: read them again.
    if getattr(user, "_factory_mfa", None) is None and must_use_mfa(user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            add_mfa(user)


def _set_roles(user, roles) -> None:
    user.groups.set(Group.objects.filter(name__in=[Role(role).group_name for role in roles]))
    _apply_default_mfa(user)
    vars(user).pop("_roles", None)  # User.roles caches what it read; the groups just changed.


def _with_roles(*roles: Role):
    """A post-generation hook giving the roles; a trait's plain list would not reach `roles` below."""
    return factory.PostGeneration(lambda user, create, extracted, **kwargs: create and _set_roles(user, roles))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@haute-marne.fr")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        agent = factory.Trait(roles=_with_roles(Role.AGENT))
        project_lead = factory.Trait(roles=_with_roles(Role.PROJECT_LEAD))
        elected = factory.Trait(roles=_with_roles(Role.ELECTED))
        communication = factory.Trait(roles=_with_roles(Role.COMMUNICATION))
        administrator = factory.Trait(roles=_with_roles(Role.ADMINISTRATOR), is_staff=True, is_superuser=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            _set_roles(self, extracted)

    @factory.post_generation
    def maisons(self, create, extracted, **kwargs):
        if create and extracted:
            self.maisons.set(extracted)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """An authenticator app (TOTP, secret MFA_TEST_SECRET) and recovery codes: `mfa=True/False`, by default
        for the roles that must use MFA, so that `client_for(role)` is not sent to MFA activation. A trait's
        roles are set after this hook, a `roles=[…]` argument before: both apply the default."""
        if not create:
            return
        self._factory_mfa = extracted
        if extracted:
            add_mfa(self)
        elif extracted is None:
            _apply_default_mfa(self)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invite{n}@haute-marne.fr")
    token_hash = factory.Sequence(lambda n: Invitation.hash_token(f"jeton-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)))
