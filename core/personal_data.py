"""A person's data across the apps: what each app exports (right of access, art. 15) and erases (art. 17).

Each app registers, in its `AppConfig.ready()`, an exporter (what it holds about a user, as JSON-ready data) and
an eraser (what it removes or anonymises, returning counts). core imports no app; `audit.services.person_erase`
runs the erasers in one transaction and keeps the counts as the trace of the request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

# An erased account keeps its row (bookings point to it) under an address that no mail server accepts:
# ".invalid" is reserved for that (RFC 2606).
ERASED_EMAIL_DOMAIN = "compte-efface.invalid"


def erased_email(pk: int) -> str:
    return f"compte-{pk}@{ERASED_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Exporter:
    key: str
    label: str  # French title of the section in the downloaded file.
    export: Callable  # (user) -> JSON-serialisable data
    order: int = 100


@dataclass(frozen=True)
class Eraser:
    """`erase(user)` returns {what: count}; erasers run by ascending `order`, the account's anonymisation last."""

    key: str
    erase: Callable  # (user) -> dict[str, int]
    order: int = 100


_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def _add(registry: dict, item) -> None:
    if item.key in registry and registry[item.key] != item:
        raise ImproperlyConfigured(f"Two personal data handlers share the key {item.key!r}.")
    registry[item.key] = item


def register_exporter(key: str, label: str, export: Callable, *, order: int = 100) -> None:
    _add(_exporters, Exporter(key, label, export, order))


def register_eraser(key: str, erase: Callable, *, order: int = 100) -> None:
    _add(_erasers, Eraser(key, erase, order))


def exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda exporter: exporter.order)


def erasers() -> list[Eraser]:
    return sorted(_erasers.values(), key=lambda eraser: eraser.order)


def person_export(user) -> dict:
    """Everything the portal holds about `user`, section by section (by `order`, then registration order)."""
    return {exporter.key: {"titre": exporter.label, "données": exporter.export(user)} for exporter in exporters()}


def person_erase_all(user) -> dict[str, dict[str, int]]:
    """Run every eraser on `user` (the caller holds the transaction); returns the counts by eraser."""
    return {eraser.key: eraser.erase(user) for eraser in erasers()}
