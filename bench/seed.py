"""The benchmark dataset: the demonstration data plus extra rows proportional to a scale.

A page must cost a bounded number of SQL queries whatever the data size (DESIGN.md, "Fast"): the extra Maisons,
visits, occupancies and partners make a page that loops over rows, or forgets an index, show up in the figures.
Every run rebuilds the same dataset (fixed random seed), so two runs at the same scale compare.
"""

import datetime
import json
import random
from dataclasses import dataclass, fields
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page as WagtailPage

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.services import user_set_roles
from accueil.enums import AgeBand, Channel, DurationBand, Outcome, Satisfaction, Sex
from accueil.models import Motif, Visit
from accueil.stats.models import DailyCount, MonthlyCount
from accueil.stats.services import summary_rebuild
from demo.services import demo_seed
from events.enums import OccupancyKind, OccupancyStatus
from events.models import Category, Event, Occupancy
from maisons.enums import Equipment
from maisons.models import Commune, Direction, ExceptionalClosure, Maison, OpeningHours, Room
from pages.models import HomePage, InformationPage, NewsCategory, NewsIndexPage, NewsPage
from partenaires.enums import PartnerKind
from partenaires.models import Partner, Service, Theme
from partenaires.services import partners_reindex_fields

# Rows the benchmark adds are found again by this slug prefix; demonstration slugs never start with it.
SLUG_PREFIX = "bench-"
# Occupancies fall in these local time slots, two hours apart at least, so that no two overlap in a room.
SLOTS = ((9, 0, 11, 0), (14, 0, 16, 0), (18, 0, 20, 0))
# Occupancies span half a year back and forward: agenda pages filter on upcoming ones, statistics on past ones.
OCCUPANCY_DAYS = range(-182, 183)
VISIT_DAYS = 365
# Haute-Marne's bounding box, for plausible coordinates (communes carry none).
LATITUDES = (47.58, 48.69)
LONGITUDES = (4.63, 5.89)


@dataclass(frozen=True)
class Volumes:
    """How many rows the benchmark adds beside the demonstration data; `for_scale` multiplies the defaults."""

    maisons: int = 8
    rooms_per_maison: int = 3
    visits: int = 20_000
    occupancies: int = 2_000
    partners: int = 5_000  # Issue 7: the directory's search with 5,000 partners, p95 under 100 ms.
    news: int = 120
    information_pages: int = 30
    # Issue 8: the statistics over a full year of 1,000,000 visits across 100 Maisons, and their CSV export. Seeded
    # by SQL in seconds (seed_reception_visits), the same at every scale: the figure the issue names.
    reception_visits: int = 1_000_000
    reception_maisons: int = 100
    # Issue 9: 50,000 occurrences in all (with `occupancies`): past seasons, before the year around today that the
    # agenda and the feeds read, so that a page reading more than its window shows up.
    past_occupancies: int = 48_000

    @classmethod
    def for_scale(cls, scale: int) -> "Volumes":
        """Scale 1: ten Maisons in all, about a year of visits for them, a few dozen partners."""
        base = cls()
        return cls(
            maisons=base.maisons * scale,
            rooms_per_maison=base.rooms_per_maison,
            visits=base.visits * scale,
            occupancies=base.occupancies * scale,
            partners=base.partners * scale,
            news=base.news * scale,
            information_pages=base.information_pages * scale,
            reception_visits=base.reception_visits,
            reception_maisons=max(base.reception_maisons, base.maisons * scale + 2),
            past_occupancies=base.past_occupancies * scale,
        )

    def as_dict(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass
class SeedReport:
    """Row counts after seeding, for the results header and the tests."""

    maisons: int
    rooms: int
    visits: int
    occupancies: int
    partners: int
    pages: int
    demo_visits: int
    demo_occupancies: int


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _check_database_is_disposable() -> None:
    """Seeding deletes every visit and occupancy: refuse anything but a benchmark or test database."""
    name = connection.settings_dict["NAME"]
    if not (name.endswith("_bench") or name.startswith("test_")):
        raise RuntimeError(
            f"La base « {name} » n’est pas une base de mesure (suffixe _bench) : "
            "les données de mesure n’y sont pas créées."
        )


def _reset() -> None:
    """Remove what a previous run added; the demonstration seeding then recreates its own visits and occupancies."""
    # A million visits are emptied at once, their reasons and summary with them, not collected row by row.
    tables = [
        Visit._meta.db_table,
        Visit.motifs.through._meta.db_table,
        DailyCount._meta.db_table,
        MonthlyCount._meta.db_table,
    ]
    with connection.cursor() as cursor:
        # TRUNCATE refuses pending deferred checks (in a test's transaction): run them first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(table) for table in tables) + " CASCADE")
    Occupancy.objects.all().delete()
    Event.objects.all().delete()  # The series the benchmark's event occurrences belong to (Event.maison protects).
    Maison.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Partner.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    for page in WagtailPage.objects.filter(slug__startswith=SLUG_PREFIX).order_by("-depth"):
        page.delete()


def _communes(count: int) -> list[Commune]:
    """The most populated communes of Haute-Marne not already holding a Maison, then any other commune."""
    taken = Maison.objects.values("commune")
    communes = list(Commune.objects.filter(departement="52").exclude(pk__in=taken).order_by("-population")[:count])
    if len(communes) < count:
        communes += list(
            Commune.objects.exclude(pk__in=[c.pk for c in communes]).order_by("pk")[: count - len(communes)]
        )
    if not communes:
        raise RuntimeError("Aucune commune en base : chargez d’abord la liste des communes.")
    return communes


def _project_leads_mfa() -> None:
    """The demonstration project lead with an authenticator app, as the portal requires of that role, so that the
    staff pages measured answer instead of sending to the activation (a benchmark database only)."""
    for user in User.objects.filter(email="chef.projet@demo.test"):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())


