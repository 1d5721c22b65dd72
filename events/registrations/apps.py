from django.apps import AppConfig


class EventRegistrationsConfig(AppConfig):
    name = "events.registrations"
    label = "event_registrations"
    verbose_name = "Inscriptions aux événements"

    def ready(self):
        from . import personal_data

        personal_data.register()  # Registrants' data: export, erasure, deletion after the event.
