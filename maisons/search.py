"""The Maisons in the site search (search.index): one entry per published Maison, kept up to date on save."""

from django.db.models.signals import post_delete, post_save

from search import index

from .models import Maison, OpeningHours, Room


def _time(value) -> str:
    return f"{value.hour} h {value.minute:02d}"


def maison_document(maison: Maison) -> index.Document | None:
    if not maison.is_published:
        return None
    commune = maison.commune.name
    hours = [
        f"{day} de {' et de '.join(f'{_time(h.opens_at)} à {_time(h.closes_at)}' for h in ranges)}"
        for day, ranges in maison.hours_by_weekday()
        if ranges
    ]
    rooms = [room.name for room in maison.rooms.all() if room.is_active]
    body = [
        maison.description,
        f"Accessibilité : {maison.accessibility}" if maison.accessibility else "",
        f"Horaires d’ouverture : {' ; '.join(hours)}." if hours else "",
        f"Salles : {', '.join(rooms)}." if rooms else "",
    ]
    return index.Document(
        kind="maison",
        title=maison.name,
        url=maison.get_absolute_url(),
        summary=" ".join(filter(None, [f"{maison.address}, {maison.postal_code} {commune}.", maison.phone])),
        body="\n".join(filter(None, body)),
        maison=maison.name,
        is_suggested=True,
    )


def register() -> None:
    """Called once from MaisonsConfig.ready()."""
    index.register(
        index.Provider(
            name="maison",
            model=Maison,
            kinds={"maison": "Maisons du Département"},
            objects=lambda: (
                Maison.objects.published().select_related("commune").prefetch_related("opening_hours", "rooms")
            ),
            document=maison_document,
            order=10,
        )
    )
    post_save.connect(_maison_saved, sender=Maison, dispatch_uid="search_maison_saved")
    post_delete.connect(_maison_deleted, sender=Maison, dispatch_uid="search_maison_deleted")
    for model in (OpeningHours, Room):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"search_{model.__name__}_saved")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"search_{model.__name__}_deleted")


def _maison_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.update(instance)


def _maison_deleted(sender, instance, **kwargs):
    index.remove(instance)


def _part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    maison = Maison.objects.filter(pk=instance.maison_id).first()
    if maison is not None:  # None while the Maison itself is being deleted (cascade).
        index.update(maison)