def seed_maisons(volumes: Volumes, rng: random.Random) -> list[Maison]:
    communes = _communes(volumes.maisons)
    maisons = []
    for number in range(1, volumes.maisons + 1):
        commune = communes[(number - 1) % len(communes)]
        # More Maisons than communes (very large scales) get a number to keep names unique.
        suffix = f" {number}" if number > len(communes) else ""
        maisons.append(
            Maison(
                name=f"Maison du Département de {commune.name}{suffix}",
                slug=f"{SLUG_PREFIX}{number:04d}-{slugify(commune.name)}"[:80],
                description="Maison ajoutée pour la mesure de performance.",
                address=f"{rng.randint(1, 80)} rue de la République",
                postal_code=(commune.postal_codes or ["52000"])[0],
                commune=commune,
                latitude=Decimal(f"{rng.uniform(*LATITUDES):.6f}"),
                longitude=Decimal(f"{rng.uniform(*LONGITUDES):.6f}"),
                phone=f"03 25 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                email=f"maison{number}@bench.test",
                accessibility="Entrée de plain-pied, place de stationnement réservée.",
                is_published=True,
            )
        )
    maisons = Maison.objects.bulk_create(maisons)
    morning, afternoon = (datetime.time(8, 30), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(17, 0))
    hours = [
        OpeningHours(maison=maison, weekday=weekday, opens_at=opens, closes_at=closes)
        for maison in maisons
        for weekday in range(5)
        for opens, closes in (morning, afternoon)
    ]
    # Every other Maison opens on Saturday morning, as Langres does.
    hours += [
        OpeningHours(maison=maison, weekday=5, opens_at=datetime.time(9), closes_at=datetime.time(12))
        for maison in maisons[::2]
    ]
    OpeningHours.objects.bulk_create(hours)
    today = timezone.localdate()
    ExceptionalClosure.objects.bulk_create(
        ExceptionalClosure(
            maison=maison,
            start_date=today + datetime.timedelta(days=rng.randint(1, 60)),
            end_date=today + datetime.timedelta(days=rng.randint(61, 63)),
            reason="Inventaire annuel",
        )
        for maison in maisons
    )
    equipment = list(Equipment.values)
    Room.objects.bulk_create(
        Room(
            maison=maison,
            name=f"Salle {index}",
            capacity=rng.choice([4, 6, 12, 20, 40]),
            equipment=rng.sample(equipment, 3),
            step_free_access=rng.random() < 0.8,
        )
        for maison in maisons
        for index in range(1, volumes.rooms_per_maison + 1)
    )
    return maisons


