"""Reading the legal settings without a query per page, and forgetting them when they change.

The footer of every page shows the accessibility status: reading the setting from PostgreSQL on each request would
cost a query on every page (docs/benchmark.md, the public pages' budget). Its field values are kept in the Django
cache (Redis, shared by every process) until the setting is saved; then the cached copy and every cached public
page go (core.pagecache).
"""

from django.core.cache import cache
from django.db import transaction

from core import pagecache

from .models import AccessibilityStatement, LegalNotice

CACHE_KEYS = {
    AccessibilityStatement: "legal:accessibility-statement",
    LegalNotice: "legal:legal-notice",
}


def _cached(model):
    """The setting's single row, or its defaults while nobody has saved it (a GET never writes a row)."""
    key = CACHE_KEYS[model]
    values = cache.get(key)
    if values is None:
        instance = model.base_queryset().first() or model()
        values = {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}
        cache.set(key, values, timeout=None)
    # Unknown keys (a field removed since) are dropped; missing ones (a field added) take their default.
    known = {field.attname for field in model._meta.concrete_fields}
    return model(**{name: value for name, value in values.items() if name in known})


def accessibility_statement() -> AccessibilityStatement:
    return _cached(AccessibilityStatement)


def legal_notice() -> LegalNotice:
    return _cached(LegalNotice)


def setting_changed(sender, **kwargs) -> None:
    """post_save / post_delete of a legal setting (connected in LegalConfig.ready): every page shows the footer."""
    key = CACHE_KEYS[sender]
    cache.delete(key)
    # A reader between the save and the commit may have cached the old row again: forget it once committed.
    transaction.on_commit(lambda: cache.delete(key))
    pagecache.public_pages_changed()
