"""Build the demonstration dataset idempotently: a second run neither duplicates nor loses anything.

Each object is found by its natural key (slug, e-mail, label) and created only when missing; what a person
changed since (a password, a booking) is left as it is.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import user_set_roles
from accueil.reference import reasons_sync
from events.enums import OccupancyKind
from events.models import Category, Event, Occupancy
from maisons.models import Commune, Direction, Maison, OpeningHours, Room
from maisons.services import communes_load
from partenaires.models import Partner, PartnerContact
from search import index as search_index

from . import data
from .events_season import seed_season
from .reservations import seed_reservations
from .visits import seed_year_of_visits


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


def _facade_jpeg(colour: tuple[int, int, int]) -> bytes:
    """A Maison's façade drawn locally with Pillow (no download): walls, roof, windows, a door."""
    from io import BytesIO

    from PIL import Image as PillowImage
    from PIL import ImageDraw

    width, height = 1200, 750
    picture = PillowImage.new("RGB", (width, height), (196, 222, 240))  # Sky.
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 610, width, height), fill=(150, 150, 145))  # Street.
    wall = tuple(min(255, channel + 70) for channel in colour)
    draw.rectangle((150, 220, 1050, 620), fill=wall, outline=colour, width=6)
    draw.polygon([(120, 225), (600, 70), (1080, 225)], fill=(110, 60, 50))  # Roof.
    for row in (260, 420):
        for column in range(210, 1000, 160):
            if row == 420 and 530 <= column <= 690:
                continue
            draw.rectangle((column, row, column + 90, row + 120), fill=(235, 240, 245), outline=colour, width=5)
    draw.rectangle((540, 440, 660, 620), fill=colour)  # Step-free door.
    draw.rectangle((420, 160, 780, 205), fill=(18, 63, 109))  # Sign.
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed_maison_presentation(maisons: dict[str, Maison]) -> None:
    """A photo of each Maison and a partial-day closure in the week ahead, created only when missing."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Collection

    from maisons.services import maison_photo_add

    if Collection.get_first_root_node() is None:  # Made by Wagtail's migrations; gone after a test's flush.
        Collection.add_root(name="Root")
    today = timezone.localdate()
    for spec in data.MAISONS:
        maison = maisons[spec["slug"]]
        if not maison.photos.exists():
            maison_photo_add(
                maison=maison,
                file=SimpleUploadedFile("facade.jpg", _facade_jpeg(spec["photo_colour"]), "image/jpeg"),
                alt_text=spec["photo_alt"],
                is_decorative=False,
            )
        weekday, start, end, reason = spec["partial_closure"]
        if maison.closures.filter(start_time__isnull=False, end_date__gte=today).exists():
            continue
        day = _next_weekday(today + datetime.timedelta(days=1), weekday)
        if not maison.closures.filter(start_date__lte=day, end_date__gte=day).exists():
            maison.closures.create(start_date=day, start_time=start, end_date=day, end_time=end, reason=reason)


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
    reasons_sync()  # The reference list of reasons, as migration 0004 of accueil loads it.
    for name, slug in data.CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


def seed_partners() -> None:
    """The directory (demo/partners_data.py): partners, services, contacts, created when missing, through the
    directory's services (search vector, page cache)."""
    from partenaires.models import Service, Theme
    from partenaires.services import contact_save, partner_save, service_save
    from partenaires.themes import themes_sync

    from .partners_data import CONTACTS, PARTNERS, SOURCE

    themes_sync()  # Loaded by a migration; gone after a test's flush.
    themes = {theme.code: theme for theme in Theme.objects.all()}
    communes = {commune.pk: commune for commune in Commune.objects.filter(departement="52")}
    for spec in PARTNERS:
        if Partner.objects.filter(slug=spec["slug"]).exists():
            continue
        commune = communes.get(spec["commune"])
        partner = partner_save(
            partner=Partner(
                slug=spec["slug"],
                name=spec["name"],
                acronym=spec["acronym"],
                kind=spec["kind"],
                description=spec["description"],
                address=spec["address"],
                postal_code=spec["postal_code"],
                commune=commune,
                phone=spec["phone"],
                email=spec["email"],
                website=spec["website"],
                opening_hours=spec["opening_hours"],
                holds_permanences=spec["holds_permanences"],
                source=SOURCE,
                last_verified_on=timezone.localdate() - datetime.timedelta(days=30),
            ),
            themes=[themes[code] for code in spec["themes"]],
        )
        for position, item in enumerate(spec["services"], start=1):
            area = item["area"]
            served = [commune] if area == "communes" and commune else []
            if area == "communes" and not served:
                area = "departement"
            service_save(
                service=Service(
                    partner=partner,
                    name=item["name"],
                    summary=item["summary"],
                    description=item["description"],
                    audiences=item["audiences"],
                    access_modes=item["access_modes"],
                    fees=item["fees"],
                    documents=item["documents"],
                    area=area,
                    epci_codes=item["epci_codes"],
                    position=position,
                ),
                themes=[themes[code] for code in item["themes"]],
                communes=served,
            )
    for slug, name, role, phone, notes in CONTACTS:
        partner = Partner.objects.get(slug=slug)
        if not partner.contacts.filter(name=name).exists():
            contact_save(contact=PartnerContact(partner=partner, name=name, role=role, phone=phone, notes=notes))


