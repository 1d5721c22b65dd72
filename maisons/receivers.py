"""Public pages show the Maisons, their hours, closures, rooms and photos: any change to them makes the anonymous
page cache stale (core/pagecache.py), once committed."""

from core import pagecache


def connect() -> None:
    from .models import ExceptionalClosure, Maison, MaisonPhoto, OpeningHours, Room

    pagecache.follow(Maison, OpeningHours, ExceptionalClosure, Room, MaisonPhoto)
