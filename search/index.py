"""The site's one search index, fed by the apps that own the public content.

The search app sits below the portal's apps (like core): it imports none of them. Each app registers a
provider from its `AppConfig.ready()` and tells the index when one of its objects changes:

    from search import index

    index.register(
        index.Provider(
            name="maison",                       # key prefix: entries are "maison:<pk>"
            model=Maison,                        # update(obj)/remove(obj) find the provider by isinstance
            kinds={"maison": "Maisons du Département"},   # kind -> French label of its result group
            objects=lambda: Maison.objects.published(),    # every public object, for a full rebuild
            document=maison_document,            # obj -> Document, or None when the object is not public
        )
    )
    index.update(maison)   # after a save: writes, rewrites or (if `document` returns None) removes the entry
    index.remove(maison)   # after a delete

`manage.py search_rebuild` rebuilds everything from the providers (also run at the end of the demo seeding).
See docs/search.md.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as date_type

from django.contrib.postgres.search import SearchVector
from django.db import models, transaction

from core.pagecache import public_pages_changed

from .models import SEARCH_CONFIG, SearchEntry

# ts_headline inserts these around matches; they are escaped along with the text, then turned into <mark>
# (search.views). Private-use characters, removed from indexed text, so no content can forge them.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
# PostgreSQL refuses NUL in text; other C0 controls and the highlight markers have no place in a document.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
BODY_MAX_CHARS = 100_000  # A tsvector holds at most 1 MB; ts_headline's cost grows with the text.


@dataclass(frozen=True)
class Document:
    """What the search knows of one public object."""

    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    date: date_type | None = None
    maison: str = ""
    # Offered on the search page before anything is typed, and when nothing is found.
    is_suggested: bool = False


@dataclass(frozen=True)
class Provider:
    name: str
    model: type[models.Model]
    kinds: dict[str, str]
    objects: Callable[[], Iterable[models.Model]]
    document: Callable[[models.Model], Document | None]
    # Ordering of the result groups when they rank alike (lower first).
    order: int = 100


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add an app's provider (from its AppConfig.ready()). Registering the same name again replaces it."""
    for kind in provider.kinds:
        for other in _providers.values():
            if other.name != provider.name and kind in other.kinds:
                raise ValueError(f"Search kind {kind!r} already registered by provider {other.name!r}.")
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.name))


def kind_labels() -> dict[str, str]:
    """Every registered kind with its French label, in group order."""
    return {kind: label for provider in providers() for kind, label in provider.kinds.items()}


def provider_for(obj: models.Model) -> Provider:
    for provider in _providers.values():
        if isinstance(obj, provider.model):
            return provider
    raise LookupError(f"No search provider for {type(obj).__name__}.")


def entry_key(obj: models.Model) -> str:
    return f"{provider_for(obj).name}:{obj.pk}"


def update(obj: models.Model) -> None:
    """Write the entry of `obj` as its provider describes it now, or remove it if it is no longer public."""
    provider = provider_for(obj)
    document = provider.document(obj)
    key = f"{provider.name}:{obj.pk}"
    if document is None:
        _delete_keys([key])
        return
    _check_kind(provider, document)
    entry, _ = SearchEntry.objects.update_or_create(key=key, defaults=_fields(document))
    SearchEntry.objects.filter(pk=entry.pk).update(search_vector=_vector())
    public_pages_changed()


def update_many(objs: Iterable[models.Model]) -> None:
    """`update` for many objects at once (an import of thousands of partners): one upsert and one vector update
    per call, whatever the number of objects."""
    entries, gone = [], []
    for obj in objs:
        provider = provider_for(obj)
        document = provider.document(obj)
        key = f"{provider.name}:{obj.pk}"
        if document is None:
            gone.append(key)
            continue
        _check_kind(provider, document)
        entries.append(SearchEntry(key=key, **_fields(document)))
    if gone:
        _delete_keys(gone)
    if entries:
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[name for name in _fields(Document("", "", "")) if name != "key"],
        )
        SearchEntry.objects.filter(key__in=[entry.key for entry in entries]).update(search_vector=_vector())
        public_pages_changed()


def remove(obj: models.Model) -> None:
    """Forget `obj` (after its deletion, or when it stops being public)."""
    _delete_keys([entry_key(obj)])


@transaction.atomic
def rebuild() -> int:
    """Replace the whole index by what the providers list now; returns the number of entries."""
    SearchEntry.objects.all().delete()
    entries = []
    for provider in providers():
        for obj in provider.objects():
            document = provider.document(obj)
            if document is None:
                continue
            _check_kind(provider, document)
            entries.append(SearchEntry(key=f"{provider.name}:{obj.pk}", **_fields(document)))
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    SearchEntry.objects.update(search_vector=_vector())
    public_pages_changed()
    return len(entries)


def clean_text(text: str) -> str:
    return _UNWANTED.sub(" ", text or "")


def _fields(document: Document) -> dict:
    return {
        "kind": document.kind,
        "title": clean_text(document.title)[:255],
        "url": document.url[:500],
        "summary": clean_text(document.summary)[:BODY_MAX_CHARS],
        "body": clean_text(document.body)[:BODY_MAX_CHARS],
        "date": document.date,
        "maison": clean_text(document.maison)[:150],
        "is_suggested": document.is_suggested,
    }


def _vector():
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def _check_kind(provider: Provider, document: Document) -> None:
    if document.kind not in provider.kinds:
        raise ValueError(f"Provider {provider.name!r} gave kind {document.kind!r}, not one of {list(provider.kinds)}.")


def _delete_keys(keys: list[str]) -> None:
    deleted, _ = SearchEntry.objects.filter(key__in=keys).delete()
    if deleted:
        public_pages_changed()
