"""Structured logs: the request context on every log record, JSON lines in production, optional Sentry.

`core.middleware.RequestContextMiddleware` binds a `RequestContext` for the life of a request; the
`RequestContextFilter`, set on the console handler, copies its request id, method, path and user id onto every record
that reaches the handler, whichever logger emitted it (Django's own 500 report included). A Celery task queued while
a request is served carries the request's id in its message headers and logs under it, with its name as `task`.

What the general logs hold, and what they do not: an opaque request id, the method, the path without its query
string (a query string can carry a search for a person's name or a token), the status, the duration and the
numeric id of the signed-in person. Never an e-mail address or an IP address: these logs are kept by the container
runtime, copied to log collectors and read by whoever operates the servers, with no retention rule of their own. The
IP address of a sign-in, which security needs, is kept in the security journal (audit.SecurityEvent) only, under its
own retention (docs/deployment.md, "Journaux").
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.utils.functional import empty
from pythonjsonlogger.core import RESERVED_ATTRS

# Attributes of the records Django logs that must not reach the JSON output: `request` would be serialised with its
# query string (WSGIRequest's repr), `server_time` duplicates the timestamp. The records keep them: Django's
# AdminEmailHandler reads `request`.
NOT_LOGGED_ATTRIBUTES = [*RESERVED_ATTRS, "request", "server_time"]


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str = ""
    path: str = ""
    request: Any = None  # The HttpRequest, read for the signed-in person once the view has resolved it.
    task: str = ""  # A Celery task queued while serving the request runs under the request's id.

    @property
    def user_id(self) -> int | None:
        """The signed-in person's id if the request already resolved `request.user`, else None.

        Resolving it here would cost a session and a user query on pages that never look at the user.
        """
        user = getattr(self.request, "__dict__", {}).get("user")
        if user is None:
            return None
        wrapped = getattr(user, "_wrapped", user)
        if wrapped is empty:
            return None
        return getattr(wrapped, "pk", None)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("request_context", default=None)


def bind_request_context(context: RequestContext) -> None:
    _current.set(context)


def clear_request_context() -> None:
    _current.set(None)


def current_request_context() -> RequestContext | None:
    return _current.get()


class RequestContextFilter(logging.Filter):
    """Add request_id, method, path and user_id to records emitted while a request is served (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is not None:
            record.request_id = context.request_id
            for name in ("method", "path", "task"):
                if getattr(context, name):
                    setattr(record, name, getattr(context, name))
            user_id = context.user_id
            if user_id is not None:
                record.user_id = user_id
        return True


# Celery: the id of the request that queued a task travels in the message's headers and names the task's log lines.
REQUEST_ID_HEADER = "request_id"


def add_request_id_to_task_message(headers: dict | None = None, **kwargs) -> None:
    context = _current.get()
    if context is not None and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, context.request_id)


def bind_task_context(task=None, **kwargs) -> None:
    request_id = getattr(getattr(task, "request", None), REQUEST_ID_HEADER, None)
    if request_id:
        bind_request_context(RequestContext(request_id=str(request_id), task=task.name))


def unbind_task_context(**kwargs) -> None:
    clear_request_context()


before_task_publish.connect(add_request_id_to_task_message, weak=False, dispatch_uid="core.logging.publish")
task_prerun.connect(bind_task_context, weak=False, dispatch_uid="core.logging.prerun")
task_postrun.connect(unbind_task_context, weak=False, dispatch_uid="core.logging.postrun")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: one console handler, JSON lines (`json`) or readable lines (`plain`)."""
    if log_format not in ("json", "plain"):
        raise ValueError(f"LOG_FORMAT must be json or plain, not {log_format!r}")
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "timestamp",
            "reserved_attrs": NOT_LOGGED_ATTRIBUTES,
        },
        "plain": {
            "()": "logging.Formatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "defaults": {"request_id": "-"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "core.logging.RequestContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # The portal's own line per request (core.middleware) replaces runserver's.
            "django.server": {"level": "WARNING"},
        },
    }


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Tag each Sentry event with the request id, to find the matching log lines."""
    context = _current.get()
    if context is not None:
        event.setdefault("tags", {})["request_id"] = context.request_id
    return event


def init_sentry(*, dsn: str, environment: str, release: str | None) -> None:
    """Report errors to Sentry (or a compatible service such as GlitchTip) without personal data.

    send_default_pii=False keeps out IP addresses, cookies and the user's e-mail; request bodies and local variables
    of stack frames are not sent either, as they hold what people typed (names, notes on a visit).
    """
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=sentry_before_send,
    )