def seed_partners(volumes: Volumes, rng: random.Random) -> list[Partner]:
    communes = list(Commune.objects.filter(departement="52").order_by("-population")[:50]) or [None]
    kinds = list(PartnerKind.values)
    partners = []
    for number in range(1, volumes.partners + 1):
        commune = rng.choice(communes)
        partners.append(
            Partner(
                name=f"Partenaire n° {number}" + (f" de {commune.name}" if commune else ""),
                slug=f"{SLUG_PREFIX}partenaire-{number}",
                kind=rng.choice(kinds),
                description="Partenaire ajouté pour la mesure de performance.",
                email=f"partenaire{number}@bench.test",
                commune=commune,
            )
        )
    created = Partner.objects.bulk_create(partners, batch_size=1000)
    # One published service each, with a theme, in bulk: the directory's theme filter and the API read them.
    themes = list(Theme.objects.filter(parent__isnull=False)) or [None]
    summaries = ["Accompagnement aux démarches", "Aide au logement", "Conseil juridique", "Accès aux droits"]
    services = Service.objects.bulk_create(
        [
            Service(
                partner=partner,
                name=rng.choice(summaries),
                summary="Service ajouté pour la mesure de performance.",
                audiences=["tous-publics"],
                access_modes=["sur_place"],
                fees="gratuit",
            )
            for partner in created
        ],
        batch_size=1000,
    )
    if themes != [None]:
        Service.themes.through.objects.bulk_create(
            [Service.themes.through(service_id=service.pk, theme_id=rng.choice(themes).pk) for service in services],
            batch_size=2000,
        )
    partners_reindex_fields(Partner.objects.filter(slug__startswith=SLUG_PREFIX))  # The directory's search.
    return created


def seed_editorial(volumes: Volumes, rng: random.Random) -> None:
    """News items in the news index and information pages under the home page, published as an editor would (the
    search index and the page cache follow): the pages listing them must not cost more with more of them."""
    news_index = NewsIndexPage.objects.get()
    home = HomePage.objects.get()
    categories = list(NewsCategory.objects.all())
    maisons = [None, *Maison.objects.published()]
    today = timezone.localdate()
    paragraph = (
        "<p>Texte ajouté pour la mesure de performance : les routes, les collèges, l’autonomie et les Maisons du "
        "Département, en quelques phrases semblables à celles d’une vraie page.</p>"
    )
    for number in range(1, volumes.news + 1):
        page = NewsPage(
            title=f"Actualité de mesure n° {number}",
            slug=f"{SLUG_PREFIX}actualite-{number}",
            date=today - datetime.timedelta(days=rng.randrange(3, 700)),
            intro="Une actualité ajoutée pour la mesure de performance.",
            category=rng.choice(categories) if categories else None,
            maison=rng.choice(maisons),
            body=json.dumps([{"type": "paragraph", "value": paragraph}]),
        )
        news_index.add_child(instance=page)
        page.save_revision().publish()
    for number in range(1, volumes.information_pages + 1):
        page = InformationPage(
            title=f"Page d’information de mesure n° {number}",
            slug=f"{SLUG_PREFIX}information-{number}",
            intro="Une page ajoutée pour la mesure de performance.",
            body=json.dumps([{"type": "paragraph", "value": paragraph}]),
        )
        home.add_child(instance=page)
        page.save_revision().publish()


