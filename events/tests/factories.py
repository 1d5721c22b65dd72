import datetime

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.enums import Audience, CategoryKind, EventStatus, OccupancyKind
from events.models import Category, Event, Occupancy
from maisons.tests.factories import MaisonFactory, RoomFactory


def period(start: datetime.datetime, hours: float = 1) -> DateTimeTZRange:
    return DateTimeTZRange(start, start + datetime.timedelta(hours=hours))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class EventFactory(DjangoModelFactory):
    """A single published public event (no occurrence: events.recurrence.materialise() writes them)."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    maison = factory.SubFactory(MaisonFactory)
    room = factory.SubFactory(RoomFactory, maison=factory.SelfAttribute("..maison"))
    start = factory.LazyFunction(
        lambda: timezone.now().replace(hour=13, minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    )
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    audience = Audience.PUBLIC
    status = EventStatus.PUBLISHED

    class Params:
        permanence = factory.Trait(
            category=factory.SubFactory(
                CategoryFactory,
                name="Permanence de partenaire",
                slug="permanence",
                kind=CategoryKind.PARTNER_PERMANENCE,
            ),
            partner=factory.SubFactory("partenaires.tests.factories.PartnerFactory"),
            organiser="partner",
        )


class OccupancyFactory(DjangoModelFactory):
    class Meta:
        model = Occupancy

    kind = OccupancyKind.MEETING
    title = factory.Sequence(lambda n: f"Réunion {n}")
    maison = factory.SubFactory(MaisonFactory)
    room = factory.SubFactory(RoomFactory, maison=factory.SelfAttribute("..maison"))
    period = factory.LazyFunction(lambda: period(timezone.now() + datetime.timedelta(days=1)))

    class Params:
        public_event = factory.Trait(
            kind=OccupancyKind.EVENT,
            is_public=True,
            slug=factory.Sequence(lambda n: f"evenement-{n}"),
            event=factory.SubFactory(
                EventFactory, maison=factory.SelfAttribute("..maison"), room=factory.SelfAttribute("..room")
            ),
        )
        reservation = factory.Trait(
            kind=OccupancyKind.RESERVATION,
            holder=factory.SubFactory("accounts.tests.factories.UserFactory"),
        )
