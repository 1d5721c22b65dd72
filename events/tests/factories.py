import datetime

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.enums import OccupancyKind
from events.models import Category, Occupancy
from maisons.tests.factories import MaisonFactory, RoomFactory


def period(start: datetime.datetime, hours: float = 1) -> DateTimeTZRange:
    return DateTimeTZRange(start, start + datetime.timedelta(hours=hours))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


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
            kind=OccupancyKind.EVENT, is_public=True, slug=factory.Sequence(lambda n: f"evenement-{n}")
        )
