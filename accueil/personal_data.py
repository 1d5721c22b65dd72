"""The reception log's retention rules, export and erasure (registered in accueil/apps.py; see core/retention.py).

Invariant 3: visitors are never named; what could still point to a person fades with time: the free-text note
(which an agent might misuse) first, with the visit's change history, then the agent who logged the visit.
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType

from core import personal_data, retention

from .models import Visit


def purge_visit_notes(delay: datetime.timedelta) -> int:
    """Empty the notes of visits older than the delay; the visit stays, without free text, for statistics."""
    return Visit.objects.filter(occurred_at__lt=retention.cutoff(delay)).exclude(note="").update(note="")


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
    """Detach visits older than the delay from the agent who logged them."""
    return Visit.objects.filter(occurred_at__lt=retention.cutoff(delay), agent__isnull=False).update(agent=None)


def export_visits(user) -> dict:
    """The visits are about visitors, not about the agent: only how many the person logged."""
    return {"visites_enregistrées_par_vous": Visit.objects.filter(agent=user).count()}


def erase_visits(user) -> dict[str, int]:
    return {"visits_detached": Visit.objects.filter(agent=user).update(agent=None)}


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
    personal_data.register_exporter("visites", "Accueil des visiteurs", export_visits)
    personal_data.register_eraser("visits", erase_visits)
