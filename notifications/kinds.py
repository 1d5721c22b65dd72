"""The kinds of message the portal sends, registered by the apps that own what they are about.

`events` and `accueil` register their kinds (events/notifications.py, accueil/notifications.py) from their
AppConfig.ready; this app knows none of them by name. A kind says who receives it and when, builds its message's
context from the ledger row (or None when the message no longer makes sense: the booking was cancelled, the event
has begun), and may give a real example for the preview of the project lead's texts.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .timing import Timing


@dataclass(frozen=True)
class Kind:
    code: str  # "events.reservation_reminder": the app's label, then the message.
    label: str  # French, shown to the project lead and in the preferences.
    recipients: str  # French: who receives it.
    when: str  # French: when it goes, for the immediate ones ("à la confirmation").
    context: Callable  # (notification) -> dict | None; None: no longer relevant, the row is cancelled.
    timings: tuple[Timing, ...] = ()  # Default lead times of a reminder; empty for an immediate message.
    refusable: bool = False  # The recipient may refuse it (preferences, or the link in the message).
    adjustable: bool = False  # People with an account choose their own lead times.
    example: Callable | None = None  # () -> unsaved Notification of a real case, for the preview; None if none.
    replan: Callable | None = None  # (target) -> None: recompute this object's reminders after a settings change.
    after_send: Callable | None = None  # (notification) -> None, in the sending transaction.
    late_after: datetime.timedelta | None = field(default=None)  # Dropped when that late (None: the setting).
    help: str = ""  # French: the variables its texts may use.
    for_roles: tuple = ()  # Role values of the people who may receive it (their preferences page lists it).

    @property
    def timed(self) -> bool:
        return bool(self.timings)

    @property
    def template_stem(self) -> str:
        return "notifications/email/" + self.code.replace(".", "/")


class Registry(dict):
    def register(self, kind: Kind) -> Kind:
        self[kind.code] = kind
        return kind

    def refusable(self, roles=None) -> list[Kind]:
        """The kinds a person with `roles` may refuse (all of them when `roles` is None)."""
        return [
            kind
            for kind in self.values()
            if kind.refusable and (roles is None or set(kind.for_roles) & {str(role) for role in roles})
        ]


registry = Registry()
