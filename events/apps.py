from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Agenda et réservations"

    def ready(self):
        from . import partner_permanences, personal_data, receivers

        receivers.connect()  # Public pages show occupancies: their cache follows each change.
        from . import (
            notifications,
            reservation_tasks,  # noqa: F401 (the tasks register with Celery)
        )

        notifications.register()  # The calendar's e-mails and reminders, on the shared ledger.
        notifications.connect()  # Bookings and events plan their reminders and notices when they change.

        personal_data.register()  # Export of the bookings a person holds; their erasure.
        partner_permanences.register()  # The partners' next permanences, for the directory (partenaires/).
        from . import public

        public.register()  # The agenda in the site map, the Maison pages' next events, the site search.
