from django.db import models


class PartnerKind(models.TextChoices):
    PUBLIC_BODY = "public", "organisme public"
    SOCIAL_SECURITY = "protection_sociale", "protection sociale"
    EMPLOYMENT = "emploi", "emploi et insertion"
    ASSOCIATION = "association", "association"
    LOCAL_AUTHORITY = "collectivite", "collectivité"
    COMPANY = "entreprise", "entreprise"
    OTHER = "autre", "autre"


class AccessMode(models.TextChoices):
    """How a person uses a service (data·inclusion splits them into `modes_accueil` and `modes_mobilisation`)."""

    ON_SITE = "sur_place", "sur place"
    PHONE = "telephone", "par téléphone"
    ONLINE = "en_ligne", "en ligne"
    APPOINTMENT = "rendez_vous", "sur rendez-vous"


class Fees(models.TextChoices):
    """data·inclusion's `frais` list."""

    FREE = "gratuit", "gratuit"
    PAID = "payant", "payant"


class Audience(models.TextChoices):
    """Who a service is for: data·inclusion's `publics` list (partenaires/tests check it against the package)."""

    EVERYONE = "tous-publics", "tous publics"
    WORKING = "actifs", "personnes en activité"
    MINIMUM_INCOME = "beneficiaires-des-minimas-sociaux", "bénéficiaires des minima sociaux"
    JOB_SEEKERS = "demandeurs-emploi", "demandeurs d’emploi"
    STUDENTS = "etudiants", "étudiants"
    FAMILIES = "familles", "familles"
    WOMEN = "femmes", "femmes"
    YOUNG = "jeunes", "jeunes"
    DISABLED = "personnes-en-situation-de-handicap", "personnes en situation de handicap"
    EMERGENCY = "personnes-en-situation-durgence", "personnes en situation d’urgence"
    JUSTICE = "personnes-en-situation-juridique-specifique", "personnes en situation juridique spécifique"
    EXILES = "personnes-exilees", "personnes exilées"
    PRIORITY_AREAS = "residents-qpv-frr", "habitants des quartiers prioritaires ou zones rurales (QPV, FRR)"
    SENIORS = "seniors", "seniors"


class Area(models.TextChoices):
    """Where a service is offered."""

    DEPARTEMENT = "departement", "tout le département"
    EPCI = "epci", "certaines intercommunalités"
    COMMUNES = "communes", "certaines communes"
