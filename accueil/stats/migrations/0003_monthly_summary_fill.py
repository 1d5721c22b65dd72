from django.db import migrations


def fill(apps, schema_editor):
    """The roll-up of the daily summary as it stands: its rows summed by Maison, month, dimension and key."""
    connection = schema_editor.connection
    daily = connection.ops.quote_name(apps.get_model("accueil_stats", "DailyCount")._meta.db_table)
    monthly = connection.ops.quote_name(apps.get_model("accueil_stats", "MonthlyCount")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {monthly}")
        cursor.execute(
            f"INSERT INTO {monthly} (maison_id, month, dimension, key, count) "
            f"SELECT maison_id, date_trunc('month', day)::date, dimension, key, sum(count) FROM {daily} "
            "GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accueil_stats", "0002_monthly_summary"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