def seed_visits(volumes: Volumes, rng: random.Random, agents: dict[int, object]) -> None:
    """Visits on weekdays over the past year, spread over every Maison, the demonstration ones included."""
    maisons = list(Maison.objects.published())
    motifs = list(Motif.objects.active())
    directions = list(Direction.objects.all())
    partners = list(Partner.objects.all())
    today = timezone.localdate()
    channels = [Channel.IN_PERSON, Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL]
    outcomes = [o for o in Outcome if (o != Outcome.DIRECTION or directions) and (o != Outcome.PARTNER or partners)]
    visits = []
    for _ in range(volumes.visits):
        # Yesterday at the latest: a visit is never in the future.
        day = today - datetime.timedelta(days=rng.randint(1, VISIT_DAYS))
        if day.weekday() >= 5:
            day -= datetime.timedelta(days=day.weekday() - 4)
        maison = rng.choice(maisons)
        outcome = rng.choice(outcomes)
        visits.append(
            Visit(
                maison=maison,
                agent=agents.get(maison.pk),
                occurred_at=_at(day, rng.randint(9, 16), rng.randrange(0, 60, 5)),
                channel=rng.choice(channels),
                outcome=outcome,
                direction=rng.choice(directions) if outcome == Outcome.DIRECTION else None,
                partner=rng.choice(partners) if outcome == Outcome.PARTNER else None,
            )
        )
    Visit.objects.bulk_create(visits, batch_size=5000)
    Visit.motifs.through.objects.bulk_create(
        (Visit.motifs.through(visit_id=visit.pk, motif_id=rng.choice(motifs).pk) for visit in visits), batch_size=5000
    )


def seed_reception_maisons(volumes: Volumes, rng: random.Random) -> list[Maison]:
    """Unpublished Maisons up to `reception_maisons` in all, for the reception log alone: a département with a
    hundred reception desks, whose public pages (the Maisons' list, the map, the API) keep the published ones."""
    missing = volumes.reception_maisons - Maison.objects.count()
    if missing <= 0:
        return []
    communes = _communes(missing)
    maisons = [
        Maison(
            name=f"Accueil de mesure n° {number} ({communes[(number - 1) % len(communes)].name})",
            slug=f"{SLUG_PREFIX}accueil-{number:04d}",
            description="Maison ajoutée pour la mesure des statistiques de l’accueil.",
            address=f"{rng.randint(1, 80)} place de la Mairie",
            postal_code=(communes[(number - 1) % len(communes)].postal_codes or ["52000"])[0],
            commune=communes[(number - 1) % len(communes)],
            latitude=Decimal(f"{rng.uniform(*LATITUDES):.6f}"),
            longitude=Decimal(f"{rng.uniform(*LONGITUDES):.6f}"),
            is_published=False,
        )
        for number in range(1, missing + 1)
    ]
    return Maison.objects.bulk_create(maisons)


