"""What other apps add to a Maison's public page: the partners' permanences this week, the next events, the
services present… The page is composed by `maisons.views.maison_detail`, which calls the registered providers; an
app registers its section from its AppConfig.ready() (apps lean on `maisons/`, never the reverse, DESIGN.md):

    from maisons import sections

    sections.register(
        sections.Section(
            key="permanences",
            title="Permanences de la semaine",
            provider=permanences_this_week,  # (maison, today) -> the items shown, empty to hide the section
            template="events/includes/maison_permanences.html",  # Optional: a plain list by default.
            order=10,
        )
    )

The template is included `only` with `maison`, `items` and `heading_id` (for the section's aria-labelledby); it
renders the section's content below an `<h2>` the page writes. A section with no items is not shown at all.
Query budget: the page runs at most 8 SQL queries uncached (tests/…/test_views.py); a provider runs at most one,
whatever the number of items (select_related/prefetch_related in it).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    provider: Callable[..., Sequence]
    # The default lists the items, each a link when it has a get_absolute_url().
    template: str = "maisons/includes/section_list.html"
    order: int = 100


@dataclass(frozen=True)
class FilledSection:
    section: Section
    items: Sequence

    @property
    def heading_id(self) -> str:
        return f"section-{self.section.key}-title"


_registry: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, by key) a section of the Maison page."""
    _registry[section.key] = section


def unregister(key: str) -> None:
    _registry.pop(key, None)


def registered() -> list[Section]:
    return sorted(_registry.values(), key=lambda section: (section.order, section.key))


def filled_sections(maison, today: datetime.date) -> list[FilledSection]:
    """The sections that have something to show for `maison` on `today`, in order."""
    filled = []
    for section in registered():
        items = section.provider(maison, today)
        if items:
            filled.append(FilledSection(section, list(items)))
    return filled
