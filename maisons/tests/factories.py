import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from maisons.models import Commune, Direction, ExceptionalClosure, Maison, OpeningHours, Room, RoomBlock


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    code_insee = factory.Sequence(lambda n: f"52{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    departement = "52"
    region = "44"
    postal_codes = factory.LazyFunction(lambda: ["52000"])
    population = 1000


class MaisonFactory(DjangoModelFactory):
    class Meta:
        model = Maison
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Maison du Département n° {n}")
    slug = factory.Sequence(lambda n: f"maison-{n}")
    address = "1 rue de la République"
    postal_code = "52000"
    commune = factory.SubFactory(CommuneFactory)
    latitude = Decimal("48.111111")
    longitude = Decimal("5.139444")
    phone = "03 25 00 00 00"
    email = factory.LazyAttribute(lambda o: f"{o.slug}@haute-marne.fr")
    is_published = True

    class Params:
        # Monday to Friday, 8h30–12h and 13h30–17h.
        with_weekday_hours = factory.Trait(
            hours=factory.RelatedFactoryList(
                "maisons.tests.factories.OpeningHoursFactory",
                factory_related_name="maison",
                size=10,
                weekday=factory.Iterator([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]),
                opens_at=factory.Iterator([datetime.time(8, 30), datetime.time(13, 30)]),
                closes_at=factory.Iterator([datetime.time(12, 0), datetime.time(17, 0)]),
            )
        )


class OpeningHoursFactory(DjangoModelFactory):
    class Meta:
        model = OpeningHours

    maison = factory.SubFactory(MaisonFactory)
    weekday = 0
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(12, 0)


class ExceptionalClosureFactory(DjangoModelFactory):
    class Meta:
        model = ExceptionalClosure

    maison = factory.SubFactory(MaisonFactory)
    start_date = factory.LazyFunction(datetime.date.today)
    start_time = None
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    end_time = None
    reason = "Fermeture exceptionnelle"


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    maison = factory.SubFactory(MaisonFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    capacity = 12
    equipment = factory.LazyFunction(lambda: ["screen", "wifi"])
    step_free_access = True


class DirectionFactory(DjangoModelFactory):
    class Meta:
        model = Direction

    name = factory.Sequence(lambda n: f"Direction n° {n}")
    slug = factory.Sequence(lambda n: f"direction-{n}")
    mailbox = factory.LazyAttribute(lambda o: f"{o.slug}@haute-marne.fr")


class RoomBlockFactory(DjangoModelFactory):
    class Meta:
        model = RoomBlock

    room = factory.SubFactory(RoomFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=2))
    reason = "Travaux de peinture"