def seed_partner_verifications() -> None:
    """Freshness (partenaires/verification): a partner that confirmed its entry, one whose proposed changes wait
    for the project lead's review; created once, without e-mail."""
    from partenaires.verification.models import ChangeProposal, VerificationRequest
    from partenaires.verification.services import snapshot

    if VerificationRequest.objects.exists():
        return
    partners = list(Partner.objects.published().exclude(email="").order_by("name")[:2])
    if len(partners) < 2:
        return
    now = timezone.now()
    confirmed, proposing = partners
    VerificationRequest.objects.create(
        partner=confirmed,
        email=confirmed.email,
        sent_at=now - datetime.timedelta(days=3),
        expires_at=now + datetime.timedelta(days=27),
        answered_at=now - datetime.timedelta(days=2),
        confirmed=True,
    )
    Partner.objects.filter(pk=confirmed.pk).update(last_verified_on=timezone.localdate() - datetime.timedelta(days=2))
    request = VerificationRequest.objects.create(
        partner=proposing,
        email=proposing.email,
        sent_at=now - datetime.timedelta(days=5),
        expires_at=now + datetime.timedelta(days=25),
        answered_at=now - datetime.timedelta(days=1),
    )
    ChangeProposal.objects.create(
        request=request,
        partner=proposing,
        original=snapshot(proposing),
        changes={"opening_hours": "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00; PH off"},
        comment="Nous fermons désormais le vendredi après-midi. La permanence de Langres passe au mardi.",
    )


def seed_partner_permanences(maisons: dict[str, Maison]) -> None:
    """A few weeks of permanences in the Maisons (demo/partners_data.py); a slot already taken is skipped."""
    from .partners_data import PERMANENCES

    today = timezone.localdate()
    now = timezone.now()
    for slug, maison_slug, room_name, weekday, start, end, weeks in PERMANENCES:
        partner = Partner.objects.get(slug=slug)
        maison = maisons[maison_slug]
        room = maison.rooms.get(name=room_name)
        for week in weeks:
            day = _next_weekday(today, weekday, week)
            period = DateTimeTZRange(_at(day, *start), _at(day, *end))
            key = f"demo-permanence-{slug}-{maison_slug}-{day.isoformat()}"
            if period.lower < now or Occupancy.objects.filter(slug=key).exists():
                continue
            if Occupancy.objects.confirmed().filter(room=room, period__overlap=period).exists():
                continue
            Occupancy.objects.create(
                slug=key,
                kind=OccupancyKind.PERMANENCE,
                title=f"Permanence {partner.acronym or partner.name}",
                maison=maison,
                room=room,
                period=period,
                is_public=True,
                partner=partner,
            )


