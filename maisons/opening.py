"""Is a Maison open, and when does it open or close: the weekly hours, less public holidays and closures.

Everything here is computed in Europe/Paris wall-clock time (invariant 6): a moment is turned into the local date
and time a reader sees on a clock, so a range « 8 h 30 – 12 h 00 » means the same on the days the clocks change.
No database access: `Schedule` works on the rows a view has already loaded (`Maison.schedule()`).

French public holidays come from the `holidays` library (metropolitan France; Haute-Marne has neither the
Alsace-Moselle nor the overseas extra days).
"""

import datetime
import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
# How far ahead the next opening is looked for (a Maison closed for works for months still says when it reopens).
HORIZON_DAYS = 400

Interval = tuple[datetime.datetime, datetime.datetime]  # Naive, Paris wall-clock, half-open [start, end).


def format_time(value: datetime.time | datetime.datetime) -> str:
    """« 8 h 30 », « 17 h 00 » (French typography: spaces around « h », minutes always on two digits)."""
    return f"{value.hour} h {value.minute:02d}"


def format_day(day: datetime.date, *, weekday: bool = True, year: bool = False) -> str:
    """« lundi 1er décembre », « 25 décembre 2026 »."""
    text = f"{'1er' if day.day == 1 else day.day} {MONTH_NAMES[day.month - 1]}"
    if weekday:
        text = f"{DAY_NAMES[day.weekday()]} {text}"
    if year:
        text = f"{text} {day.year}"
    return text


def ranges_text(ranges: Iterable[tuple[datetime.time, datetime.time]]) -> str:
    """« 8 h 30 – 12 h 00, 13 h 30 – 17 h 00 »; empty when there is no range."""
    return ", ".join(f"{format_time(opens)} – {format_time(closes)}" for opens, closes in ranges)


@functools.lru_cache(maxsize=32)
def _holidays_of(year: int) -> dict[datetime.date, str]:
    names = holidays.France(years=year, language="fr")
    return {day: name.replace("'", "’") for day, name in names.items()}


def public_holiday(day: datetime.date) -> str | None:
    """The French public holiday's name on `day` (« Lundi de Pâques »), or None."""
    return _holidays_of(day.year).get(day)


def local_wall_clock(moment: datetime.datetime) -> datetime.datetime:
    """The Paris date and time shown on a clock at the aware `moment`, as a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("An aware datetime is expected.")
    return moment.astimezone(PARIS).replace(tzinfo=None)


@dataclass(frozen=True)
class Closure:
    """A closed period in Paris wall-clock time, [start, end): whole days end at the next midnight."""

    start: datetime.datetime
    end: datetime.datetime
    reason: str


@dataclass(frozen=True)
class ClosureOnDay:
    """The part of a closure that falls on one day: whole day, or from `start` and/or until `end`."""

    reason: str
    start: datetime.time | None  # None: from the start of the day.
    end: datetime.time | None  # None: until the end of the day.

    @property
    def whole_day(self) -> bool:
        return self.start is None and self.end is None

    @property
    def period_text(self) -> str:
        """« toute la journée », « de 14 h 00 à 17 h 00 », « à partir de 14 h 00 », « jusqu’à 12 h 00 »."""
        if self.whole_day:
            return "toute la journée"
        if self.start and self.end:
            return f"de {format_time(self.start)} à {format_time(self.end)}"
        if self.start:
            return f"à partir de {format_time(self.start)}"
        return f"jusqu’à {format_time(self.end)}"


@dataclass(frozen=True)
class Day:
    """One date's hours: the regular ranges of its weekday and what is left of them once closed periods are out."""

    date: datetime.date
    regular: tuple[tuple[datetime.time, datetime.time], ...]
    ranges: tuple[tuple[datetime.time, datetime.time], ...]
    holiday: str | None = None
    closures: tuple[ClosureOnDay, ...] = ()
    is_today: bool = False

    @property
    def weekday_name(self) -> str:
        return DAY_NAMES[self.date.weekday()]

    @property
    def label(self) -> str:
        return format_day(self.date)

    @property
    def is_open(self) -> bool:
        return bool(self.ranges)

    @property
    def is_exceptional(self) -> bool:
        """Hours differ from the usual ones of the weekday (holiday or closure)."""
        return self.ranges != self.regular

    @property
    def range_texts(self) -> list[str]:
        """["8 h 30 – 12 h 00", "13 h 30 – 17 h 00"] (each kept on one line by the templates)."""
        return [ranges_text([item]) for item in self.ranges]

    @property
    def ranges_text(self) -> str:
        """« 8 h 30 – 12 h 00, 13 h 30 – 17 h 00 », or « Fermé »."""
        return ranges_text(self.ranges) or "Fermé"


