"""/api/ (docs/api.md): the French documentation page, then django-ninja's routes, every one public and read-only."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, path

from . import docs, errors
from .views import api


def read_only(view):
    """GET and HEAD only (HEAD answered as GET, the server drops the body), whatever ninja would route; no sign-in
    (LoginRequiredMiddleware) and no transaction (ATOMIC_REQUESTS): the API only reads."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.method == "HEAD":
            request.method = "GET"
        # PostgreSQL refuses NUL in text: a parameter carrying one is refused here, in French, for every route.
        for name, values in request.GET.lists():
            if any("\x00" in value for value in values) or "\x00" in name:
                return JsonResponse(errors.invalid(name, "caractère nul (U+0000) interdit."), status=422)
        if any("\x00" in str(value) for value in kwargs.values()):
            return JsonResponse(errors.invalid("adresse", "caractère nul (U+0000) interdit."), status=422)
        return view(request, *args, **kwargs)

    return transaction.non_atomic_requests(login_not_required(wrapped))


_routes, _app_name, _namespace = api.urls
api_urls = (
    [URLPattern(route.pattern, read_only(route.callback), route.default_args, route.name) for route in _routes],
    _app_name,
    _namespace,
)
urlpatterns = [path("", docs.index, name="api_docs")]
