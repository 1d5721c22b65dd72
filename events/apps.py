from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Agenda et réservations"

    def ready(self):
        from . import partner_permanences, personal_data, receivers

        receivers.connect()  # Public pages show occupancies: their cache follows each change.
        from . import reservation_tasks, reservations  # noqa: F401 (the tasks register with Celery)

        reservations.connect()  # The author of a reservation hears of each change by e-mail.

        personal_data.register()  # Export of the bookings a person holds; their erasure.
        partner_permanences.register()  # The partners' next permanences, for the directory (partenaires/).
        from . import public

        public.register()  # The agenda in the site map, the Maison pages' next events, the site search.
