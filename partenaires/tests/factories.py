import factory
from factory.django import DjangoModelFactory

from partenaires.enums import PartnerKind
from partenaires.models import Partner, PartnerContact, Service, Theme
from partenaires.services import partner_reindex
from partenaires.themes import themes_sync


def theme(code: str) -> Theme:
    """A theme of the reference list (loaded by migration 0004; again after a live server test's flush)."""
    themes_sync()
    return Theme.objects.get(code=code)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partenaire n° {n}")
    slug = factory.Sequence(lambda n: f"partenaire-{n}")
    kind = PartnerKind.ASSOCIATION
    description = "Accompagne les habitants dans leurs démarches."
    phone = "03 25 00 00 00"
    email = factory.LazyAttribute(lambda o: f"{o.slug}@exemple.test")
    is_published = True

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            partner_reindex(partner_id=obj.pk)


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Service n° {n}")
    summary = "Un accompagnement personnalisé."

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            partner_reindex(partner_id=obj.partner_id)


class PartnerContactFactory(DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = "Camille Fictif"
    role = "Référente accueil"
    phone = "03 25 99 99 99"
    email = "camille.fictif@exemple.test"
    notes = "Joignable le mardi matin ; dossiers urgents par courriel."
