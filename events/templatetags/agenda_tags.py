"""When an occurrence happens, in French, written in Python: the agenda's list, its month and the Maison pages
write it for every item, and the template's date filters (five per item) took half of the list's time. The day and
hours are written as the Maison pages write theirs (maisons/opening.py: « lundi 1er décembre 2026 », « 9 h 05 »).
The month table's days are written here too: about 150 links a month, a third of its time in the template."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from events.agenda import event_url
from events.enums import OccupancyStatus
from maisons.opening import format_day, format_time

register = template.Library()


@register.simple_tag
def occurrence_when(occurrence):
    """The day and hours of `occurrence` in <time> elements (its whole day when it lasts all day)."""
    start = timezone.localtime(occurrence.period.lower)
    day = format_day(start.date(), year=True)
    if occurrence.all_day:
        return format_html('<time datetime="{}">{}</time>, toute la journée', start.date().isoformat(), day)
    end = timezone.localtime(occurrence.period.upper)
    return format_html(
        '<time datetime="{}">{}, de {}</time> à <time datetime="{}">{}</time>',
        start.isoformat(),
        day,
        format_time(start),
        end.isoformat(),
        format_time(end),
    )


@register.simple_tag
def month_day_items(items):
    """A day of the month table: each occurrence's link, with its hour unless it lasts all day, and « Annulé »."""
    return format_html_join(
        "",
        '<li><a href="{}">{}{}</a>{}</li>',
        (
            (
                event_url(occurrence),
                "" if occurrence.all_day else format_time(timezone.localtime(occurrence.period.lower)) + " : ",
                occurrence.title,
                CANCELLED if occurrence.status == OccupancyStatus.CANCELLED else "",
            )
            for occurrence in items
        ),
    )


# After a space, as the template wrote it: the badge does not stick to the title.
CANCELLED = format_html(' <span class="badge badge--cancelled">{}</span>', "Annulé")
