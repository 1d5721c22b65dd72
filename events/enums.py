from django.db import models


class OccupancyKind(models.TextChoices):
    EVENT = "event", "événement public"
    PERMANENCE = "permanence", "permanence de partenaire"
    MEETING = "meeting", "réunion interne"
    RESERVATION = "reservation", "réservation d’élu·e"


class OccupancyStatus(models.TextChoices):
    CONFIRMED = "confirmed", "confirmée"
    CANCELLED = "cancelled", "annulée"
