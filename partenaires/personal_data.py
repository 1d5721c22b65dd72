"""Partners' internal contacts are personal data (names, direct lines): export, erasure and retention.

Registered in partenaires/apps.py (see core/personal_data.py and core/retention.py). A contact is not an account;
when a person with an account asks for their data, the contacts bearing their e-mail address are theirs. Contacts
of a partner retired for longer than PARTNER_CONTACT_RETENTION_DAYS are erased: nobody calls them any more. Import
files (and their reports) go after PARTNER_IMPORT_RETENTION_DAYS.
"""

import datetime

from core import personal_data, retention

from .models import ImportJob, PartnerContact


def purge_retired_partners_contacts(delay: datetime.timedelta) -> int:
    deleted, _ = PartnerContact.objects.filter(partner__retired_at__lt=retention.cutoff(delay)).delete()
    return deleted


def purge_import_files(delay: datetime.timedelta) -> int:
    """Import files hold the partners' contacts as they were sent: the job and its file go past the delay (the
    partners imported stay)."""
    deleted, _ = ImportJob.objects.filter(created_at__lt=retention.cutoff(delay)).delete()
    return deleted


def _contacts_of(user):
    if not user.email:
        return PartnerContact.objects.none()
    return PartnerContact.objects.filter(email__iexact=user.email)


def export_contacts(user) -> list[dict]:
    return [
        {
            "partenaire": contact.partner.name,
            "nom": contact.name,
            "fonction": contact.role,
            "téléphone": contact.phone,
            "courriel": contact.email,
            "notes": contact.notes,
        }
        for contact in _contacts_of(user).select_related("partner")
    ]


def erase_contacts(user) -> dict[str, int]:
    deleted, _ = _contacts_of(user).delete()
    return {"partner_contacts_deleted": deleted}


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="partner-contacts",
            data="Contacts internes d’un partenaire (nom, fonction, téléphone et courriel directs, notes)",
            purpose="Permettre aux agents d’accueil de joindre la bonne personne chez un partenaire",
            setting="PARTNER_CONTACT_RETENTION_DAYS",
            purge=purge_retired_partners_contacts,
            outcome=retention.Outcome.ERASED,
            then="Les contacts d’un partenaire retiré de l’annuaire sont effacés.",
        )
    )
    retention.register(
        retention.RetentionRule(
            key="partner-imports",
            data="Fichiers d’import de l’annuaire des partenaires (contacts compris) et leur rapport",
            purpose="Vérifier puis importer un fichier, et montrer à qui l’a déposé ce qui a été fait",
            setting="PARTNER_IMPORT_RETENTION_DAYS",
            purge=purge_import_files,
            outcome=retention.Outcome.ERASED,
            then="Le fichier et son rapport sont effacés ; les partenaires importés restent.",
        )
    )
    personal_data.register_exporter("contacts-partenaires", "Contacts internes des partenaires", export_contacts)
    personal_data.register_eraser("partner-contacts", erase_contacts)
