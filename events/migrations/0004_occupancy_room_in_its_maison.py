"""The room of an occupancy belongs to its Maison, held by PostgreSQL: a composite foreign key (room_id, maison_id)
to maisons_room (id, maison_id), so that save(), update() and bulk_create(), which skip clean(), cannot break it.

A foreign key needs a unique index on the columns it references: (id, maison_id) is unique since id is. MATCH SIMPLE
(the default) lets an occupancy without a room (an event outside a room) pass. ON UPDATE CASCADE: correcting a
room's Maison carries its occupancies along. Not deferrable: the error comes with the statement that breaks it."""

from django.db import migrations
from django.db.models import F

FORWARD = """
CREATE UNIQUE INDEX IF NOT EXISTS maisons_room_id_maison_id_uniq ON maisons_room (id, maison_id);
ALTER TABLE events_occupancy
    ADD CONSTRAINT occupancy_room_in_its_maison FOREIGN KEY (room_id, maison_id)
    REFERENCES maisons_room (id, maison_id) ON UPDATE CASCADE ON DELETE NO ACTION;
"""

BACKWARD = """
ALTER TABLE events_occupancy DROP CONSTRAINT IF EXISTS occupancy_room_in_its_maison;
DROP INDEX IF EXISTS maisons_room_id_maison_id_uniq;
"""


def drop_mismatched_rows(apps, schema_editor):
    """Rows written before the rule whose room is in another Maison: none can be trusted; the portal had not
    opened (demonstration and benchmark data only)."""
    Occupancy = apps.get_model("events", "Occupancy")
    Occupancy.objects.filter(room__isnull=False).exclude(room__maison=F("maison")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_series_statuses_and_kind_rules"),
        ("maisons", "0004_hours_and_closures_no_overlap"),
    ]

    operations = [
        migrations.RunPython(drop_mismatched_rows, migrations.RunPython.noop, elidable=True),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
