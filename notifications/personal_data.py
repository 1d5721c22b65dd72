"""The ledger holds recipients' addresses (officials, agents, registrants, partners): deleted after
NOTIFICATIONS_RETENTION_DAYS past the message's due time, whatever its state (waiting ones are never that old)."""

import datetime

from core import retention

from .models import Notification


def purge_ledger(delay: datetime.timedelta) -> int:
    deleted, _ = Notification.objects.filter(due_at__lt=retention.cutoff(delay)).delete()
    return deleted


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="notifications",
            data="Journal des courriels envoyés (adresse du destinataire, objet, état de l’envoi)",
            purpose="Envoyer chaque rappel une seule fois et montrer aux gestionnaires ce qui est parti ou a échoué",
            setting="NOTIFICATIONS_RETENTION_DAYS",
            purge=purge_ledger,
            outcome=retention.Outcome.ERASED,
            then="Les lignes du journal sont supprimées ; le contenu des messages n’y est jamais conservé.",
        )
    )