def seed_occupancies(maisons: dict[str, Maison], users: dict[str, User]) -> None:
    today = timezone.localdate()
    langres, saint_dizier = maisons["langres"], maisons["saint-dizier"]
    caf = Partner.objects.get(slug="caf")
    france_travail = Partner.objects.get(slug="france-travail-saint-dizier")
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
        event = None
        if kind == OccupancyKind.EVENT:  # An event's occurrence belongs to its Event (events.Event).
            event, _ = Event.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "category": category,
                    "maison": maison,
                    "room": maison.rooms.get(name=room),
                    "start": _at(day, *start),
                    "end": _at(day, *end),
                    "status": "published",
                },
            )
        Occupancy.objects.create(
            event=event,
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
    """A year of visits at both Maisons, logged by their agents (demo/visits.py)."""
    agents = {"langres": users["agent.langres@demo.test"], "saint-dizier": users["agent.saint-dizier@demo.test"]}
    seed_year_of_visits(maisons, agents)


def seed_legal() -> None:
    """The legal notice and the accessibility statement of the demonstration, saying what is fictitious (once)."""
    from legal.models import AccessibilityStatement, LegalNotice

    if not LegalNotice.objects.exists():
        LegalNotice.objects.create(
            publisher_phone="03 25 00 00 00",
            publisher_email="contact-demo@haute-marne.fr",
            host="Hébergeur de démonstration (fictif)",
            host_address="1 rue de l’Exemple\n52000 Chaumont",
            host_phone="03 25 00 00 01",
            dpo_email="dpo-demo@haute-marne.fr",
            demonstration_notice=(
                "Ce portail sert de démonstration : les numéros de téléphone, les adresses électroniques, "
                "l’hébergeur et les personnes citées sont fictifs, comme les visites et les réservations."
            ),
        )
    if not AccessibilityStatement.objects.exists():
        AccessibilityStatement.objects.create(contact_email="accessibilite-demo@haute-marne.fr")


@transaction.atomic
def demo_seed(*, load_communes: bool = True) -> dict[str, User]:
    """Create what is missing of the demonstration dataset; `load_communes=False` expects the communes there."""
    if load_communes:
        seed_communes()
    maisons = seed_maisons()
    seed_maison_presentation(maisons)
    users = seed_accounts(maisons)
    seed_reference_lists()
    seed_partners()
    seed_partner_verifications()
    seed_occupancies(maisons, users)
    seed_season(maisons)  # The partners' recurring permanences, public events, meetings (demo/events_season.py).
    seed_visits(maisons, users)
    seed_reservations(maisons, users)
    seed_legal()
    seed_pages()
    search_index.rebuild()  # Last: every app's public content is in place.
    return users


def _demo_image(title: str, colour: tuple[int, int, int]):
    """An illustration drawn locally with Pillow (no download): bands and discs in the given colour."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 1200, 675
    picture = PillowImage.new("RGB", (width, height), (235, 240, 245))
    draw = ImageDraw.Draw(picture)
    red, green, blue = colour
    for band in range(6):
        shade = (min(red + band * 18, 255), min(green + band * 18, 255), min(blue + band * 18, 255))
        draw.rectangle([0, height - (band + 1) * 70, width, height - band * 70], fill=shade)
    draw.ellipse([850, 60, 1050, 260], fill=(250, 215, 90))
    draw.polygon([(100, 460), (380, 180), (660, 460)], fill=(red // 2, green // 2, blue // 2))
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{slugify(title)}.jpg"))


def _demo_document():
    """A one-page PDF written by hand (no library needed), for the document blocks."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    title = "Carte des priorités de déneigement"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    text = b"BT /F1 18 Tf 72 760 Td (Priorites de deneigement - document de demonstration) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    document = Document(title=title, file_size=len(pdf))
    document.file.save("priorites-deneigement.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def _stream(blocks: list[dict], image_id: int, document_id: int) -> str:
    import json

    from . import pages_data

    raw = json.dumps(blocks)
    return raw.replace(f'"{pages_data.IMAGE}"', str(image_id)).replace(f'"{pages_data.DOCUMENT}"', str(document_id))


@transaction.atomic
def seed_pages() -> None:
    """The Wagtail content: the home page's blocks, information pages, the news with one scheduled item."""
    from pages.models import (
        HomeFeaturedPage,
        InformationPage,
        MainMenu,
        MainMenuItem,
        NewsCategory,
        NewsIndexPage,
        NewsPage,
    )
    from pages.services import ensure_site_tree

    from . import pages_data

    home = ensure_site_tree()
    document = _demo_document()
    illustration = _demo_image("Route départementale en hiver", (30, 80, 140))
    information_pages = []
    for spec in pages_data.INFORMATION_PAGES:
        page = InformationPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = InformationPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                search_description=spec["summary"],
                show_in_menus=True,
                body=_stream(spec["body"], illustration.pk, document.pk),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        information_pages.append(page)

    if not home.featured_pages.exists():
        home.intro = pages_data.HOME_INTRO
        for order, page in enumerate(information_pages[:6]):
            home.featured_pages.add(HomeFeaturedPage(page=page, sort_order=order))
        home.save_revision().publish()

    categories = {
        slug: NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in pages_data.NEWS_CATEGORIES
    }
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title="Actualités",
            slug="actualites",
            intro="Les nouvelles du Département et de ses Maisons, les plus récentes d’abord.",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    menu = MainMenu.objects.get()
    if not menu.items.exists():  # The communication service's own entry in the main navigation.
        MainMenuItem.objects.create(menu=menu, label="Actualités", link_page=index, sort_order=0)
    maisons = {maison.slug: maison for maison in Maison.objects.all()}
    today = timezone.localdate()
    for slug, title, days_ago, category, maison, intro, body, colour in pages_data.NEWS:
        if NewsPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        news_image = _demo_image(f"Illustration – {title}", colour)
        item = NewsPage(
            title=title,
            slug=slug,
            date=today - datetime.timedelta(days=days_ago),
            image=news_image,
            image_alt=f"Illustration : {title.lower()}.",
            category=categories[category],
            maison=maisons.get(maison) if maison else None,
            intro=intro,
            body=_stream([pages_data.paragraph(body)], illustration.pk, document.pk),
        )
        index.add_child(instance=item)
        item.save_revision().publish()

    slug, title, category, maison, intro, body = pages_data.SCHEDULED_NEWS
    if not NewsPage.objects.child_of(index).filter(slug=slug).exists():
        go_live = timezone.now() + datetime.timedelta(days=7)
        item = NewsPage(
            title=title,
            slug=slug,
            date=timezone.localdate(go_live),
            category=categories[category],
            maison=maisons.get(maison),
            intro=intro,
            body=_stream([pages_data.paragraph(body)], illustration.pk, document.pk),
            live=False,
            go_live_at=go_live,
        )
        index.add_child(instance=item)
        item.save_revision(approved_go_live_at=go_live)
