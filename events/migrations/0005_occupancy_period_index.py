import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    """A GiST index on the occupancies' period: the agenda, the feeds and the planning read a window of time."""

    dependencies = [
        ("events", "0004_occupancy_room_in_its_maison"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="occupancy",
            index=django.contrib.postgres.indexes.GistIndex(fields=["period"], name="occupancy_period"),
        ),
    ]
