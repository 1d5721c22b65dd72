from django import template
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from pages.cache import cached_fragments

register = template.Library()

UNITS = [("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)]


def french_size(size: int) -> str:
    """« 245 Ko », « 1,2 Mo »: French units (octets), a decimal comma below 10."""
    for unit, factor in UNITS:
        if size >= factor:
            value = round(size / factor, 1 if size / factor < 10 else 0)
            digits = 0 if value == int(value) else 1
            return f"{number_format(value, digits)} {unit}"
    return f"{size} octets"


@register.simple_tag
def document_meta(document) -> str:
    """What a download link announces (RGAA 6.1): its format and size, e.g. « PDF, 245 Ko »."""
    parts = [document.file_extension.upper() or "Fichier"]
    # The size stored at upload, else the file's (Document.get_file_size() would write it back during a GET).
    size = document.file_size
    if size is None:
        try:
            size = document.file.size
        except OSError:  # The file is missing from the storage: say nothing rather than fail the page.
            size = None
    if size is not None:
        parts.append(french_size(size))
    return ", ".join(parts)


@register.filter
def tel_href(number: str) -> str:
    """A phone number as a `tel:` link target: its digits (and a leading +) only, any note such as
    « (numéro fictif) » left out."""
    number = number.strip()
    digits = "".join(character for character in number if character.isdigit())
    return ("+" if number.startswith("+") else "") + digits


@register.simple_tag
def news_cards(items, heading: str = "h3") -> str:
    """The news cards of a list (`pages/includes/news_card.html`), each rendered once per change of the public pages
    and then read from the cache with the others in one round trip."""

    def render(item) -> str:
        return render_to_string("pages/includes/news_card.html", {"item": item, "heading": heading})

    return mark_safe("".join(cached_fragments(f"news-card-{heading}", items, render)))  # noqa: S308 (our templates)
