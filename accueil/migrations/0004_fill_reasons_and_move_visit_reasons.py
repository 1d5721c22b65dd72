"""The reference list (a frozen copy of accueil/reference.py) of reasons as issue 8 lists it (the Département's missions, then partners' matters, then
« Autre »), linked to the directory's themes (partenaires 0004) where one matches; reasons outside it are retired,
never deleted. Each visit's single reason becomes the first of its reasons."""

from django.db import migrations

REASONS = [
    # (group, label, theme code or "")
    ("departement", "Routes et déneigement", "mobilite"),
    ("departement", "Transports scolaires et à la demande", "mobilite--mobilite-douce-partagee-collective"),
    ("departement", "Collèges", ""),
    ("departement", "Autonomie : APA et aide à domicile", "famille--prise-en-charge-personne-dependante"),
    ("departement", "Handicap : MDPH et PCH", "sante--constituer-un-dossier-mdph-invalidite"),
    (
        "departement",
        "Insertion et RSA",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    ),
    ("departement", "Enfance, famille et PMI", "famille"),
    ("departement", "Culture", "remobilisation--activites-sportives-et-culturelles"),
    ("departement", "Sport", "remobilisation--activites-sportives-et-culturelles"),
    ("departement", "Tourisme", ""),
    ("departement", "Rencontrer un élu", ""),
    ("partenaires", "CAF : prestations familiales et logement", "famille"),
    ("partenaires", "CPAM : assurance maladie", "sante--acces-aux-soins"),
    (
        "partenaires",
        "Retraite",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
    ("partenaires", "MSA", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    ("partenaires", "France Travail : emploi", "trouver-un-emploi"),
    (
        "partenaires",
        "Impôts",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
    (
        "partenaires",
        "Titres : carte d’identité, passeport, permis, carte grise",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
    ("partenaires", "Logement", "logement-hebergement"),
    (
        "partenaires",
        "Accès au droit et justice",
        "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    ),
    ("autre", "Autre", ""),
]


def fill_reasons(apps, schema_editor):
    Motif = apps.get_model("accueil", "Motif")
    Theme = apps.get_model("partenaires", "Theme")
    themes = {theme.code: theme for theme in Theme.objects.all()}
    labels = []
    for position, (group, label, code) in enumerate(REASONS, start=1):
        Motif.objects.update_or_create(
            label=label,
            defaults={"group": group, "theme": themes.get(code), "position": position * 10, "is_active": True},
        )
        labels.append(label)
    Motif.objects.exclude(label__in=labels).update(is_active=False)


def move_visit_reasons(apps, schema_editor):
    Visit = apps.get_model("accueil", "Visit")
    Through = Visit.motifs.through
    rows = Visit.objects.values_list("id", "motif_id").iterator(chunk_size=5000)
    batch = []
    for visit_id, motif_id in rows:
        batch.append(Through(visit_id=visit_id, motif_id=motif_id))
        if len(batch) >= 5000:
            Through.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Through.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0003_visit_reasons_referrals_and_constraints"),
        ("partenaires", "0004_load_data_inclusion_themes"),
    ]

    operations = [
        migrations.RunPython(fill_reasons, migrations.RunPython.noop),
        migrations.RunPython(move_visit_reasons, migrations.RunPython.noop),
    ]
