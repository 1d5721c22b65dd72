"""Charts drawn on the server as SVG (no script, no inline style, no third-party service: the CSP forbids them).

Each chart is a `Chart`: its geometry for the template (templates/accueil/stats/includes/chart_*.html), the rows of
its data table and a sentence that says what it shows. Colours come from CSS classes (static/css/accueil-stats.css).
"""

import datetime
from dataclasses import dataclass, field
from html import escape  # Django's escape is this one behind a lazy-string wrapper; thousands of calls a page.

from django.utils.formats import date_format, get_format, number_format
from django.utils.safestring import SafeString, mark_safe

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
LABEL_CHARS = 34
# A bar chart's data table on the page: its largest values, then one row summing the others (Chart.table_body).
TABLE_ROWS = 50


def number(value) -> str:
    return number_format(value, force_grouping=True)


def one_decimal(value: float, separator: str | None = None) -> str:
    """`number_format(value, decimal_pos=1)` without grouping, as the tables need it thousands of times a page
    (number_format reads the locale's formats at each call: a third of the page's time over a year of a hundred
    Maisons). `separator`: the locale's decimal separator, when the caller has read it once for many calls."""
    return f"{value:.1f}".replace(".", separator or get_format("DECIMAL_SEPARATOR"))


def percent(part: int, whole: int, separator: str | None = None) -> str:
    if not whole:
        return "–"
    return one_decimal(round(100 * part / whole, 1), separator) + " %"


def evolution(current: int, previous: int | None, separator: str | None = None) -> str:
    """« +12,5 % », « −3,0 % », « = », or « nouveau » when there was nothing to compare with."""
    if previous is None:
        return ""
    if not previous:
        return "nouveau" if current else "="
    change = round(100 * (current - previous) / previous, 1)
    if change == 0:
        return "="
    sign = "+" if change > 0 else "−"
    return f"{sign}{one_decimal(abs(change), separator)} %"


