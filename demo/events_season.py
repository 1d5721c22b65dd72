"""A season of the calendar for the demonstration (events/recurrence.py writes the occurrences): the partners'
permanences as recurring series in both Maisons, a dozen public events (some with registration and seats, one
cancelled with its reason), the teams' internal meetings. Idempotent: a series is found again by its slug and its
missing occurrences only are written; an occurrence whose slot is taken is left out."""

import datetime

from django.utils import timezone

from events import recurrence
from events.enums import Audience, CategoryKind, EventStatus, Organiser
from events.models import Category, Event
from maisons.models import Maison
from partenaires.models import Partner

from .partners_data import PERMANENCES

SEASON_DAYS = 120  # The series end with the season, four months ahead.

CATEGORY_KINDS = {
    "atelier": ("Atelier", CategoryKind.WORKSHOP),
    "reunion-information": ("Réunion d’information", CategoryKind.PUBLIC_MEETING),
    "exposition": ("Exposition", CategoryKind.EXHIBITION),
    "permanence": ("Permanence", CategoryKind.PARTNER_PERMANENCE),
    "evenement": ("Événement", CategoryKind.PUBLIC_EVENT),
    "permanence-elu": ("Permanence d’élu·e", CategoryKind.ELECTED_PERMANENCE),
    "reunion-interne": ("Réunion interne", CategoryKind.INTERNAL_MEETING),
}

# slug, title, category, Maison, room, days ahead, start, end, seats (None: no registration), description.
PUBLIC_EVENTS = [
    ("atelier-france-connect", "Atelier : se connecter avec FranceConnect", "atelier", "langres", "Salle Diderot",
     9, (14, 0), (16, 0), 10, "Créer son compte, retrouver ses identifiants, sécuriser ses démarches en ligne."),
    ("atelier-impots-en-ligne", "Atelier : déclarer ses revenus en ligne", "atelier", "saint-dizier",
     "Salle de la Marne", 12, (9, 30), (11, 30), 8, "Avec un conseiller numérique, pas à pas, sur votre espace."),
    ("reunion-aidants-langres", "Réunion d’information pour les proches aidants", "reunion-information", "langres",
     "Salle Diderot", 16, (18, 0), (20, 0), 30, "Les aides du Département et des partenaires, les temps de répit."),
    ("exposition-patrimoine-der", "Exposition : le lac du Der, 50 ans d’histoire", "exposition", "saint-dizier",
     "Salle du Der", 20, (10, 0), (17, 0), None, "Photographies et archives, entrée libre aux heures d’ouverture."),
    ("atelier-cv-emploi", "Atelier : refaire son CV", "atelier", "saint-dizier", "Salle de la Marne", 23,
     (14, 0), (16, 30), 6, "Avec France Travail : un CV clair, une lettre, les offres près de chez soi."),
    ("reunion-publique-mobilite", "Réunion publique : se déplacer sans voiture en Haute-Marne", "reunion-information",
     "langres", "Salle Diderot", 27, (18, 30), (20, 0), None, "Transport à la demande, covoiturage, aides au permis."),
    ("atelier-smartphone-seniors", "Atelier : bien utiliser son smartphone", "atelier", "langres", "Salle Diderot",
     30, (10, 0), (12, 0), 8, "Pour les plus de 60 ans : applications utiles, photos, appels vidéo."),
    ("conference-renovation-energetique", "Conférence : rénover son logement", "evenement", "saint-dizier",
     "Salle du Der", 34, (18, 0), (19, 30), 50, "Avec l’ADIL : les aides, les artisans, les pièges à éviter."),
    ("atelier-budget-familial", "Atelier : tenir son budget", "atelier", "langres", "Salle Diderot", 41,
     (14, 0), (16, 0), 10, "Outils simples pour suivre ses dépenses et anticiper les factures."),
    ("forum-emploi-saisonnier", "Forum des emplois saisonniers", "evenement", "saint-dizier", "Salle du Der", 48,
     (9, 0), (12, 0), None, "Une vingtaine d’employeurs du territoire recrutent pour l’été."),
    ("atelier-securite-internet", "Atelier : déjouer les arnaques en ligne", "atelier", "saint-dizier",
     "Salle de la Marne", 55, (14, 0), (16, 0), 8, "Faux messages, faux sites, que faire en cas de doute."),
    ("reunion-information-apa", "Réunion d’information : l’allocation personnalisée d’autonomie",
     "reunion-information",
     "langres", "Salle Diderot", 62, (14, 30), (16, 0), 25, "Qui peut en bénéficier, comment la demander."),
]  # fmt: skip
CANCELLED = (
    "atelier-securite-internet",
    "L’intervenante ne peut pas venir ; l’atelier sera reprogrammé au printemps.",
)

