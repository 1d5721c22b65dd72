"""Partners' permanences in the Maisons, as the directory shows them.

Permanences are occupancies (events.Occupancy), and `events/` sits above `partenaires/` (DESIGN.md: apps import
down the stack, never up). So the directory does not read them itself: the events app registers a provider from
its AppConfig.ready() (events/partner_permanences.py), and the directory's views ask this registry. Without a
provider (events not installed) the directory simply shows no permanence.

A provider answers in one SQL query whatever the number of partners (the public pages' query budget).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Permanence:
    partner_id: int
    title: str
    maison_name: str
    maison_url: str
    start: datetime.datetime
    end: datetime.datetime
    room: str = ""


@dataclass(frozen=True)
class Provider:
    # (partner ids) -> {partner id: its next public permanence}
    next_by_partner: Callable[[Iterable[int]], dict[int, Permanence]]
    # (partner id, how many) -> its next public permanences, soonest first
    upcoming: Callable[[int, int], list[Permanence]]


_provider: Provider | None = None


def register(provider: Provider) -> None:
    global _provider
    _provider = provider


def next_by_partner(partner_ids: Iterable[int]) -> dict[int, Permanence]:
    partner_ids = list(partner_ids)
    if _provider is None or not partner_ids:
        return {}
    return _provider.next_by_partner(partner_ids)


def upcoming(partner_id: int, limit: int = 6) -> list[Permanence]:
    if _provider is None:
        return []
    return _provider.upcoming(partner_id, limit)
