"""Public pages show occupancies (a partner's next permanences in the directory, later the agenda and a Maison's
events): any change to one, from a service, the administration or the shell, makes the anonymous page cache
stale (core/pagecache.py), once committed."""

from django.db.models.signals import post_delete, post_save

from core.pagecache import public_pages_changed


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # Fixtures being loaded.
        return
    public_pages_changed()


def connect() -> None:
    from .models import Category, Occupancy

    for model in (Occupancy, Category):
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-{label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-{label}-delete")
