"""The anonymous full-page cache, in Redis, shared by every web process.

A public page is served from the cache when the reader is nobody in particular: a GET with no cookie but the
CSRF one (no session, so nobody signed in; no pending message). A response is stored only if it is the same for
every such reader: a 200 that sets no cookie, used no CSRF token (no form that posts) and does not say `private`,
`no-cache` or `no-store` (``never_cache`` views, the health check). Anything else goes through the views as usual.

Invalidation is one generation number in Redis that every key holds: anything a public page shows (a Wagtail
page, a news item, a Maison, its hours or closures, a setting) calls ``public_pages_changed()`` once its change is
committed, and every cached page is stale at once, in every process. Entries also expire after
PAGE_CACHE_SECONDS, because some of what a page shows follows the clock (« Ouverte — ferme à 17 h 00 »).

The middleware sits before the session middleware: a hit costs two Redis reads and no SQL query.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page"
STATUS_HEADER = "X-Page-Cache"
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
# Headers a cached page does not keep: they belong to one response (the outer middleware sets them again).
PER_RESPONSE_HEADERS = {"set-cookie", "x-request-id", STATUS_HEADER.lower()}


# The generation read by the request in progress: its page, menu and fragments all use the one it read first.
_request_generation: ContextVar[list | None] = ContextVar("pagecache_request_generation", default=None)


def generation() -> int:
    """The public pages' generation; read once per request (PageCacheMiddleware opens the request's memo)."""
    memo = _request_generation.get()
    if memo:
        return memo[0]
    # Not set yet, or evicted: a value from the clock differs from any generation used before.
    value = cache.get_or_set(GENERATION_KEY, time.time_ns, timeout=None)
    if memo is not None:
        memo.append(value)
    return value


# Values every public page reads (the menu, the legal settings, the filters' choices…), kept under the generation:
# in the shared cache, and the last ones this process read also in its memory. The generation is in the key, so a
# value kept here is as fresh as the shared cache's, and a page reads them without a Redis round trip while nothing
# changes. Bounded, and kept LOCAL_SECONDS at most.
VALUE_TIMEOUT = 24 * 60 * 60
LOCAL_SIZE = 256
LOCAL_SECONDS = 300
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str):
    with _local_lock:
        found = _local.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        _local.move_to_end(key)
        return found[1]


def _local_set(key: str, value) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + LOCAL_SECONDS, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def forget_local() -> None:
    """Empty this process's copies (the tests, between two of them)."""
    with _local_lock:
        _local.clear()


def public_value(name: str, compute: Callable):
    """`compute()`, kept until a public page changes (`public_pages_changed`): in this process, then in the shared
    cache. Callers treat the value as read-only: the requests of this process share it."""
    key = f"public:{generation()}:{name}"
    value = _local_get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, VALUE_TIMEOUT)
    _local_set(key, value)
    return value


def public_pages_changed() -> None:
    """Make every cached public page stale, after the current transaction commits (readers never see it before)."""
    transaction.on_commit(_bump)


def _model_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # Fixtures being loaded.
        return
    public_pages_changed()


def follow(*models) -> None:
    """Make every cached page stale when a row of `models` is saved or deleted, from a service, the administration
    or the shell (an app calls it from its AppConfig.ready() with the models its public pages show)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"pagecache-{label}-save")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"pagecache-{label}-delete")


def _bump() -> None:
    memo = _request_generation.get()
    if memo:  # The request that made the change reads the new generation from now on.
        memo.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Not set yet, or evicted: a value from the clock differs from any key cached before.
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def is_anonymous_reader(request) -> bool:
    """A GET from nobody in particular: no cookie but the CSRF one (no session, no message waiting)."""
    if request.method != "GET" or not settings.PAGE_CACHE_ENABLED:
        return False
    return not set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}


def is_shareable(request, response) -> bool:
    """The same response for every anonymous reader: a full 200 that set no cookie and used no CSRF token."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    directives = {
        directive.split("=")[0].strip().lower() for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & UNCACHEABLE_DIRECTIVES


def page_key(request, current_generation: int) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"{KEY_PREFIX}:{current_generation}:{hashlib.sha256(address.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Serve and store anonymous readers' pages (see the module docstring); says which in X-Page-Cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set([])
        try:
            return self._respond(request)
        finally:
            _request_generation.reset(token)

    def _respond(self, request):
        if not is_anonymous_reader(request):
            return self.get_response(request)
        key = page_key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[STATUS_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if is_shareable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in PER_RESPONSE_HEADERS]
            cache.set(key, (response.status_code, headers, response.content), timeout=settings.PAGE_CACHE_SECONDS)
            response[STATUS_HEADER] = "miss"
        return response
