"""The retention rules of personal data (RGPD art. 5-1-e, storage limitation): one registry, three uses.

Each app registers its rules in its `AppConfig.ready()` (core imports no app). The registry then drives:
- the nightly purge: one Celery beat entry per rule (`retention-<key>` in CELERY_BEAT_SCHEDULE) runs
  `core.tasks.retention_purge_task(key)`;
- the privacy page `/donnees-personnelles/`, whose table is built from the rules and their settings;
- the register of processing activities (docs/rgpd/registre.md), checked against the settings by a test.

A delay is a setting read from the environment, in days (or in seconds for `unit="seconds"`), so that a change of
delay changes the purge and the page together.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Outcome(models.TextChoices):
    ERASED = "effacé", "Effacement"
    ANONYMISED = "anonymisé", "Anonymisation"


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data kept for a limited time, and what happens to it afterwards.

    `purge(delay)` removes or anonymises what is older than `delay` and returns how many rows it touched.
    French texts are shown as they are on the privacy page.
    """

    key: str
    data: str  # What is kept, e.g. "Remarque libre d’une visite".
    purpose: str  # Why it is kept.
    setting: str  # The setting holding the delay.
    purge: Callable[[datetime.timedelta], int]
    outcome: Outcome
    then: str  # What happens when the delay has passed, in a sentence.
    unit: str = "days"

    @property
    def delay(self) -> datetime.timedelta:
        value = getattr(settings, self.setting)
        return datetime.timedelta(seconds=value) if self.unit == "seconds" else datetime.timedelta(days=value)

    @property
    def delay_in_words(self) -> str:
        return duration_in_words(self.delay)

    def run(self) -> int:
        return self.purge(self.delay)


_rules: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> RetentionRule:
    """Add a rule; registering the same key twice with a different rule is a programming error."""
    if rule.key in _rules and _rules[rule.key] != rule:
        raise ImproperlyConfigured(f"Two retention rules share the key {rule.key!r}.")
    if rule.unit not in ("days", "seconds"):
        raise ImproperlyConfigured(f"Retention rule {rule.key!r}: unit must be 'days' or 'seconds'.")
    _rules[rule.key] = rule
    return rule


def rules() -> list[RetentionRule]:
    """Every rule, in registration order (the order of INSTALLED_APPS)."""
    return list(_rules.values())


def get(key: str) -> RetentionRule:
    try:
        return _rules[key]
    except KeyError as error:
        raise LookupError(f"No retention rule {key!r}; registered: {', '.join(_rules)}.") from error


def purge(key: str) -> int:
    """Apply one rule now; returns the number of rows erased or anonymised."""
    return get(key).run()


def cutoff(delay: datetime.timedelta) -> datetime.datetime:
    """The moment before which data is past its delay."""
    from django.utils import timezone

    return timezone.now() - delay


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def duration_in_words(delay: datetime.timedelta) -> str:
    """French words for a delay: whole years when it is a multiple of 365 days, days otherwise; hours below a day."""
    if delay.days == 0 or delay.total_seconds() % 86400:
        hours, seconds = divmod(int(delay.total_seconds()), 3600)
        if seconds == 0:
            return _plural(hours, "heure", "heures")
        return _plural(int(delay.total_seconds()) // 60, "minute", "minutes")
    if delay.days % 365 == 0:
        return _plural(delay.days // 365, "an", "ans")
    return _plural(delay.days, "jour", "jours")
