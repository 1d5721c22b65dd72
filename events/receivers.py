"""Public pages show occupancies (a partner's next permanences in the directory, later the agenda and a Maison's
events): any change to one makes the anonymous page cache stale (core/pagecache.py), once committed."""

from core import pagecache


def connect() -> None:
    from .models import Category, Occupancy

    pagecache.follow(Occupancy, Category)
