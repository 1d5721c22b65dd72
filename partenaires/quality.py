"""The quality score of a service, as data·inclusion computes it (`data_inclusion.schema.v1.score_qualite.score`).

The package's own function runs on the service's data·inclusion record (partenaires/data_inclusion.py): ten
criteria, each between 0 and 1, or not applicable; the score is the mean of the applicable ones, rounded to two
decimals. Nothing is re-implemented here but the French words that say what to fix.
"""

from dataclasses import dataclass, field

from data_inclusion.schema.v1 import Service as DataInclusionService
from data_inclusion.schema.v1.score_qualite import score as data_inclusion_score

from . import data_inclusion
from .models import Service

# What each criterion checks, and what to do when it is not met (the criterion's name is the package's function).
CRITERIA = {
    "adresse_bien_definie": ("adresse", "Indiquez l’adresse du partenaire : le service se rend sur place."),
    "modes_mobilisation_bien_definis": (
        "modes de mobilisation",
        "Cochez au moins un mode d’accès (sur place, téléphone, en ligne, rendez-vous) qui se traduit en mode de "
        "mobilisation : un téléphone, un courriel ou un site internet selon le cas.",
    ),
    "au_moins_un_public": ("publics", "Indiquez à qui s’adresse le service (au moins un public)."),
    "au_moins_une_thematique": (
        "thématiques",
        "Choisissez au moins une thématique précise (pas seulement une catégorie).",
    ),
    "au_moins_un_moyen_de_contact": (
        "moyen de contact",
        "Indiquez un téléphone, un courriel ou un site internet.",
    ),
    "courriel_bien_defini": ("courriel", "Indiquez le courriel du service ou du partenaire."),
    "date_maj_recente": (
        "fraîcheur",
        "Faites vérifier la fiche par le partenaire : elle n’a pas été mise à jour depuis plus de six mois.",
    ),
    "frais_bien_definis": (
        "frais",
        "Dites si le service est gratuit ou payant (et, s’il est payant, combien).",
    ),
    "description_bien_definie": (
        "description",
        "Rédigez une description détaillée de 200 à 2 000 signes.",
    ),
    "telephone_bien_defini": ("téléphone", "Indiquez le téléphone du service ou du partenaire."),
}


@dataclass
class Criterion:
    name: str
    label: str
    advice: str
    value: float


@dataclass
class Quality:
    service: Service
    score: float
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def missing(self) -> list[Criterion]:
        """The applicable criteria not fully met, weakest first."""
        return sorted((item for item in self.criteria if item.value < 1), key=lambda item: item.value)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def quality_of(service: Service, *, departements: list[str]) -> Quality:
    record = data_inclusion.service_record(service, departements=departements)
    value, results = data_inclusion_score(DataInclusionService.model_validate(record))
    criteria = [
        Criterion(name, *CRITERIA.get(name, (name, "")), value=round(result, 2))
        for name, result in results.items()
        if result is not None
    ]
    return Quality(service=service, score=value, criteria=criteria)


def qualities(queryset=None) -> list[Quality]:
    """Every published service of a published partner with its score, weakest first (4 queries)."""
    codes = data_inclusion.departements()
    services = queryset if queryset is not None else data_inclusion.services_queryset()
    result = [quality_of(service, departements=codes) for service in services]
    return sorted(result, key=lambda item: (item.score, item.service.partner.name, item.service.name))


def partner_scores(partner_ids=None) -> dict[int, float]:
    """Each partner's weakest service score (a partner without a published service is absent)."""
    queryset = data_inclusion.services_queryset()
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    scores: dict[int, float] = {}
    for item in qualities(queryset):
        partner_id = item.service.partner_id
        scores[partner_id] = min(scores.get(partner_id, 1.0), item.score)
    return scores
