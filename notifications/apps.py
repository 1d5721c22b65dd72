from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Courriels et rappels"

    def ready(self):
        from . import personal_data, tasks  # noqa: F401 (the tasks register with Celery)

        personal_data.register()  # The ledger's addresses are deleted after NOTIFICATIONS_RETENTION_DAYS.
