import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accueil import consent
from accueil.enums import MotifGroup, Outcome, Residence
from accueil.models import Motif, Referral, Visit
from maisons.tests.factories import DirectionFactory, MaisonFactory
from partenaires.tests.factories import PartnerFactory


class MotifFactory(DjangoModelFactory):
    class Meta:
        model = Motif
        django_get_or_create = ["label"]

    label = factory.Sequence(lambda n: f"Motif n° {n}")
    group = MotifGroup.DEPARTEMENT
    position = factory.Sequence(lambda n: n)

    class Params:
        other = factory.Trait(label="Autre", group=MotifGroup.OTHER)
        retired = factory.Trait(is_active=False)


class VisitFactory(DjangoModelFactory):
    """A visit with one reason (`motifs=[…]` to choose them)."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    maison = factory.SubFactory(MaisonFactory)

    class Params:
        to_direction = factory.Trait(outcome=Outcome.DIRECTION, direction=factory.SubFactory(DirectionFactory))
        to_partner = factory.Trait(outcome=Outcome.PARTNER, partner=factory.SubFactory(PartnerFactory))
        in_commune = factory.Trait(
            residence=Residence.COMMUNE, commune=factory.LazyAttribute(lambda o: o.maison.commune)
        )

    @factory.post_generation
    def motifs(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.motifs.set(extracted if extracted is not None else [MotifFactory(label="Collèges")])


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    visit = factory.SubFactory(VisitFactory, to_partner=True)
    partner = factory.LazyAttribute(lambda o: o.visit.partner)
    recipient_email = "contact@partenaire.example"
    visitor_name = "Camille Martin"
    visitor_contact = "06 12 34 56 78"
    need = "Ouvrir ses droits à la retraite."
    consent_version = consent.CURRENT_VERSION
    consent_text = factory.LazyFunction(consent.text)
    consented_at = factory.LazyFunction(timezone.now)
    agent = factory.LazyAttribute(lambda o: o.visit.agent)
    follow_up_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