@dataclass(frozen=True)
class Status:
    """Whether the Maison is open at a moment, in words: « Ouverte — ferme à 17 h 00 »."""

    is_open: bool
    text: str
    # When the Maison closes (open) or next opens (closed), Paris wall-clock; None if not known.
    change_at: datetime.datetime | None = None
    # Why it is closed at that moment when it is not its usual weekly closing (a holiday, a closure).
    reason: str | None = None
    known: bool = True  # False when the Maison has no opening hours at all.


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and join intervals that overlap or touch (12 h 00 – 12 h 00 is no closing)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: list[Interval], hole: Interval) -> list[Interval]:
    left = []
    for start, end in intervals:
        if hole[1] <= start or end <= hole[0]:
            left.append((start, end))
            continue
        if start < hole[0]:
            left.append((start, hole[0]))
        if hole[1] < end:
            left.append((hole[1], end))
    return left


@dataclass
class Schedule:
    """A Maison's weekly ranges (weekday, opens, closes) and closed periods; answers per day and per moment."""

    weekly: Iterable[tuple[int, datetime.time, datetime.time]]
    closures: Iterable[Closure] = ()
    today: datetime.date | None = None  # The day `Day.is_today` marks (Paris date).
    _by_weekday: dict[int, list[tuple[datetime.time, datetime.time]]] = field(init=False, repr=False)

    def __post_init__(self):
        self.weekly = list(self.weekly)
        self.closures = sorted(self.closures, key=lambda closure: closure.start)
        self._by_weekday = {day: [] for day in range(7)}
        for weekday, opens, closes in self.weekly:
            if opens < closes:
                self._by_weekday[weekday].append((opens, closes))

    @property
    def has_hours(self) -> bool:
        return any(self._by_weekday.values())

    def regular(self, weekday: int) -> tuple[tuple[datetime.time, datetime.time], ...]:
        day = datetime.date(2000, 1, 3 + weekday)  # 3 January 2000 was a Monday.
        return tuple((a.time(), b.time()) for a, b in self._regular_intervals(day))

    def _regular_intervals(self, day: datetime.date) -> list[Interval]:
        combine = datetime.datetime.combine
        return _merge((combine(day, a), combine(day, b)) for a, b in self._by_weekday[day.weekday()])

    def day(self, date: datetime.date) -> Day:
        regular = self._regular_intervals(date)
        day_start = datetime.datetime.combine(date, datetime.time())
        day_end = day_start + datetime.timedelta(days=1)
        holiday = public_holiday(date)
        intervals = [] if holiday else list(regular)
        on_day = []
        for closure in self.closures:
            if closure.start >= day_end:
                break
            if closure.end <= day_start:
                continue
            start, end = max(closure.start, day_start), min(closure.end, day_end)
            intervals = _subtract(intervals, (start, end))
            on_day.append(
                ClosureOnDay(
                    reason=closure.reason,
                    start=None if start == day_start else start.time(),
                    end=None if end == day_end else end.time(),
                )
            )
        return Day(
            date=date,
            regular=tuple((a.time(), b.time()) for a, b in regular),
            ranges=tuple((a.time(), b.time()) for a, b in intervals),
            holiday=holiday,
            closures=tuple(on_day),
            is_today=date == self.today,
        )

    def days(self, start: datetime.date, count: int = 7) -> list[Day]:
        return [self.day(start + datetime.timedelta(days=offset)) for offset in range(count)]

    def is_open_at(self, moment: datetime.datetime) -> bool:
        return self.status_at(moment).is_open

    def status_at(self, moment: datetime.datetime) -> Status:
        """The status at the aware `moment`, with the next change (closing or opening time) in words."""
        now = local_wall_clock(moment)
        today = now.date()
        if not self.has_hours:
            return Status(is_open=False, text="Horaires non communiqués", known=False)
        day = self.day(today)
        for opens, closes in day.ranges:
            start, end = datetime.datetime.combine(today, opens), datetime.datetime.combine(today, closes)
            if start <= now < end:
                return Status(is_open=True, text=f"Ouverte — ferme à {format_time(closes)}", change_at=end)
        reason = self._closed_reason(day, now)
        for opens, _closes in day.ranges:
            start = datetime.datetime.combine(today, opens)
            if start > now:
                return Status(False, f"Fermée — ouvre à {format_time(opens)}", start, reason)
        for offset in range(1, HORIZON_DAYS):
            date = today + datetime.timedelta(days=offset)
            ranges = self.day(date).ranges
            if not ranges:
                continue
            opens = ranges[0][0]
            if offset == 1:
                when = "demain"
            elif offset < 7:
                when = DAY_NAMES[date.weekday()]
            else:
                when = f"le {format_day(date, year=date.year != today.year)}"
            return Status(
                False, f"Fermée — ouvre {when} à {format_time(opens)}", datetime.datetime.combine(date, opens), reason
            )
        return Status(is_open=False, text="Fermée", reason=reason)

    def _closed_reason(self, day: Day, now: datetime.datetime) -> str | None:
        if day.holiday:
            return f"{day.holiday} (jour férié)"
        covering = [closure for closure in self.closures if closure.start <= now < closure.end]
        return covering[0].reason if covering else None
