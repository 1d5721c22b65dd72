"""The portal's URLs plus the ceiling: a trivial view that goes through the same middleware and server."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import urlpatterns as portal_urlpatterns


@login_not_required
@never_cache
def ceiling(request):
    """No query, no template: what the server, WSGI and the middleware cost alone, the best any page can do."""
    return HttpResponse("plafond\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/plafond/", ceiling, name="bench_ceiling"), *portal_urlpatterns]
