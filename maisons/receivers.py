"""Public pages show the Maisons, their hours, closures, rooms and photos: any change to them, from a service, the
administration or the shell, makes the anonymous page cache stale (core/pagecache.py), once committed."""

from django.db.models.signals import post_delete, post_save

from core.pagecache import public_pages_changed


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # Fixtures being loaded.
        return
    public_pages_changed()


def connect() -> None:
    from .models import ExceptionalClosure, Maison, MaisonPhoto, OpeningHours, Room

    for model in (Maison, OpeningHours, ExceptionalClosure, Room, MaisonPhoto):
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-{label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-{label}-delete")
