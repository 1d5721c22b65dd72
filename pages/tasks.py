from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_task() -> None:
    """Publish the revisions whose go-live date has come and unpublish expired pages (Wagtail's command).

    Wagtail sends page_published / page_unpublished for each, so the public pages' cache is invalidated
    (pages/receivers.py). Idempotent: a retry or an overlapping run finds nothing left to do.
    """
    call_command("publish_scheduled")
