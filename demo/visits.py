"""A year of reception activity for the two demonstration Maisons, so that the statistics look like real life.

Drawn from a fixed seed (the same demonstration every time) with the shapes a reception desk shows: weekdays only,
no visit on public holidays, quieter in August and between Christmas and New Year, busier on Monday and Tuesday
mornings and at the start of the school year; Saint-Dizier, the larger town, busier than Langres; mostly on site, then
phone and e-mail; mostly answered on the spot; visitors from the Maison's commune and its intercommunality. Written
with bulk inserts, then the statistics' daily summary rebuilt once (accueil/stats). Idempotent: nothing is added once
the Maisons have visits.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accueil.enums import AgeBand, Channel, DurationBand, Outcome, Residence, Satisfaction, Sex
from accueil.models import Motif, Visit, new_token
from accueil.stats.services import summary_rebuild
from maisons.models import Commune, Direction, Maison
from maisons.opening import PARIS, public_holiday
from partenaires.models import Partner

DAYS = 365
# Visits on an ordinary day, by Maison.
DAILY = {"langres": 16, "saint-dizier": 24}
# How busy each month is, compared with an ordinary one (January: new year's paperwork; August: holidays).
MONTH_FACTOR = {
    1: 1.15,
    2: 1.0,
    3: 1.05,
    4: 0.95,
    5: 0.9,
    6: 0.95,
    7: 0.75,
    8: 0.5,
    9: 1.25,
    10: 1.1,
    11: 1.0,
    12: 0.8,
}
WEEKDAY_FACTOR = [1.3, 1.15, 0.95, 1.0, 0.8]
# Opening hours of the demonstration Maisons (8:30–12:00, 13:30–17:00): the hours' weights, morning heavier.
HOURS = {8: 2, 9: 6, 10: 8, 11: 6, 13: 2, 14: 6, 15: 5, 16: 3}
CHANNELS = {Channel.IN_PERSON: 64, Channel.PHONE: 26, Channel.EMAIL: 8, Channel.VIDEO: 2}
OUTCOMES = {
    Outcome.ANSWERED: 55,
    Outcome.PARTNER: 18,
    Outcome.DIRECTION: 12,
    Outcome.APPOINTMENT: 8,
    Outcome.CALL_BACK: 5,
    Outcome.OTHER: 2,
}
# The reasons people come for, by a word of their label: paperwork with partners first, then the Département's own.
MOTIF_WEIGHTS = {
    "CAF": 14,
    "Titres": 13,
    "CPAM": 11,
    "France Travail": 9,
    "Autonomie": 8,
    "Retraite": 7,
    "Insertion": 7,
    "Impôts": 6,
    "Handicap": 6,
    "Transports": 5,
    "Logement": 5,
    "Enfance": 4,
    "MSA": 3,
    "Routes": 3,
    "Accès au droit": 3,
    "Collèges": 2,
    "Rencontrer un élu": 2,
    "Culture": 1,
    "Sport": 1,
    "Tourisme": 1,
}
AGE_BANDS = {AgeBand.UNDER_26: 14, AgeBand.FROM_26_TO_45: 30, AgeBand.FROM_46_TO_65: 30, AgeBand.OVER_65: 26}
DURATIONS = {
    DurationBand.UNDER_5: 25,
    DurationBand.FROM_5_TO_15: 45,
    DurationBand.FROM_15_TO_30: 22,
    DurationBand.OVER_30: 8,
}
SATISFACTION = {Satisfaction.SATISFIED: 85, Satisfaction.NEUTRAL: 11, Satisfaction.UNSATISFIED: 4}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _motif_weights(motifs: list[Motif]) -> dict[Motif, int]:
    weights = {}
    for motif in motifs:
        weights[motif] = next((weight for word, weight in MOTIF_WEIGHTS.items() if word in motif.label), 1)
    return weights


def _neighbours(maison: Maison, communes: list[Commune]) -> dict[Commune, float]:
    """Where the Maison's other visitors live: the communes of its intercommunality first, then the rest of
    Haute-Marne, larger communes more often."""
    home = maison.commune
    weights = {}
    for commune in communes:
        if home is not None and commune.pk == home.pk:
            continue
        nearby = home is not None and home.epci_siren and commune.epci_siren == home.epci_siren
        weights[commune] = (commune.population or 100) ** 0.5 * (12 if nearby else 1)
    return weights


def _day_count(rng: random.Random, slug: str, day: datetime.date) -> int:
    mean = DAILY.get(slug, 12) * MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()]
    if day.month == 12 and day.day > 23 or day.month == 1 and day.day < 3:
        mean *= 0.4
    return max(0, round(rng.gauss(mean, mean * 0.25)))


@transaction.atomic
def seed_year_of_visits(maisons: dict[str, Maison], agents: dict[str, User]) -> int:
    """Visits over the last year for `maisons` (slug → Maison), logged by `agents` (slug → agent); returns how many."""
    if Visit.all_objects.filter(maison__in=maisons.values()).exists():
        return 0
    rng = random.Random(52)
    motifs = _motif_weights(list(Motif.objects.active().exclude(label="Autre")))
    directions = list(Direction.objects.all())
    partners = list(Partner.objects.all())
    communes = list(Commune.objects.filter(departement="52"))
    now = timezone.now()
    today = timezone.localdate()
    visits, reasons = [], []
    for slug, maison in maisons.items():
        neighbours = _neighbours(maison, communes)
        home = maison.commune
        for days_ago in range(DAYS, -1, -1):
            day = today - datetime.timedelta(days=days_ago)
            if day.weekday() >= 5 or public_holiday(day):
                continue
            for _ in range(_day_count(rng, slug, day)):
                hour = _pick(rng, HOURS)
                minute = rng.randrange(30, 60) if hour in (8, 13) else rng.randrange(0, 60)
                moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)
                if moment > now:
                    continue
                outcome = _pick(rng, OUTCOMES)
                if outcome == Outcome.DIRECTION and not directions or outcome == Outcome.PARTNER and not partners:
                    outcome = Outcome.ANSWERED
                where = rng.random()
                if where < 0.35 and home is not None:
                    residence, commune = Residence.COMMUNE, home
                elif where < 0.9 and neighbours:
                    residence, commune = Residence.COMMUNE, _pick(rng, neighbours)
                elif where < 0.91:
                    residence, commune = Residence.ABROAD, None
                else:
                    residence, commune = Residence.NOT_GIVEN, None
                asked = rng.random() < 0.7  # Demographics are optional: most agents ask.
                visits.append(
                    Visit(
                        maison=maison,
                        agent=agents.get(slug),
                        occurred_at=moment,
                        channel=_pick(rng, CHANNELS),
                        outcome=outcome,
                        direction=rng.choice(directions) if outcome == Outcome.DIRECTION else None,
                        partner=rng.choice(partners) if outcome == Outcome.PARTNER else None,
                        residence=residence,
                        commune=commune,
                        age_band=_pick(rng, AGE_BANDS) if asked else "",
                        sex=rng.choice([Sex.WOMAN, Sex.WOMAN, Sex.MAN]) if asked else "",
                        duration_band=_pick(rng, DURATIONS),
                        first_visit=rng.random() < 0.35,
                        satisfaction=_pick(rng, SATISFACTION) if rng.random() < 0.3 else "",
                        token=new_token(),
                    )
                )
                first = _pick(rng, motifs)
                chosen = {first}
                if rng.random() < 0.15:
                    chosen.add(_pick(rng, motifs))
                reasons.append(chosen)
    Visit.objects.bulk_create(visits, batch_size=2000)
    through = Visit.motifs.through
    through.objects.bulk_create(
        (
            through(visit_id=visit.pk, motif_id=motif.pk)
            for visit, chosen in zip(visits, reasons, strict=True)
            for motif in chosen
        ),
        batch_size=5000,
    )
    # Bulk inserts skip the signals that keep the statistics' daily summary: rebuild it for these Maisons.
    summary_rebuild(maison_ids=[maison.pk for maison in maisons.values()])
    return len(visits)
