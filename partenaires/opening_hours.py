"""Opening hours in the OpenStreetMap `opening_hours` syntax, as data·inclusion stores them, read and said in French.

The syntax (https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification) is large; partners' desks need a
small part of it, which this module accepts and explains when it refuses something:

    Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off
    Mo,We,Fr 09:00-12:00          08:00-18:00 (every day)          24/7          Mo-Fr 09:00-17:00; We off

- rules are separated by « ; »; a later rule replaces what an earlier one said of the same days (OSM semantics);
- a rule is an optional day selector (Mo Tu We Th Fr Sa Su, ranges such as Mo-Fr or Sa-Mo, lists with commas,
  PH for public holidays) then time ranges HH:MM-HH:MM separated by commas, or `off`/`closed`;
- no months, weeks, dates, sunrise or ranges past midnight: they are refused with a French message.

`parse(text)` returns a `Week` (or raises `OpeningHoursError`); `Week.lines()` says it in French:
« du lundi au vendredi de 8 h 30 à 12 h 00 et de 13 h 30 à 17 h 00 ».
"""

import datetime
import re
from dataclasses import dataclass, field

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
HOLIDAYS = "PH"
_TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DAY_RANGE = re.compile(r"^([A-Z][a-z])(?:-([A-Z][a-z]))?$")
_SELECTOR = re.compile(r"^[A-Za-z][A-Za-z,\-]*$")

Interval = tuple[datetime.time, datetime.time]  # The end is exclusive; 24:00 is stored as time.max.
END_OF_DAY = datetime.time.max


class OpeningHoursError(ValueError):
    """A French message saying what is wrong, and how to write it."""


@dataclass(frozen=True)
class Week:
    """What the text says: for each weekday (0 = Monday) its intervals, for public holidays theirs.

    A day absent from `days` is not mentioned by the text (shown as nothing); a day mapped to () is closed.
    `holidays` is None when the text says nothing of public holidays.
    """

    days: dict[int, tuple[Interval, ...]] = field(default_factory=dict)
    holidays: tuple[Interval, ...] | None = None

    def lines(self) -> list[str]:
        """The hours in French, one line per group of days sharing the same hours; closed days are not listed
        unless the text said so of public holidays (« fermé les jours fériés »)."""
        groups: dict[tuple[Interval, ...], list[int]] = {}
        for day in range(7):
            intervals = self.days.get(day)
            if intervals:
                groups.setdefault(intervals, []).append(day)
        lines = [f"{say_days(days)} {say_intervals(intervals)}" for intervals, days in groups.items()]
        if self.holidays == ():
            lines.append("fermé les jours fériés")
        elif self.holidays:
            lines.append(f"les jours fériés {say_intervals(self.holidays)}")
        return lines

    def text(self) -> str:
        return " ; ".join(self.lines())

    def schema_org(self) -> list[str]:
        """schema.org `openingHours` values: « Mo-Fr 08:30-12:00 », one per run of days and interval."""
        values = []
        groups: dict[tuple[Interval, ...], list[int]] = {}
        for day in range(7):
            if self.days.get(day):
                groups.setdefault(self.days[day], []).append(day)
        for intervals, days in groups.items():
            selector = ",".join(
                DAY_CODES[run[0]] if len(run) == 1 else f"{DAY_CODES[run[0]]}-{DAY_CODES[run[-1]]}"
                for run in _runs(days)
            )
            values.extend(f"{selector} {_hhmm(start)}-{_hhmm(end)}" for start, end in intervals)
        return values

    def is_empty(self) -> bool:
        return not any(self.days.values()) and not self.holidays


def parse(text: str) -> Week:
    """Read `text`; raise OpeningHoursError with a French message for anything outside the accepted subset."""
    text = " ".join(text.split())
    if not text:
        return Week()
    if text == "24/7":
        always = ((datetime.time(0), END_OF_DAY),)
        return Week(days=dict.fromkeys(range(7), always))
    days: dict[int, tuple[Interval, ...]] = {}
    holidays: tuple[Interval, ...] | None = None
    rules = [rule.strip() for rule in text.split(";")]
    for number, rule in enumerate(rules, start=1):
        if not rule:
            if number == len(rules):  # A trailing « ; » is harmless.
                continue
            raise OpeningHoursError(f"La règle n° {number} est vide : retirez le « ; » en trop.")
        selected_days, selected_holidays, intervals = _parse_rule(rule, number)
        for day in selected_days:
            days[day] = intervals
        if selected_holidays:
            holidays = intervals
    return Week(days=days, holidays=holidays)


def validate(text: str) -> None:
    parse(text)


