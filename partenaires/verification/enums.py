from django.db import models


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "à examiner"
    PUBLISHED = "published", "publiée"
    REJECTED = "rejected", "écartée"
