"""events/templatetags/agenda_tags.py writes what the date filters wrote (includes_when.html before), faster."""

import datetime
from types import SimpleNamespace

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.template import Context, Template
from django.utils import timezone

FILTERS = Template(
    "{% with start=occurrence.period.lower end=occurrence.period.upper %}{% if occurrence.all_day %}"
    "<time datetime=\"{{ start|date:'Y-m-d' }}\">{{ start|date:'l j F Y' }}</time>, toute la journée{% else %}"
    "<time datetime=\"{{ start|date:'c' }}\">{{ start|date:'l j F Y' }}, de {{ start|time:'G \\h i' }}</time> à "
    "<time datetime=\"{{ end|date:'c' }}\">{{ end|time:'G \\h i' }}</time>{% endif %}{% endwith %}"
)
TAG = Template("{% load agenda_tags %}{% occurrence_when occurrence %}")


def _occurrence(start: datetime.datetime, hours: float, *, all_day: bool = False):
    start = timezone.make_aware(start)
    return SimpleNamespace(period=DateTimeTZRange(start, start + datetime.timedelta(hours=hours)), all_day=all_day)


@pytest.mark.parametrize(
    "occurrence",
    [
        _occurrence(datetime.datetime(2026, 12, 7, 9, 5), 2.5),  # A Monday morning, minutes with a zero.
        _occurrence(datetime.datetime(2026, 3, 29, 1, 30), 3),  # Across the clocks going forward.
        _occurrence(datetime.datetime(2026, 10, 25, 23, 0), 1.5),  # Ends after midnight, after they went back.
        _occurrence(datetime.datetime(2026, 8, 15, 0, 0), 24, all_day=True),  # A public holiday, all day.
    ],
)
def test_the_tag_writes_what_the_date_filters_wrote(occurrence):
    context = Context({"occurrence": occurrence})
    assert TAG.render(context) == FILTERS.render(context)


def test_the_first_of_the_month_is_written_as_the_maison_pages_write_it():
    html = TAG.render(Context({"occurrence": _occurrence(datetime.datetime(2027, 2, 1, 14, 0), 2)}))
    assert ">lundi 1er février 2027, de 14 h 00<" in html


def test_the_day_and_hours_read_in_french():
    html = TAG.render(Context({"occurrence": _occurrence(datetime.datetime(2026, 12, 7, 9, 5), 2.5)}))
    assert html == (
        '<time datetime="2026-12-07T09:05:00+01:00">lundi 7 décembre 2026, de 9 h 05</time> à '
        '<time datetime="2026-12-07T11:35:00+01:00">11 h 35</time>'
    )


MONTH_TEMPLATE = Template(
    "{% for occurrence in items %}<li><a href=\"{% url 'agenda:detail' occurrence.slug %}\">"
    '{% if not occurrence.all_day %}{{ occurrence.period.lower|time:"G \\h i" }} : {% endif %}{{ occurrence.title }}'
    '</a>{% if occurrence.status == "cancelled" %} <span class="badge badge--cancelled">Annulé</span>{% endif %}'
    "</li>{% endfor %}"
)
MONTH_TAG = Template("{% load agenda_tags %}{% month_day_items items %}")


def test_a_day_of_the_month_is_written_as_the_template_wrote_it():
    items = [
        SimpleNamespace(
            **vars(_occurrence(datetime.datetime(2026, 3, 29, 9, 5), 2)), slug="atelier", title="Atelier <CV>"
        ),
        SimpleNamespace(**vars(_occurrence(datetime.datetime(2026, 3, 29, 0, 0), 24, all_day=True)), slug="expo"),
        SimpleNamespace(**vars(_occurrence(datetime.datetime(2026, 3, 29, 14, 0), 1)), slug="reunion"),
    ]
    for item, title, status in zip(items[1:], ["Exposition", "Réunion"], ["confirmed", "cancelled"], strict=True):
        item.title, item.status = title, status
    items[0].status = "confirmed"
    context = Context({"items": items})

    html = MONTH_TAG.render(context)

    assert html == MONTH_TEMPLATE.render(context)
    assert "9 h 05 : Atelier &lt;CV&gt;</a>" in html and '<a href="/agenda/expo/">Exposition</a>' in html
    assert html.count("Annulé") == 1 and 'Réunion</a> <span class="badge' in html