# One INSERT … SELECT: a visit per row of generate_series, drawn by random() after setseed (the same rows at every
# run: INSERT … SELECT runs in one process, in order). Weekend days move back to the Friday, times 9:00–16:55.
RECEPTION_VISITS_SQL = """
WITH drawn AS (
    SELECT g, random() AS r_day, random() AS r_hour, random() AS r_channel, random() AS r_outcome,
           random() AS r_dest, random() AS r_residence, random() AS r_commune, random() AS r_age,
           random() AS r_sex, random() AS r_duration, random() AS r_first, random() AS r_satisfaction
    FROM generate_series(1, %(count)s) AS g
), dated AS (
    SELECT *, %(today)s::date - (1 + floor(r_day * %(days)s))::int AS raw_day FROM drawn
)
INSERT INTO {visit} (maison_id, agent_id, occurred_at, channel, other_motif, outcome, direction_id, partner_id,
                     residence, commune_id, age_band, sex, duration_band, first_visit, satisfaction, note, token,
                     created_at, updated_at, deleted_at)
SELECT
    (%(maisons)s::bigint[])[1 + g %% cardinality(%(maisons)s::bigint[])],
    NULL,
    ((raw_day - greatest(extract(isodow FROM raw_day)::int - 5, 0))
        + make_interval(hours => 9 + floor(r_hour * 8)::int, mins => (floor(r_hour * 96)::int %% 12) * 5))
        AT TIME ZONE %(tz)s,
    (%(channels)s::text[])[1 + floor(r_channel * cardinality(%(channels)s::text[]))::int],
    '',
    outcome,
    CASE WHEN outcome = 'direction'
         THEN (%(directions)s::bigint[])[1 + floor(r_dest * cardinality(%(directions)s::bigint[]))::int] END,
    CASE WHEN outcome = 'partenaire'
         THEN (%(partners)s::bigint[])[1 + floor(r_dest * cardinality(%(partners)s::bigint[]))::int] END,
    CASE WHEN r_residence < 0.7 THEN 'commune' WHEN r_residence < 0.75 THEN 'hors_france' ELSE 'non_renseigne' END,
    CASE WHEN r_residence < 0.7
         THEN (%(communes)s::text[])[1 + floor(r_commune * cardinality(%(communes)s::text[]))::int] END,
    (%(ages)s::text[])[1 + floor(r_age * cardinality(%(ages)s::text[]))::int],
    (%(sexes)s::text[])[1 + floor(r_sex * cardinality(%(sexes)s::text[]))::int],
    (%(durations)s::text[])[1 + floor(r_duration * cardinality(%(durations)s::text[]))::int],
    CASE WHEN r_first < 0.3 THEN true WHEN r_first < 0.8 THEN false END,
    (%(satisfactions)s::text[])[1 + floor(r_satisfaction * cardinality(%(satisfactions)s::text[]))::int],
    '', NULL, now(), now(), NULL
FROM (
    SELECT *, (%(outcomes)s::text[])[1 + floor(r_outcome * cardinality(%(outcomes)s::text[]))::int] AS outcome
    FROM dated
) AS visits
ORDER BY g
"""
# Each visit's reasons: one, and another one for one visit in ten (an offset of 1 to n - 1 never picks the same).
RECEPTION_MOTIFS_SQL = """
WITH drawn AS MATERIALIZED (
    SELECT id, floor(random() * %(n)s)::int AS pick, random() AS second FROM {visit} WHERE id > %(after)s ORDER BY id
)
INSERT INTO {through} (visit_id, motif_id)
SELECT id, (%(motifs)s::bigint[])[1 + pick] FROM drawn
UNION ALL
SELECT id, (%(motifs)s::bigint[])[1 + (pick + 1 + floor(second * 10 * (%(n)s - 1))::int) %% %(n)s]
FROM drawn WHERE second < 0.1 AND %(n)s > 1
"""


