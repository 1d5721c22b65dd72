"""The reception log's retention rules, export and erasure (registered in accueil/apps.py; see core/retention.py).

Invariant 3: visitors are never named; what could still point to a person fades with time: the free-text note
(which an agent might misuse) first, with the visit's change history, then the agent who logged the visit.
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType

from core import personal_data, retention

from .models import Referral, Visit
from .services import purge_deleted_visits, purge_referral_personal_data

BATCH = 2000


def _in_batches(queryset, **changes) -> int:
    """Update `queryset` by batches of primary keys, so that a purge over a million visits never holds one long
    transaction nor locks the reception screen."""
    total = 0
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not pks:
            return total
        total += queryset.model.all_objects.filter(pk__in=pks).update(**changes)


def purge_visit_notes(delay: datetime.timedelta) -> int:
    """Empty the notes of visits older than the delay; the visit stays, without free text, for statistics."""
    return _in_batches(Visit.all_objects.filter(occurred_at__lt=retention.cutoff(delay)).exclude(note=""), note="")


def purge_visit_history(delay: datetime.timedelta) -> int:
    """The audit trail of visits (never the note, see AUDITLOG_INCLUDE_TRACKING_MODELS) goes with the notes, and so
    does the Django administration's own history of visits (which names who changed them)."""
    moment = retention.cutoff(delay)
    deleted, _ = LogEntry.objects.get_for_model(Visit).filter(timestamp__lt=moment).delete()
    admin_deleted, _ = AdminLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Visit), action_time__lt=moment
    ).delete()
    return deleted + admin_deleted


def purge_visit_agents(delay: datetime.timedelta) -> int:
    """Detach visits (and referrals) older than the delay from the agent who logged them."""
    moment = retention.cutoff(delay)
    referrals = Referral.objects.filter(created_at__lt=moment, agent__isnull=False).update(agent=None)
    return referrals + _in_batches(Visit.all_objects.filter(occurred_at__lt=moment, agent__isnull=False), agent=None)


def export_visits(user) -> dict:
    """The visits are about visitors, not about the agent: only how many the person logged."""
    return {
        "visites_enregistrées_par_vous": Visit.all_objects.filter(agent=user).count(),
        "mises_en_relation_faites_par_vous": Referral.objects.filter(agent=user).count(),
    }


def erase_visits(user) -> dict[str, int]:
    return {
        "visits_detached": Visit.all_objects.filter(agent=user).update(agent=None),
        "referrals_detached": Referral.objects.filter(agent=user).update(agent=None),
    }


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="visit-notes",
            data="Remarque libre saisie par l’agent d’accueil lors d’une visite (sans nom)",
            purpose="Assurer le suivi d’une orientation dans les jours qui suivent la visite",
            setting="VISIT_NOTE_RETENTION_DAYS",
            purge=purge_visit_notes,
            outcome=retention.Outcome.ERASED,
            then="La remarque est effacée ; la visite reste, sans texte libre, pour les statistiques.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="visit-history",
            data="Historique des modifications d’une visite (qui l’a saisie ou corrigée, et quand ; jamais la "
            "remarque)",
            purpose="Pouvoir corriger une saisie erronée et savoir qui l’a faite",
            setting="VISIT_NOTE_RETENTION_DAYS",
            purge=purge_visit_history,
            outcome=retention.Outcome.ERASED,
            then="L’historique de la visite est effacé.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="visit-agents",
            data="Lien entre une visite et l’agent qui l’a enregistrée",
            purpose="Corriger les saisies et suivre l’activité de l’accueil sur une année",
            setting="VISIT_AGENT_RETENTION_DAYS",
            purge=purge_visit_agents,
            outcome=retention.Outcome.ANONYMISED,
            then="La visite n’est plus rattachée à l’agent ; elle ne sert plus qu’aux statistiques anonymes.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="visit-referrals",
            data="Mise en relation : nom du visiteur, moyen de le joindre et besoin, transmis avec son accord",
            purpose="Transmettre la demande au partenaire ou à la direction et vérifier que le visiteur a eu une "
            "réponse",
            setting="VISIT_REFERRAL_RETENTION_DAYS",
            purge=purge_referral_personal_data,
            outcome=retention.Outcome.ERASED,
            then="Le nom, le contact et le besoin sont effacés ; restent la mise en relation et sa suite.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="visit-deleted",
            data="Visite supprimée depuis l’écran d’accueil (conservée quelques minutes pour pouvoir annuler)",
            purpose="Permettre d’annuler une suppression faite par erreur",
            setting="VISIT_DELETED_RETENTION_DAYS",
            purge=purge_deleted_visits,
            outcome=retention.Outcome.ERASED,
            then="La visite supprimée est effacée définitivement.",
        )
    )
    personal_data.register_exporter("visites", "Accueil des visiteurs", export_visits)
    personal_data.register_eraser("visits", erase_visits)
