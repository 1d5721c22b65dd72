from django.db import models


class Channel(models.TextChoices):
    IN_PERSON = "physique", "accueil physique"
    PHONE = "telephone", "téléphone"
    EMAIL = "courriel", "courriel"
    VIDEO = "visio", "visioconférence"


class Outcome(models.TextChoices):
    """What followed the visit. A fixed list on purpose (the statistics and the France Services reporting count
    these very values): the project lead manages reasons and directions, not outcomes."""

    ANSWERED = "repondu", "réponse apportée sur place"
    DIRECTION = "direction", "orienté vers une direction du Département"
    PARTNER = "partenaire", "orienté vers un partenaire"
    APPOINTMENT = "rendez_vous", "rendez-vous pris"
    CALL_BACK = "rappel", "à rappeler"
    OTHER = "autre", "autre suite"


class MotifGroup(models.TextChoices):
    DEPARTEMENT = "departement", "Missions du Département"
    PARTNERS = "partenaires", "Démarches auprès des partenaires"
    OTHER = "autre", "Autre"


class Residence(models.TextChoices):
    COMMUNE = "commune", "commune"
    ABROAD = "hors_france", "hors de France"
    NOT_GIVEN = "non_renseigne", "non renseignée"


class AgeBand(models.TextChoices):
    """The age bands of the France Services reporting."""

    UNDER_26 = "moins_26", "moins de 26 ans"
    FROM_26_TO_45 = "26_45", "26 à 45 ans"
    FROM_46_TO_65 = "46_65", "46 à 65 ans"
    OVER_65 = "plus_65", "plus de 65 ans"


class Sex(models.TextChoices):
    WOMAN = "femme", "femme"
    MAN = "homme", "homme"


class DurationBand(models.TextChoices):
    UNDER_5 = "moins_5", "moins de 5 min"
    FROM_5_TO_15 = "5_15", "5 à 15 min"
    FROM_15_TO_30 = "15_30", "15 à 30 min"
    OVER_30 = "plus_30", "plus de 30 min"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfait", "satisfait"
    NEUTRAL = "neutre", "sans avis"
    UNSATISFIED = "insatisfait", "pas satisfait"


class ReferralAnswer(models.TextChoices):
    """Whether the visitor got an answer after a referral, as the agent records it."""

    PENDING = "en_attente", "pas encore su"
    ANSWERED = "repondu", "la personne a eu une réponse"
    NO_ANSWER = "sans_reponse", "pas de réponse"
    UNREACHABLE = "injoignable", "personne injoignable"
