import django.contrib.postgres.constraints
from django.db import migrations

import maisons.ranges


class Migration(migrations.Migration):
    # btree_gist, which lets the GiST index compare the Maison and the weekday, is enabled by events' first migration.
    dependencies = [
        ("maisons", "0003_closure_times_and_maison_photos"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="exceptionalclosure",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                expressions=[
                    ("maison", "="),
                    (
                        maisons.ranges.OrderedTimestampRange(
                            maisons.ranges.DayAt("start_date", "start_time", default="00:00"),
                            maisons.ranges.DayAt("end_date", "end_time", default="24:00"),
                        ),
                        "&&",
                    ),
                ],
                name="closure_no_overlap",
                violation_error_message="Cette fermeture chevauche une autre fermeture de la même Maison.",
            ),
        ),
        migrations.AddConstraint(
            model_name="openinghours",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                expressions=[
                    ("maison", "="),
                    ("weekday", "="),
                    (
                        maisons.ranges.OrderedTimestampRange(
                            maisons.ranges.OnFixedDay("opens_at"), maisons.ranges.OnFixedDay("closes_at")
                        ),
                        "&&",
                    ),
                ],
                name="openinghours_no_overlap",
                violation_error_message="Cette plage horaire chevauche une autre plage du même jour.",
            ),
        ),
    ]
