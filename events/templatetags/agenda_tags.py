"""When an occurrence happens, in French, written in Python: the agenda's list, its month and the Maison pages
write it for every item, and the template's date filters (five per item) took a tenth of the list's time."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from events.agenda import MONTHS, WEEKDAYS

register = template.Library()


def _day(moment) -> str:
    """« lundi 7 décembre 2026 », as the filter date:"l j F Y" writes it in French."""
    return f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _hour(moment) -> str:
    """« 9 h 05 », as the filter time:"G \\h i" writes it."""
    return f"{moment.hour} h {moment.minute:02d}"


@register.simple_tag
def occurrence_when(occurrence):
    """The day and hours of `occurrence` in <time> elements (its whole day when it lasts all day)."""
    start = timezone.localtime(occurrence.period.lower)
    if occurrence.all_day:
        return format_html('<time datetime="{}">{}</time>, toute la journée', start.date().isoformat(), _day(start))
    end = timezone.localtime(occurrence.period.upper)
    return format_html(
        '<time datetime="{}">{}, de {}</time> à <time datetime="{}">{}</time>',
        start.isoformat(),
        _day(start),
        _hour(start),
        end.isoformat(),
        _hour(end),
    )
