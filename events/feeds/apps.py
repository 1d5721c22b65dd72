from django.apps import AppConfig


class EventFeedsConfig(AppConfig):
    name = "events.feeds"
    label = "event_feeds"
    verbose_name = "Calendriers personnels"

    def ready(self):
        from . import receivers

        receivers.connect()  # A deactivated account's calendar addresses are revoked.
