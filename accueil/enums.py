from django.db import models


class Channel(models.TextChoices):
    IN_PERSON = "physique", "accueil physique"
    PHONE = "telephone", "téléphone"
    EMAIL = "courriel", "courriel"


class Outcome(models.TextChoices):
    ANSWERED = "repondu", "réponse apportée sur place"
    DIRECTION = "direction", "orienté vers une direction du Département"
    PARTNER = "partenaire", "orienté vers un partenaire"
    OTHER = "autre", "autre orientation"
