"""Give the partners saved before the directory's search a search vector (names, acronym, description), as
partenaires/search.py builds it; partenaires.services rebuilds it fully on their next change."""

from django.db import migrations

FILL = """
UPDATE partenaires_partner SET search_vector =
    setweight(to_tsvector('french', unaccent(name || ' ' || acronym)), 'A')
    || setweight(to_tsvector('french', unaccent(description)), 'C')
WHERE search_vector IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("partenaires", "0004_load_data_inclusion_themes"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
