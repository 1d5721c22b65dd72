"""The reference list of reasons as issue 8 lists it: the Département's missions, partners' matters, then « Autre »,
each linked to the partner directory's theme that matches (data·inclusion codes, partenaires/themes.py).

Migration 0004 loads a frozen copy; `reasons_sync()` creates what is missing (a database flushed by tests that run
against a live server, or the demonstration) and never touches a reason that exists: the project lead may have
renamed, regrouped or retired it in /gestion/accueil/motifs/.
"""

from partenaires.models import Theme
from partenaires.themes import themes_sync

from .enums import MotifGroup
from .models import Motif

_ACCESS_TO_RIGHTS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
_PAPERWORK = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"

REASONS: list[tuple[MotifGroup, str, str]] = [
    (MotifGroup.DEPARTEMENT, "Routes et déneigement", "mobilite"),
    (MotifGroup.DEPARTEMENT, "Transports scolaires et à la demande", "mobilite--mobilite-douce-partagee-collective"),
    (MotifGroup.DEPARTEMENT, "Collèges", ""),
    (MotifGroup.DEPARTEMENT, "Autonomie : APA et aide à domicile", "famille--prise-en-charge-personne-dependante"),
    (MotifGroup.DEPARTEMENT, "Handicap : MDPH et PCH", "sante--constituer-un-dossier-mdph-invalidite"),
    (MotifGroup.DEPARTEMENT, "Insertion et RSA", _ACCESS_TO_RIGHTS),
    (MotifGroup.DEPARTEMENT, "Enfance, famille et PMI", "famille"),
    (MotifGroup.DEPARTEMENT, "Culture", "remobilisation--activites-sportives-et-culturelles"),
    (MotifGroup.DEPARTEMENT, "Sport", "remobilisation--activites-sportives-et-culturelles"),
    (MotifGroup.DEPARTEMENT, "Tourisme", ""),
    (MotifGroup.DEPARTEMENT, "Rencontrer un élu", ""),
    (MotifGroup.PARTNERS, "CAF : prestations familiales et logement", "famille"),
    (MotifGroup.PARTNERS, "CPAM : assurance maladie", "sante--acces-aux-soins"),
    (MotifGroup.PARTNERS, "Retraite", _PAPERWORK),
    (MotifGroup.PARTNERS, "MSA", _ACCESS_TO_RIGHTS),
    (MotifGroup.PARTNERS, "France Travail : emploi", "trouver-un-emploi"),
    (MotifGroup.PARTNERS, "Impôts", _PAPERWORK),
    (MotifGroup.PARTNERS, "Titres : carte d’identité, passeport, permis, carte grise", _PAPERWORK),
    (MotifGroup.PARTNERS, "Logement", "logement-hebergement"),
    (
        MotifGroup.PARTNERS,
        "Accès au droit et justice",
        "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    ),
    (MotifGroup.OTHER, "Autre", ""),
]


def reasons_sync() -> int:
    """Create the reasons of the list that are missing; return how many were created."""
    themes_sync()
    themes = {theme.code: theme for theme in Theme.objects.filter(code__in={code for _, _, code in REASONS})}
    existing = set(Motif.objects.values_list("label", flat=True))
    missing = [
        Motif(label=label, group=group, theme=themes.get(code), position=position * 10)
        for position, (group, label, code) in enumerate(REASONS, start=1)
        if label not in existing
    ]
    Motif.objects.bulk_create(missing)
    return len(missing)
