from django.db import models


class Weekday(models.IntegerChoices):
    # Python's datetime.weekday() numbering, Monday first as in France.
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class Equipment(models.TextChoices):
    PROJECTOR = "projector", "vidéoprojecteur"
    SCREEN = "screen", "écran"
    VIDEOCONFERENCE = "videoconference", "visioconférence"
    PAPERBOARD = "paperboard", "paperboard"
    HEARING_LOOP = "hearing_loop", "boucle à induction magnétique"
    COMPUTER = "computer", "poste informatique"
    WIFI = "wifi", "wifi"
    KITCHENETTE = "kitchenette", "coin cuisine"


class OutsideHours(models.TextChoices):
    """What a booking outside the Maison's opening hours gets, per room."""

    REFUSE = "refuse", "refusée"
    WARN = "warn", "acceptée avec un avertissement"
