"""Build the demonstration dataset idempotently: a second run neither duplicates nor loses anything.

Each object is found by its natural key (slug, e-mail, label) and created only when missing; what a person
changed since (a password, a booking) is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import user_set_roles
from accueil.enums import Channel, Outcome
from accueil.models import Motif, Visit
from events.enums import OccupancyKind
from events.models import Category, Occupancy
from maisons.models import Commune, Direction, Maison, OpeningHours, Room
from maisons.services import communes_load
from partenaires.models import Partner
from search import index as search_index

from . import data


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next_weekday(start: datetime.date, weekday: int, weeks: int = 0) -> datetime.date:
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7 + 7 * weeks)


def seed_communes() -> None:
    if Commune.objects.filter(departement="52").count() < 400:
        report = communes_load()
        if report.errors:
            raise RuntimeError("; ".join(report.errors[:5]))


def seed_maisons() -> dict[str, Maison]:
    maisons = {}
    for spec in data.MAISONS:
        maison, created = Maison.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "commune_id": spec["commune"],
                "address": spec["address"],
                "postal_code": spec["postal_code"],
                "latitude": Decimal(spec["latitude"]),
                "longitude": Decimal(spec["longitude"]),
                "phone": spec["phone"],
                "email": spec["email"],
                "description": spec["description"],
                "accessibility": spec["accessibility"],
                "is_published": True,
            },
        )
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(maison=maison, weekday=day, opens_at=opens, closes_at=closes)
                for day, ranges in spec["hours"].items()
                for opens, closes in ranges
            )
            christmas = datetime.date(timezone.localdate().year, 12, 24)
            maison.closures.create(
                start_date=christmas, end_date=christmas + datetime.timedelta(days=2), reason="Fêtes de fin d’année"
            )
        for name, capacity, equipment, step_free in spec["rooms"]:
            Room.objects.get_or_create(
                maison=maison,
                name=name,
                defaults={"capacity": capacity, "equipment": equipment, "step_free_access": step_free},
            )
        maisons[maison.slug] = maison
    return maisons


def seed_accounts(maisons: dict[str, Maison]) -> dict[str, User]:
    users = {}
    for email, first_name, last_name, roles, maison_slugs in data.ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=data.DEMO_PASSWORD, first_name=first_name, last_name=last_name
            )
            # The administrator flags follow from the roles in this one service.
            user = user_set_roles(user=user, roles=roles)
            user.maisons.set([maisons[slug] for slug in maison_slugs])
        users[email] = user
    return users


def seed_reference_lists() -> None:
    for name, acronym, mailbox, missions in data.DIRECTIONS:
        Direction.objects.get_or_create(
            slug=slugify(acronym or name),
            defaults={"name": name, "acronym": acronym, "mailbox": mailbox, "missions": missions},
        )
    for position, label in enumerate(data.MOTIFS, start=1):
        Motif.objects.get_or_create(label=label, defaults={"position": position})
    for name, slug in data.CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})
    for name, acronym, kind, commune in data.PARTNERS:
        Partner.objects.get_or_create(
            slug=slugify(acronym or name),
            defaults={"name": name, "acronym": acronym, "kind": kind, "commune_id": commune or None},
        )


def seed_occupancies(maisons: dict[str, Maison], users: dict[str, User]) -> None:
    today = timezone.localdate()
    langres, saint_dizier = maisons["langres"], maisons["saint-dizier"]
    caf = Partner.objects.get(slug="caf")
    france_travail = Partner.objects.get(slug="france-travail")
    atelier = Category.objects.get(slug="atelier")
    info = Category.objects.get(slug="reunion-information")
    entries = [
        (
            "demo-atelier-numerique-langres",
            OccupancyKind.EVENT,
            "Atelier : mes démarches en ligne",
            langres,
            "Salle Diderot",
            _next_weekday(today, 2, 1),
            (14, 0),
            (16, 0),
            True,
            atelier,
            None,
            None,
        ),
        (
            "demo-reunion-aidants-saint-dizier",
            OccupancyKind.EVENT,
            "Réunion d’information pour les aidants",
            saint_dizier,
            "Salle du Der",
            _next_weekday(today, 3, 1),
            (18, 0),
            (20, 0),
            True,
            info,
            None,
            None,
        ),
        (
            "demo-permanence-caf-langres",
            OccupancyKind.PERMANENCE,
            "Permanence de la CAF",
            langres,
            "Salle des permanences",
            _next_weekday(today, 1, 1),
            (9, 0),
            (12, 0),
            True,
            None,
            caf,
            None,
        ),
        (
            "demo-permanence-france-travail-saint-dizier",
            OccupancyKind.PERMANENCE,
            "Permanence France Travail",
            saint_dizier,
            "Bureau des permanences",
            _next_weekday(today, 0, 1),
            (13, 30),
            (16, 30),
            True,
            None,
            france_travail,
            None,
        ),
        (
            "demo-reunion-equipe-langres",
            OccupancyKind.MEETING,
            "Réunion d’équipe",
            langres,
            "Bureau d’entretien",
            _next_weekday(today, 0, 1),
            (8, 30),
            (9, 30),
            False,
            None,
            None,
            None,
        ),
        (
            "demo-reservation-elu-saint-dizier",
            OccupancyKind.RESERVATION,
            "Rencontre avec les habitants",
            saint_dizier,
            "Salle de la Marne",
            _next_weekday(today, 4, 1),
            (10, 0),
            (12, 0),
            False,
            None,
            None,
            users["elu@demo.test"],
        ),
    ]
    for slug, kind, title, maison, room, day, start, end, public, category, partner, holder in entries:
        if Occupancy.objects.filter(slug=slug).exists():
            continue
        Occupancy.objects.create(
            slug=slug,
            kind=kind,
            title=title,
            maison=maison,
            room=maison.rooms.get(name=room),
            period=DateTimeTZRange(_at(day, *start), _at(day, *end)),
            is_public=public,
            category=category,
            partner=partner,
            holder=holder,
        )


def seed_visits(maisons: dict[str, Maison], users: dict[str, User]) -> None:
    if Visit.objects.exists():
        return
    rng = random.Random(52)  # The same demonstration every time.
    motifs = list(Motif.objects.all())
    directions = list(Direction.objects.all())
    partners = list(Partner.objects.all())
    agents = {"langres": users["agent.langres@demo.test"], "saint-dizier": users["agent.saint-dizier@demo.test"]}
    now = timezone.now()
    visits = []
    for days_ago in range(14):
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        for slug, maison in maisons.items():
            for _ in range(rng.randint(4, 12)):
                moment = _at(day, rng.randint(9, 16), rng.choice([0, 10, 20, 30, 40, 50]))
                if moment > now:
                    continue
                outcome = rng.choice(list(Outcome))
                visits.append(
                    Visit(
                        maison=maison,
                        agent=agents[slug],
                        occurred_at=moment,
                        channel=rng.choice([Channel.IN_PERSON, Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL]),
                        motif=rng.choice(motifs),
                        outcome=outcome,
                        direction=rng.choice(directions) if outcome == Outcome.DIRECTION else None,
                        partner=rng.choice(partners) if outcome == Outcome.PARTNER else None,
                    )
                )
    Visit.objects.bulk_create(visits)


@transaction.atomic
def demo_seed(*, load_communes: bool = True) -> dict[str, User]:
    """Create what is missing of the demonstration dataset; `load_communes=False` expects the communes there."""
    if load_communes:
        seed_communes()
    maisons = seed_maisons()
    users = seed_accounts(maisons)
    seed_reference_lists()
    seed_occupancies(maisons, users)
    seed_visits(maisons, users)
    search_index.rebuild()  # Last: every app's public content is in place.
    return users