def seed_reception_visits(volumes: Volumes) -> None:
    """`reception_visits` visits over the past year across every Maison (issue 8), with their reasons, by SQL:
    a million rows in seconds, where bulk_create would take minutes. Who logged them is not kept (as after the
    retention delay); the statistics' summary is rebuilt afterwards (bench_seed)."""
    if not volumes.reception_visits:
        return
    motifs = list(Motif.objects.active().exclude(group="autre").order_by("pk").values_list("pk", flat=True))
    directions = list(Direction.objects.order_by("pk").values_list("pk", flat=True))
    partners = list(Partner.objects.order_by("pk").values_list("pk", flat=True)[:300])
    communes = list(
        Commune.objects.filter(departement="52").order_by("-population").values_list("pk", flat=True)[:150]
    )
    if not motifs:
        return
    outcomes = [Outcome.ANSWERED] * 5 + [Outcome.APPOINTMENT, Outcome.CALL_BACK]
    outcomes += [Outcome.DIRECTION] * 2 if directions else []
    outcomes += [Outcome.PARTNER] * 2 if partners else []
    params = {
        "count": volumes.reception_visits,
        "today": timezone.localdate(),
        "days": VISIT_DAYS,
        "tz": str(timezone.get_current_timezone()),
        "maisons": list(Maison.objects.order_by("pk").values_list("pk", flat=True)),
        "channels": [Channel.IN_PERSON] * 5 + [Channel.PHONE] * 3 + [Channel.EMAIL, Channel.VIDEO],
        "outcomes": [str(outcome) for outcome in outcomes],
        "directions": directions or [0],
        "partners": partners or [0],
        "communes": communes or [""],
        "ages": ["", "", *AgeBand.values],
        "sexes": ["", *Sex.values],
        "durations": DurationBand.values,
        "satisfactions": ["", "", *Satisfaction.values],
        "motifs": motifs,
    }
    if not communes:  # No commune: every residence is « non renseignée » (a commune needs its row).
        params["communes"] = [None]
    tables = {
        "visit": connection.ops.quote_name(Visit._meta.db_table),
        "through": connection.ops.quote_name(Visit.motifs.through._meta.db_table),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {tables['visit']}")
        after = cursor.fetchone()[0]
        cursor.execute("SELECT setseed(0.52)")
        cursor.execute(RECEPTION_VISITS_SQL.format(**tables), params)
        if not communes:
            cursor.execute(
                f"UPDATE {tables['visit']} SET residence = 'non_renseigne' WHERE id > %s AND commune_id IS NULL "
                "AND residence = 'commune'",
                [after],
            )
        cursor.execute(RECEPTION_MOTIFS_SQL.format(**tables), {"motifs": motifs, "n": len(motifs), "after": after})


def _free_slots(room: Room, rng: random.Random, count: int) -> list[DateTimeTZRange]:
    """`count` periods of `room` that overlap neither each other nor a confirmed occupancy already there."""
    today = timezone.localdate()
    candidates = [(day, slot) for day in OCCUPANCY_DAYS for slot in SLOTS]
    busy = list(Occupancy.objects.confirmed().filter(room=room).values_list("period", flat=True))
    periods = []
    for offset, (start_h, start_m, end_h, end_m) in rng.sample(candidates, min(count, len(candidates))):
        day = today + datetime.timedelta(days=offset)
        period = DateTimeTZRange(_at(day, start_h, start_m), _at(day, end_h, end_m))
        if any(period.lower < other.upper and other.lower < period.upper for other in busy):
            continue
        periods.append(period)
    return periods


def _draw_kind(rng: random.Random, partners: list, elected) -> OccupancyKind:
    kind = rng.choices(list(OccupancyKind), weights=[3, 3, 2, 2])[0]
    if (kind == OccupancyKind.PERMANENCE and not partners) or (kind == OccupancyKind.RESERVATION and elected is None):
        kind = OccupancyKind.MEETING  # What the database requires of these kinds is missing.
    return kind


def _occupancy(rng, kind, *, room, period, event, title, slug, description, categories, partners, elected):
    """One benchmark occupancy of `kind`; one in ten is cancelled, as bookings are (it still holds its slot here)."""
    public = kind in (OccupancyKind.EVENT, OccupancyKind.PERMANENCE)
    return Occupancy(
        kind=kind,
        status=OccupancyStatus.CANCELLED if rng.random() < 0.1 else OccupancyStatus.CONFIRMED,
        title=title,
        slug=slug if public else None,
        description=description if public else "",
        maison=room.maison,
        room=room,
        period=period,
        is_public=public,
        category=rng.choice(categories) if kind == OccupancyKind.EVENT and categories else None,
        partner=rng.choice(partners) if kind == OccupancyKind.PERMANENCE and partners else None,
        holder=elected if kind == OccupancyKind.RESERVATION else None,
        event=event if kind == OccupancyKind.EVENT else None,
    )


def seed_occupancies(volumes: Volumes, rng: random.Random, elected) -> None:
    """Events, permanences, meetings and officials' bookings in every room, past and upcoming."""
    rooms = list(Room.objects.select_related("maison").order_by("pk"))
    if not rooms or not volumes.occupancies:
        return
    categories = list(Category.objects.all())
    partners = list(Partner.objects.all())
    per_room, extra = divmod(volumes.occupancies, len(rooms))
    occupancies = []
    series = {}  # One Event per Maison holds the benchmark's event occurrences (each needs its Event).
    for index, room in enumerate(rooms):
        for period in _free_slots(room, rng, per_room + (1 if index < extra else 0)):
            number = len(occupancies) + 1
            kind = _draw_kind(rng, partners, elected)
            if kind == OccupancyKind.EVENT and room.maison_id not in series:
                series[room.maison_id] = Event.objects.create(
                    title="Événement de mesure",
                    slug=f"{SLUG_PREFIX}evenement-{room.maison_id}",
                    maison=room.maison,
                    start=period.lower,
                    end=period.upper,
                    status="published",
                )
            occupancies.append(
                _occupancy(
                    rng,
                    kind,
                    room=room,
                    period=period,
                    event=series.get(room.maison_id),
                    title=f"{kind.label.capitalize()} n° {number}",
                    slug=f"{SLUG_PREFIX}{kind.value}-{number}",
                    description="Occupation ajoutée pour la mesure de performance.",
                    categories=categories,
                    partners=partners,
                    elected=elected,
                )
            )
    Occupancy.objects.bulk_create(occupancies, batch_size=2000)


def seed_past_occupancies(volumes: Volumes, rng: random.Random, elected) -> None:
    """`past_occupancies` more occurrences in every room, over the years before the half-year the other ones cover
    (issue 9: 50,000 in the database): what the calendar holds after a few seasons. Each (room, day, slot) once,
    so the exclusion constraint holds; one Event per Maison holds the event occurrences."""
    rooms = list(Room.objects.select_related("maison").order_by("pk"))
    if not rooms or not volumes.past_occupancies:
        return
    categories = list(Category.objects.all())
    partners = list(Partner.objects.order_by("pk")[:300])
    per_room_slots = -(-volumes.past_occupancies // len(rooms))  # Ceiling division.
    # Spread over about eight years before the other occupancies' first day.
    step = max(1, (8 * 365) // max(1, -(-per_room_slots // len(SLOTS))))
    first_day = timezone.localdate() + datetime.timedelta(days=OCCUPANCY_DAYS.start - 1)
    series = {}
    occupancies = []
    for number in range(volumes.past_occupancies):
        room = rooms[number % len(rooms)]
        k = number // len(rooms)
        start_h, start_m, end_h, end_m = SLOTS[k % len(SLOTS)]
        day = first_day - datetime.timedelta(days=(k // len(SLOTS)) * step)
        kind = _draw_kind(rng, partners, elected)
        if kind == OccupancyKind.EVENT and room.maison_id not in series:
            series[room.maison_id] = Event.objects.create(
                title="Événement de mesure (saisons passées)",
                slug=f"{SLUG_PREFIX}evenement-passe-{room.maison_id}",
                maison=room.maison,
                start=_at(day, start_h, start_m),
                end=_at(day, end_h, end_m),
                status="published",
            )
        occupancies.append(
            _occupancy(
                rng,
                kind,
                room=room,
                period=DateTimeTZRange(_at(day, start_h, start_m), _at(day, end_h, end_m)),
                event=series.get(room.maison_id),
                title=f"{kind.label.capitalize()} passée n° {number + 1}",
                slug=f"{SLUG_PREFIX}passe-{kind.value}-{number + 1}",
                description="",
                categories=categories,
                partners=partners,
                elected=elected,
            )
        )
    Occupancy.objects.bulk_create(occupancies, batch_size=2000)


@transaction.atomic
def bench_seed(volumes: Volumes, *, seed: int = 52) -> SeedReport:
    """Rebuild the benchmark dataset: the demonstration data, then `volumes` more rows."""
    _check_database_is_disposable()
    _reset()
    users = demo_seed()
    demo_visits, demo_occupancies = Visit.objects.count(), Occupancy.objects.count()
    rng = random.Random(seed)
    seed_maisons(volumes, rng)
    seed_partners(volumes, rng)
    agents = {maison.pk: user for user in users.values() for maison in user.maisons.all()}
    seed_visits(volumes, rng, agents)
    seed_reception_maisons(volumes, random.Random(seed + 1))  # Its own draws: the other rows stay the same.
    seed_reception_visits(volumes)
    summary_rebuild()  # The statistics read the daily summary, which bulk inserts do not maintain.
    _project_leads_mfa()
    seed_occupancies(volumes, rng, users.get("elu@demo.test"))
    seed_past_occupancies(volumes, rng, users.get("elu@demo.test"))
    seed_editorial(volumes, rng)
    return SeedReport(
        maisons=Maison.objects.count(),
        rooms=Room.objects.count(),
        visits=Visit.objects.count(),
        occupancies=Occupancy.objects.count(),
        partners=Partner.objects.count(),
        pages=WagtailPage.objects.live().count(),
        demo_visits=demo_visits,
        demo_occupancies=demo_occupancies,
    )


# The load test (bench/load.py) ---------------------------------------------------------------------------------

# Accounts that sign in during the load test, and the addresses of the invitations it creates: found again, and
# removed before each run, by these domains (never a demonstration address).
LOAD_ACCOUNT_DOMAIN = "charge.bench.test"
LOAD_INVITATION_DOMAIN = "invitations.charge.bench.test"
# A benchmark database only; the load test types it in the real sign-in form.
LOAD_PASSWORD = "Charge-du-portail-52-mesure"
# Who reads what: agents and officials read their pages; project leads (MFA required) create invitations.
LOAD_READER_ROLES = (Role.AGENT, Role.ELECTED)


@dataclass(frozen=True)
class LoadAccount:
    email: str
    role: str
    # The authenticator app's secret, for the roles that must sign in with a code (accounts.perms.must_use_mfa).
    totp_secret: str = ""
    # Who uses it in bench/locustfile.py: readers, writers (invitations), agents (visits), officials (bookings).
    kind: str = "readers"


@transaction.atomic
def load_accounts_seed(*, readers: int, writers: int, agents: int = 0, officials: int = 0) -> list[LoadAccount]:
    """Accounts for the load test, each signed in by one simulated person; what a previous run wrote removed
    (invitations, the load's visits and bookings).

    One account per simulated person: allauth refuses a TOTP code used twice, and counts sign-in failures per
    account. Writers are project leads with an authenticator app whose secret goes to the load test, which
    computes the codes. Agents each log visits at a Maison of their own (one reception screen each, as at a desk;
    with several Maisons the screen would first ask which). The password hash is computed once (the settings'
    hasher, slow by design in production) and shared.
    """
    _check_database_is_disposable()
    Invitation.objects.filter(email__endswith="@" + LOAD_INVITATION_DOMAIN).delete()
    # One by one, so that the statistics' summary follows (accueil/stats/receivers.py).
    Visit.all_objects.filter(agent__email__endswith="@" + LOAD_ACCOUNT_DOMAIN).delete()
    Occupancy.objects.filter(holder__email__endswith="@" + LOAD_ACCOUNT_DOMAIN).delete()
    password_hash = make_password(LOAD_PASSWORD)
    maisons = list(Maison.objects.published().order_by("pk")[:2])
    desks = list(Maison.objects.order_by("pk"))
    specs = [(f"lecture{n:03d}@{LOAD_ACCOUNT_DOMAIN}", LOAD_READER_ROLES[n % 2], "readers") for n in range(readers)]
    specs += [(f"chef{n:03d}@{LOAD_ACCOUNT_DOMAIN}", Role.PROJECT_LEAD, "writers") for n in range(writers)]
    specs += [(f"agent{n:03d}@{LOAD_ACCOUNT_DOMAIN}", Role.AGENT, "agents") for n in range(agents)]
    specs += [(f"elu{n:03d}@{LOAD_ACCOUNT_DOMAIN}", Role.ELECTED, "officials") for n in range(officials)]
    accounts = []
    for number, (email, role, kind) in enumerate(specs):
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"first_name": "Charge", "last_name": email.partition("@")[0], "password": password_hash},
        )
        user_set_roles(user=user, roles=[role])
        if kind == "readers" and role == Role.AGENT:
            user.maisons.set(maisons)
        elif kind == "agents":
            user.maisons.set([desks[number % len(desks)]])
        secret = ""
        if role == Role.PROJECT_LEAD:
            Authenticator.objects.filter(user=user).delete()
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
        accounts.append(LoadAccount(email=email, role=role.value, totp_secret=secret, kind=kind))
    return accounts
