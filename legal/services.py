"""Reading the legal settings without a query per page, and forgetting them when they change.

The footer of every page shows the accessibility status: reading the setting from PostgreSQL on each request would
cost a query on every page (docs/benchmark.md, the public pages' budget). Its field values are kept with the values
every public page reads (core.pagecache.public_value: the process's memory, then Redis, under the public pages'
generation) until the setting is saved, which renews the generation once committed.
"""

from core import pagecache

from .models import AccessibilityStatement, LegalNotice

CACHE_KEYS = {
    AccessibilityStatement: "legal:accessibility-statement",
    LegalNotice: "legal:legal-notice",
}


def _cached(model):
    """The setting's single row, or its defaults while nobody has saved it (a GET never writes a row)."""

    def read():
        instance = model.base_queryset().first() or model()
        return {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}

    values = pagecache.public_value(CACHE_KEYS[model], read)
    # Unknown keys (a field removed since) are dropped; missing ones (a field added) take their default.
    known = {field.attname for field in model._meta.concrete_fields}
    return model(**{name: value for name, value in values.items() if name in known})


def accessibility_statement() -> AccessibilityStatement:
    return _cached(AccessibilityStatement)


def legal_notice() -> LegalNotice:
    return _cached(LegalNotice)


def setting_changed(sender, **kwargs) -> None:
    """post_save / post_delete of a legal setting (connected in LegalConfig.ready): every page shows the footer."""
    pagecache.public_pages_changed()
