from django.db import models


class OccupancyKind(models.TextChoices):
    EVENT = "event", "événement public"
    PERMANENCE = "permanence", "permanence de partenaire"
    MEETING = "meeting", "réunion interne"
    RESERVATION = "reservation", "réservation d’élu·e"


class OccupancyStatus(models.TextChoices):
    PENDING = "pending", "en attente de validation"
    CONFIRMED = "confirmed", "confirmée"
    CANCELLED = "cancelled", "annulée"
    REFUSED = "refused", "refusée"
    EXPIRED = "expired", "expirée"


# A pending request holds its slot like a confirmed booking (issue 9); the others free it.
HOLDING_STATUSES = (OccupancyStatus.PENDING, OccupancyStatus.CONFIRMED)


class CategoryKind(models.TextChoices):
    PUBLIC_EVENT = "public_event", "événement public"
    WORKSHOP = "workshop", "atelier"
    PUBLIC_MEETING = "public_meeting", "réunion publique"
    EXHIBITION = "exhibition", "exposition"
    PARTNER_PERMANENCE = "partner_permanence", "permanence de partenaire"
    ELECTED_PERMANENCE = "elected_permanence", "permanence d’élu·e"
    INTERNAL_MEETING = "internal_meeting", "réunion interne"


class Audience(models.TextChoices):
    PUBLIC = "public", "public"
    INTERNAL = "internal", "interne"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "brouillon"
    PUBLISHED = "published", "publié"
    CANCELLED = "cancelled", "annulé"


class Organiser(models.TextChoices):
    PROJECT_LEAD = "project_lead", "la cheffe ou le chef de projet"
    DIRECTION = "direction", "une direction du Département"
    PARTNER = "partner", "un partenaire"
