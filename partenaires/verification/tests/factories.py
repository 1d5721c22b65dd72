import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partenaires.tests.factories import PartnerFactory
from partenaires.verification.models import ChangeProposal, VerificationRequest


class VerificationRequestFactory(DjangoModelFactory):
    class Meta:
        model = VerificationRequest

    partner = factory.SubFactory(PartnerFactory)
    email = factory.LazyAttribute(lambda o: o.partner.email or "accueil@exemple.fr")
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)))
        answered = factory.Trait(answered_at=factory.LazyFunction(timezone.now))


class ChangeProposalFactory(DjangoModelFactory):
    class Meta:
        model = ChangeProposal

    request = factory.SubFactory(VerificationRequestFactory, answered=True)
    partner = factory.SelfAttribute("request.partner")
    original = factory.LazyAttribute(lambda o: {"phone": o.partner.phone, "website": o.partner.website})
    changes = {"phone": "03 25 11 22 33", "website": "https://www.exemple.fr"}
    comment = "Nous ne tenons plus de permanence le jeudi."
