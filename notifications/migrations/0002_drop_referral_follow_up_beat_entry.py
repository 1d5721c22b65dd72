"""The referral follow-ups now wait in the ledger (notifications-dispatch sends them): the beat entry of the task
that looked for them, gone with it, is removed from the database schedule (django-celery-beat keeps entries it no
longer finds in CELERY_BEAT_SCHEDULE, and beat would send an unknown task every quarter of an hour)."""

from django.db import migrations


def drop(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="accueil.tasks.referral_follow_ups_task").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
