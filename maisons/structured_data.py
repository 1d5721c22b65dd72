"""schema.org JSON-LD for a Maison's page: a `GovernmentOffice` with its address, position, contacts, weekly hours
and, in the coming weeks, its holidays and closures as `specialOpeningHoursSpecification`
(https://schema.org/OpeningHoursSpecification: a closed day opens and closes at « 00:00 »).
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from .opening import Schedule

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# What `django.utils.html.json_script` escapes, so that the data can never close the <script> element nor open
# a comment or a CDATA section, whatever a Maison's texts hold.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _hhmm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def special_hours(schedule: Schedule, start: datetime.date, days: int) -> list[dict]:
    """The days from `start` whose hours differ from the usual ones: closed days in runs, others range by range."""
    specs: list[dict] = []
    for day in schedule.days(start, days):
        if not day.is_exceptional:
            continue
        iso = day.date.isoformat()
        if not day.ranges:
            previous = specs[-1] if specs else None
            yesterday = (day.date - datetime.timedelta(days=1)).isoformat()
            if previous and previous["opens"] == "00:00" and previous["validThrough"] == yesterday:
                previous["validThrough"] = iso  # One specification for a closure of several days.
                continue
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "opens": "00:00",
                    "closes": "00:00",
                    "validFrom": iso,
                    "validThrough": iso,
                }
            )
            continue
        for opens, closes in day.ranges:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "opens": _hhmm(opens),
                    "closes": _hhmm(closes),
                    "validFrom": iso,
                    "validThrough": iso,
                }
            )
    return specs


def maison_json_ld(maison, schedule: Schedule, *, url: str, today: datetime.date, weeks: int = 8) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": maison.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": maison.address,
            "postalCode": maison.postal_code,
            "addressLocality": maison.commune.name,
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": float(maison.latitude), "longitude": float(maison.longitude)},
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[weekday]}",
                "opens": _hhmm(opens),
                "closes": _hhmm(closes),
            }
            for weekday in range(7)
            for opens, closes in schedule.regular(weekday)
        ],
    }
    if maison.description:
        data["description"] = maison.description
    if maison.phone:
        data["telephone"] = maison.phone
    if maison.email:
        data["email"] = maison.email
    special = special_hours(schedule, today, weeks * 7)
    if special:
        data["specialOpeningHoursSpecification"] = special
    return data


def json_ld_script(data: dict) -> SafeString:
    """The data as the body of a `<script type="application/ld+json">`, escaped like `json_script` does."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)