def shorten(text: str, size: int = LABEL_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@dataclass
class Row:
    label: str
    value: int
    previous: int | None = None
    share: str = ""
    change: str = ""


@dataclass
class Bar:
    label: str
    short_label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass
class Cell:
    x: float
    y: float
    level: int
    value: int
    text_x: float
    text_y: float


@dataclass
class Chart:
    slug: str
    title: str
    kind: str  # "bars" (horizontal), "columns" (time), "heatmap"
    summary: str
    rows: list[Row] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    axis: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # heat map: hours
    matrix: list[tuple[str, list[int]]] = field(default_factory=list)  # heat map: weekday, counts
    width: int = 640
    height: int = 0
    label_column: str = "Valeur"
    dimension: str = ""
    whole: int = 0  # What a bar's share is of.

    @property
    def table_body(self) -> SafeString:
        """The data table's rows (a bar chart's: label, visits, share, previous period, change), written here rather
        than by the template. A bar chart's table shows its TABLE_ROWS largest values, then one row for the others:
        a year of a hundred Maisons has thousands of values (every partner, every commune), which the chart's CSV and
        XLSX downloads list in full. The numbers as the template would show them (no grouping:
        USE_THOUSAND_SEPARATOR is off); the texts escaped."""
        if self.kind == "bars":
            lines = [
                f'<tr><th scope="row">{escape(row.label)}</th><td>{row.value}</td><td>{escape(row.share)}</td>'
                f"<td>{'–' if row.previous is None else row.previous}</td><td>{escape(row.change)}</td></tr>"
                for row in self.rows[:TABLE_ROWS]
            ]
            rest = self.rows[TABLE_ROWS:]
            if rest:
                separator = get_format("DECIMAL_SEPARATOR")
                value = sum(row.value for row in rest)
                previous = None if rest[0].previous is None else sum(row.previous or 0 for row in rest)
                lines.append(
                    f'<tr><th scope="row">Les {len(rest)} autres valeurs (toutes dans les téléchargements CSV et XLSX)'
                    f"</th><td>{value}</td><td>{escape(percent(value, self.whole, separator))}</td>"
                    f"<td>{'–' if previous is None else previous}</td>"
                    f"<td>{escape(evolution(value, previous, separator))}</td></tr>"
                )
        else:
            lines = [f'<tr><th scope="row">{escape(row.label)}</th><td>{row.value}</td></tr>' for row in self.rows]
        return mark_safe("\n".join(lines))  # noqa: S308 - every text above is escaped, the numbers are ints.

    @property
    def empty(self) -> bool:
        return not any(row.value for row in self.rows) and not any(v for _, values in self.matrix for v in values)


def bar_chart(slug, title, items, *, previous=None, label_column="Valeur", dimension="", total=None, limit=12):
    """Horizontal bars, largest first. `items`: [(label, value)]; `previous`: {label: value} of the previous
    period. Beyond `limit` bars the rest are summed up as « autres » in the chart; the table keeps them all."""
    items = sorted(((label, value) for label, value in items if value), key=lambda item: (-item[1], item[0]))
    whole = total if total is not None else sum(value for _, value in items)
    rows = []
    separator = get_format("DECIMAL_SEPARATOR")
    for label, value in items:
        before = None if previous is None else previous.get(label, 0)
        rows.append(Row(label, value, before, percent(value, whole, separator), evolution(value, before, separator)))
    shown = items[:limit]
    if len(items) > limit:
        shown.append((f"{len(items) - limit} autres", sum(value for _, value in items[limit:])))
    label_width, bar_height, gap, top = 250, 22, 8, 4
    biggest = max((value for _, value in shown), default=0) or 1
    room = 640 - label_width - 70
    bars = []
    for index, (label, value) in enumerate(shown):
        y = top + index * (bar_height + gap)
        width = max(1.0, round(room * value / biggest, 1))
        bars.append(
            Bar(label, shorten(label), value, label_width, y, width, bar_height, label_width + width + 6, y + 16)
        )
    chart = Chart(slug, title, "bars", "", rows, bars, label_column=label_column, dimension=dimension, whole=whole)
    chart.height = top * 2 + len(shown) * (bar_height + gap)
    if rows:
        first = rows[0]
        chart.summary = (
            f"{len(rows)} valeur{'s' if len(rows) > 1 else ''} ; en tête : {first.label} avec {number(first.value)} "
            f"visite{'s' if first.value > 1 else ''} ({first.share})."
        )
        if len(rows) > 1:
            chart.summary += f" Puis {rows[1].label} ({number(rows[1].value)})."
    else:
        chart.summary = "Aucune visite sur la période."
    return chart


def time_unit(start: datetime.date, end: datetime.date) -> str:
    """The time chart's column: "jour" up to 45 days, "semaine" up to 26 weeks, else "mois"."""
    days = (end - start).days + 1
    return "jour" if days <= 45 else "semaine" if days <= 190 else "mois"


def time_chart(slug, per_day: dict[datetime.date, int], start: datetime.date, end: datetime.date):
    """Visits per day (up to 45 days), per week (up to 26 weeks) or per month, as columns."""
    days = (end - start).days + 1
    buckets: dict[datetime.date, int] = {}
    unit = time_unit(start, end)
    if unit == "jour":
        title = "Visites par jour"
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            buckets[day] = per_day.get(day, 0)
    elif unit == "semaine":
        title = "Visites par semaine"
        monday = start - datetime.timedelta(days=start.weekday())
        while monday <= end:
            buckets[monday] = 0
            monday += datetime.timedelta(days=7)
        for day, value in per_day.items():
            buckets[day - datetime.timedelta(days=day.weekday())] += value
    else:
        title = "Visites par mois"
        month = start.replace(day=1)
        while month <= end:
            buckets[month] = 0
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        for day, value in per_day.items():
            buckets[day.replace(day=1)] += value

    def label(day):
        if unit == "jour":
            return date_format(day, "D j M")
        if unit == "semaine":
            return "semaine du " + date_format(day, "j M")
        return f"{MONTHS[day.month - 1]} {day.year}"

    def short(day):
        if unit == "jour":
            return str(day.day)
        if unit == "semaine":
            return date_format(day, "j/m")
        return MONTHS[day.month - 1]

    top, plot_height, width = 10, 180, 640
    biggest = max(buckets.values(), default=0)
    scale_max = _nice(biggest)
    ticks = [number(round(scale_max * tick / 4)) for tick in range(5)]
    # Room for the longest tick label (« 100 000 » is clipped by a fixed margin), about 7 units a character.
    left = max(44, 16 + 7 * max(len(tick) for tick in ticks))
    step = (width - left - 6) / max(len(buckets), 1)
    bars = []
    label_every = max(1, round(len(buckets) / 16))
    for index, (day, value) in enumerate(buckets.items()):
        height = round(plot_height * value / scale_max, 1) if scale_max else 0
        x = round(left + index * step + step * 0.15, 1)
        bars.append(
            Bar(
                label(day),
                short(day) if index % label_every == 0 else "",
                value,
                x,
                round(top + plot_height - height, 1),
                round(step * 0.7, 1),
                height,
                round(x + step * 0.35, 1),
                top + plot_height + 16,
            )
        )
    axis = [
        {
            "y": round(top + plot_height - plot_height * tick / 4, 1),
            "label": ticks[tick],
            "x": left - 8,
            "grid_x": left - 4,
        }
        for tick in range(5)
    ]
    rows = [Row(label(day), value) for day, value in buckets.items()]
    total = sum(buckets.values())
    chart = Chart(slug, title, "columns", "", rows, bars, axis=axis, label_column=unit.capitalize())
    chart.height = top + plot_height + 26
    if total:
        peak_day, peak = max(buckets.items(), key=lambda item: item[1])
        mean = total / len(buckets)
        chart.summary = (
            f"{number(total)} visites sur la période, "
            f"{number_format(round(mean, 1), decimal_pos=1, force_grouping=True)} en moyenne par "
            f"{unit} ; le plus haut : {label(peak_day)} ({number(peak)})."
        )
    else:
        chart.summary = "Aucune visite sur la période."
    return chart


def _nice(value: int) -> int:
    """A round maximum for the axis, at least `value`."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 2.5, 4, 5, 10):
        candidate = int(factor * magnitude)
        if candidate >= value and candidate % 4 == 0:
            return candidate
    return value + (-value) % 4


def heatmap(slug, counts: dict[str, int]):
    """Weekday × hour: how many visits began in each hour of each weekday, darker when busier."""
    hours = sorted({int(key.split("-")[1]) for key, value in counts.items() if value} | set(range(9, 18)))
    first, last = hours[0], hours[-1]
    hours = list(range(first, last + 1))
    weekdays = [d for d in range(1, 8) if d <= 5 or any(counts.get(f"{d}-{h:02d}") for h in hours)]
    biggest = max(counts.values(), default=0)
    left, top, cell_w, cell_h = 90, 24, max(24, min(48, (640 - 90) // max(len(hours), 1))), 30
    chart = Chart(slug, "Affluence par jour et par heure", "heatmap", "", label_column="Jour")
    chart.width = left + cell_w * len(hours) + 4
    chart.height = top + cell_h * len(weekdays) + 4
    chart.columns = [f"{hour} h" for hour in hours]
    chart.axis = [{"x": left + cell_w * i + cell_w / 2, "label": f"{hour} h"} for i, hour in enumerate(hours)]
    for row_index, weekday in enumerate(weekdays):
        values = [counts.get(f"{weekday}-{hour:02d}", 0) for hour in hours]
        chart.matrix.append((WEEKDAYS[weekday - 1], values))
        chart.bars.append(
            Bar(
                WEEKDAYS[weekday - 1],
                WEEKDAYS[weekday - 1],
                sum(values),
                0,
                0,
                0,
                0,
                left - 8,
                top + row_index * cell_h + cell_h / 2 + 5,
            )
        )
        for column, value in enumerate(values):
            level = 0 if not value or not biggest else min(5, 1 + int(5 * value / (biggest + 1)))
            x, y = left + column * cell_w, top + row_index * cell_h
            chart.cells.append(Cell(x, y, level, value, x + cell_w / 2, y + cell_h / 2 + 5))
    chart.cell_width, chart.cell_height = cell_w - 2, cell_h - 2
    if biggest:
        best = max(
            ((weekday, hour, counts.get(f"{weekday}-{hour:02d}", 0)) for weekday in weekdays for hour in hours),
            key=lambda item: item[2],
        )
        quiet = [
            (weekday, hour) for weekday in weekdays[:5] for hour in hours if not counts.get(f"{weekday}-{hour:02d}")
        ]
        chart.summary = (
            f"Le moment le plus chargé : le {WEEKDAYS[best[0] - 1]} entre {best[1]} h et {best[1] + 1} h "
            f"({number(best[2])} visites sur la période)."
        )
        if quiet:
            chart.summary += (
                f" {len(quiet)} créneau{'x' if len(quiet) > 1 else ''} d’une heure sans visite en semaine."
            )
    else:
        chart.summary = "Aucune visite sur la période."
    return chart


def number_format_1(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1, force_grouping=True)
