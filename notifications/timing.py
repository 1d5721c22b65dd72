"""Lead times of reminders: « 7 jours avant », « 1 jour avant à 17:00 », « 2 heures avant ».

A lead time counts days on the Europe/Paris calendar, then sets the wall-clock time when one is given (else keeps
the start's), then takes hours and minutes off in real time: « 1 jour avant à 17:00 » is 17:00 in Paris the day
before, whether that day has 23, 24 or 25 hours; « 2 heures avant » is always 120 minutes before.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

PARIS = ZoneInfo("Europe/Paris")

_LINE = re.compile(
    r"^(?P<count>\d{1,3})\s*(?P<unit>jours?|j|heures?|h|minutes?|min)"
    r"(?:\s+avant)?"
    r"(?:\s*(?:à|a)\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?)?"
    r"(?:\s+avant)?$",
    re.IGNORECASE,
)
MAX_DAYS = 60


@dataclass(frozen=True, order=True)
class Timing:
    days: int = 0
    minutes: int = 0
    at: datetime.time | None = None

    def due(self, start: datetime.datetime) -> datetime.datetime:
        """When a reminder of something starting at `start` (aware) is due, as an aware UTC datetime."""
        local = start.astimezone(PARIS)
        day = local.date() - datetime.timedelta(days=self.days)
        wall = self.at if self.at is not None else local.time().replace(tzinfo=None)
        # Built in wall-clock time then attached to the zone: `fold` 0 picks the first of an ambiguous hour and a
        # time skipped by the spring change lands one hour later, as clocks show it.
        moment = datetime.datetime.combine(day, wall).replace(tzinfo=PARIS)
        # In UTC: subtracting from an aware Paris datetime would count wall-clock time (04:00 less two hours is 02:00
        # on the morning the clocks go back, three real hours earlier).
        return moment.astimezone(datetime.UTC) - datetime.timedelta(minutes=self.minutes)

    def to_json(self) -> dict:
        data = {"days": self.days, "minutes": self.minutes}
        if self.at is not None:
            data["at"] = self.at.strftime("%H:%M")
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Timing":
        at = data.get("at")
        return cls(
            days=int(data.get("days", 0)),
            minutes=int(data.get("minutes", 0)),
            at=datetime.time.fromisoformat(at) if at else None,
        )

    def __str__(self):
        if self.at is not None:
            moment = f"à {self.at.hour} h {self.at.minute:02d}"
            if self.days == 0:
                return f"le jour même {moment}"
            if self.days == 1:
                return f"la veille {moment}"
            return f"{self.days} jours avant {moment}"
        if self.days:
            return f"{self.days} jour{'s' if self.days > 1 else ''} avant"
        hours, minutes = divmod(self.minutes, 60)
        if hours and not minutes:
            return f"{hours} heure{'s' if hours > 1 else ''} avant"
        if hours:
            return f"{hours} h {minutes:02d} avant"
        return f"{minutes} minute{'s' if minutes > 1 else ''} avant"

    @property
    def as_text(self) -> str:
        """The line that `parse` reads back."""
        if self.at is not None:
            return f"{self.days} jour{'s' if self.days != 1 else ''} avant à {self.at.strftime('%H:%M')}"
        if self.days:
            return f"{self.days} jour{'s' if self.days != 1 else ''} avant"
        if self.minutes % 60 == 0:
            hours = self.minutes // 60
            return f"{hours} heure{'s' if hours != 1 else ''} avant"
        return f"{self.minutes} minutes avant"


def parse_line(line: str) -> Timing:
    match = _LINE.match(" ".join(line.split()))
    if match is None:
        raise ValidationError(
            f"« {line.strip()[:60]} » n’est pas un délai lisible : écrivez par exemple « 7 jours avant », "
            "« 1 jour avant à 17:00 » ou « 2 heures avant ».",
            code="unreadable",
        )
    count, unit = int(match["count"]), match["unit"].lower()
    hour, minute = match["hour"], match["minute"]
    if unit.startswith("j"):
        if count > MAX_DAYS:
            raise ValidationError(f"Un rappel se prévoit au plus {MAX_DAYS} jours avant.", code="too_far")
        at = None
        if hour is not None:
            if int(hour) > 23 or int(minute or 0) > 59:
                raise ValidationError(f"« {line.strip()[:60]} » : l’heure n’existe pas.", code="bad_time")
            at = datetime.time(int(hour), int(minute or 0))
        return Timing(days=count, at=at)
    if hour is not None:
        raise ValidationError(
            f"« {line.strip()[:60]} » : une heure fixe se donne avec un nombre de jours (« 1 jour avant à 17:00 »).",
            code="hour_without_days",
        )
    minutes = count * 60 if unit.startswith("h") else count
    if minutes == 0:
        raise ValidationError("Un rappel se prévoit avant le début : indiquez un délai.", code="zero")
    if minutes > MAX_DAYS * 24 * 60:
        raise ValidationError(f"Un rappel se prévoit au plus {MAX_DAYS} jours avant.", code="too_far")
    return Timing(minutes=minutes)


def parse(text: str) -> list[Timing]:
    """Every non-empty line of `text`; ValidationError listing each unreadable line. At most 6 lead times."""
    timings, errors = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            timings.append(parse_line(line))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if len(set(timings)) > 6:
        raise ValidationError("Six rappels au plus par envoi.", code="too_many")
    return sorted(set(timings), key=lambda timing: (-timing.days, -timing.minutes, timing.at or datetime.time()))


def as_text(timings: list[Timing]) -> str:
    return "\n".join(timing.as_text for timing in timings)