def say_time(moment: datetime.time) -> str:
    """« 8 h 30 », « 12 h 00 », « 24 h 00 » for the end of the day."""
    if moment == END_OF_DAY:
        return "24 h 00"
    return f"{moment.hour} h {moment.minute:02d}"


def say_intervals(intervals: tuple[Interval, ...]) -> str:
    if intervals == ((datetime.time(0), END_OF_DAY),):
        return "toute la journée"
    parts = [f"de {say_time(start)} à {say_time(end)}" for start, end in intervals]
    return _join(parts)


def say_days(days: list[int]) -> str:
    """« tous les jours », « du lundi au vendredi », « le lundi et le mardi », « le lundi, le mercredi et le … »."""
    if len(days) == 7:
        return "tous les jours"
    parts = []
    for run in _runs(days):
        if len(run) >= 3:
            parts.append(f"du {DAY_NAMES[run[0]]} au {DAY_NAMES[run[-1]]}")
        else:
            parts.extend(f"le {DAY_NAMES[day]}" for day in run)
    return _join(parts)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def _runs(days: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:  # Over the week-end: « du samedi au lundi ».
        runs = runs[1:-1] + [runs[-1] + runs[0]]
    return runs


def _hhmm(moment: datetime.time) -> str:
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


def _parse_rule(rule: str, number: int) -> tuple[list[int], bool, tuple[Interval, ...]]:
    where = f"Règle n° {number} (« {rule} »)"
    words = rule.split(" ")
    if _SELECTOR.match(words[0]) and words[0].lower() not in ("off", "closed"):
        selector, rest = words[0], words[1:]
    else:
        selector, rest = "", words
    if len(rest) != 1:
        if not rest:
            raise OpeningHoursError(
                f"{where} : indiquez les horaires après les jours (par exemple « Mo-Fr 09:00-17:00 ») "
                "ou « off » pour un jour fermé."
            )
        raise OpeningHoursError(
            f"{where} : écrivez les jours sans espace (« Mo-Fr » ou « Mo,We »), puis un espace, puis les horaires "
            "séparés par des virgules sans espace (« 08:30-12:00,13:30-17:00 »)."
        )
    days, holidays = _parse_selector(selector, where) if selector else (list(range(7)), False)
    return days, holidays, _parse_times(rest[0], where)


def _parse_selector(selector: str, where: str) -> tuple[list[int], bool]:
    days: list[int] = []
    holidays = False
    for part in selector.split(","):
        if part == HOLIDAYS:
            holidays = True
            continue
        match = _DAY_RANGE.match(part)
        if not match or any(code not in DAY_CODES for code in match.groups() if code):
            raise OpeningHoursError(
                f"{where} : « {part} » n’est pas un jour reconnu. Écrivez les jours en abrégé anglais : "
                "Mo (lundi), Tu (mardi), We (mercredi), Th (jeudi), Fr (vendredi), Sa (samedi), Su (dimanche), "
                "et PH pour les jours fériés ; les mois, semaines et dates ne sont pas pris en charge."
            )
        first = DAY_CODES.index(match.group(1))
        last = DAY_CODES.index(match.group(2)) if match.group(2) else first
        span = (last - first) % 7  # Sa-Mo wraps over the week-end.
        days.extend((first + offset) % 7 for offset in range(span + 1))
    return sorted(set(days)), holidays


def _parse_times(times: str, where: str) -> tuple[Interval, ...]:
    if times in ("off", "closed"):
        return ()
    intervals: list[Interval] = []
    for part in times.split(","):
        match = _TIME_RANGE.match(part)
        if not match:
            raise OpeningHoursError(
                f"{where} : « {part} » n’est pas un horaire reconnu. Écrivez les heures sur deux chiffres, "
                "par exemple « 09:00-12:00 », ou « off » pour un jour fermé."
            )
        start_hour, start_minute, end_hour, end_minute = (int(value) for value in match.groups())
        if start_hour > 23 or end_hour > 24 or start_minute > 59 or end_minute > 59 or (end_hour == 24 and end_minute):
            raise OpeningHoursError(f"{where} : « {part} » contient une heure qui n’existe pas.")
        start = datetime.time(start_hour, start_minute)
        end = END_OF_DAY if end_hour == 24 else datetime.time(end_hour, end_minute)
        if end <= start:
            raise OpeningHoursError(
                f"{where} : dans « {part} », la fin doit suivre le début (les horaires qui passent minuit ne sont "
                "pas pris en charge)."
            )
        intervals.append((start, end))
    intervals.sort()
    for (_, previous_end), (next_start, _) in zip(intervals, intervals[1:], strict=False):
        if next_start < previous_end:
            raise OpeningHoursError(f"{where} : deux plages horaires se chevauchent.")
    return tuple(intervals)
