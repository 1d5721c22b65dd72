from django.db import models


class PartnerKind(models.TextChoices):
    PUBLIC_BODY = "public", "organisme public"
    SOCIAL_SECURITY = "protection_sociale", "protection sociale"
    EMPLOYMENT = "emploi", "emploi et insertion"
    ASSOCIATION = "association", "association"
    LOCAL_AUTHORITY = "collectivite", "collectivité"
    OTHER = "autre", "autre"