# slug, title, Maison, room, weekday, start, end, frequency.
MEETINGS = [
    ("reunion-equipe-langres", "Réunion d’équipe", "langres", "Bureau d’entretien", 0, (8, 30), (9, 15), "weekly"),
    ("reunion-equipe-saint-dizier", "Réunion d’équipe", "saint-dizier", "Salle de la Marne", 0, (8, 30), (9, 15),
     "weekly"),
    ("point-partenaires-langres", "Point avec les partenaires", "langres", "Salle Diderot", 3, (16, 0), (17, 0),
     "monthly"),
]  # fmt: skip


def _at(day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def _next(today: datetime.date, weekday: int) -> datetime.date:
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _categories() -> dict[str, Category]:
    categories = {}
    for slug, (name, kind) in CATEGORY_KINDS.items():
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
        if category.kind != kind:
            category.kind = kind
            category.save(update_fields=["kind"])
        categories[slug] = category
    return categories


def _series(slug: str, **values) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = Event(slug=slug, **values)
        event.full_clean()
        event.save()
    recurrence.materialise(event)
    return event


def seed_season(maisons: dict[str, Maison]) -> None:
    today = timezone.localdate()
    until = today + datetime.timedelta(days=SEASON_DAYS)
    categories = _categories()
    for slug, maison_slug, room_name, weekday, start, end, weeks in PERMANENCES:
        partner = Partner.objects.get(slug=slug)
        maison = maisons[maison_slug]
        day = _next(today, weekday)
        frequency = {1: "monthly", 2: "fortnightly"}.get(len(weeks), "weekly")
        first = _at(day, start)
        _series(
            f"permanence-{slug}-{maison_slug}",
            title=f"Permanence {partner.acronym or partner.name}",
            category=categories["permanence"],
            audience=Audience.PUBLIC,
            status=EventStatus.PUBLISHED,
            organiser=Organiser.PARTNER,
            partner=partner,
            maison=maison,
            room=maison.rooms.get(name=room_name),
            start=first,
            end=_at(day, end),
            rrule=recurrence.build_rule(frequency, first, until),
        )
    for slug, title, category, maison_slug, room, days, start, end, seats, description in PUBLIC_EVENTS:
        maison = maisons[maison_slug]
        day = today + datetime.timedelta(days=days)
        if day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())  # The Maisons are closed at the weekend.
        event = _series(
            slug,
            title=title,
            description=description,
            category=categories[category],
            audience=Audience.PUBLIC,
            status=EventStatus.PUBLISHED,
            maison=maison,
            room=maison.rooms.get(name=room),
            start=_at(day, start),
            end=_at(day, end),
            capacity=seats,
            registration_enabled=seats is not None,
            waiting_list=seats is not None,
        )
        if slug == CANCELLED[0] and event.status != EventStatus.CANCELLED:
            recurrence.cancel_series(event, reason=CANCELLED[1])
    for slug, title, maison_slug, room, weekday, start, end, frequency in MEETINGS:
        maison = maisons[maison_slug]
        day = _next(today, weekday)
        first = _at(day, start)
        _series(
            slug,
            title=title,
            category=categories["reunion-interne"],
            audience=Audience.INTERNAL,
            status=EventStatus.PUBLISHED,
            maison=maison,
            room=maison.rooms.get(name=room),
            start=first,
            end=_at(day, end),
            rrule=recurrence.build_rule(frequency, first, until),
        )
