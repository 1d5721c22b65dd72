import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.enums import Role
from accounts.models import Invitation, User

DEFAULT_PASSWORD = "mot-de-passe-de-test-52"


def _set_roles(user, roles) -> None:
    user.groups.set(Group.objects.filter(name__in=[Role(role).group_name for role in roles]))


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
