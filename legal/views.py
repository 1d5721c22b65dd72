"""The legal and navigation pages: accessibility statement, legal notice, personal data, site map, robots.txt."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import retention

from . import services, site_map
from .sitemaps import SITEMAPS

# Staff areas and sign-in: nothing there for a search engine (robots.txt). Not a protection: they need an account.
ROBOTS_DISALLOWED = ["/cms/", "/admin/", "/comptes/", "/accueil/", "/reservations/", "/gestion/"]


@require_safe
@login_not_required
def accessibility(request):
    return render(
        request,
        "legal/accessibility.html",
        {
            "title": "Déclaration d’accessibilité",
            "statement": services.accessibility_statement(),
            "site_url": settings.SITE_URL,
        },
    )


@require_safe
@login_not_required
def legal_notice(request):
    return render(
        request,
        "legal/legal_notice.html",
        {
            "title": "Mentions légales",
            "notice": services.legal_notice(),
            "site_url": settings.SITE_URL,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "session_hours": settings.SESSION_MAX_AGE // 3600,
        },
    )


@require_safe
@login_not_required
def privacy(request):
    rules = retention.rules()
    return render(
        request,
        "legal/privacy.html",
        {
            "title": "Données personnelles",
            "notice": services.legal_notice(),
            "invitation_days": settings.INVITATION_VALIDITY_DAYS,
            # The table of what is kept and for how long comes from the retention rules and their settings; a
            # sentence about one rule is written only if that rule is registered (so the purge really runs).
            "retention_rules": rules,
            "rule": {rule.key.replace("-", "_"): rule for rule in rules},
        },
    )


@require_safe
@login_not_required
def site_map_page(request):
    groups = site_map.site_map_groups()
    # The home page is "/" (DESIGN.md, public URLs), whichever view serves it.
    context = {"home_url": "/", "main": groups["main"], "legal": groups["legal"]}
    return render(request, "legal/site_map.html", context)


@require_safe
@login_not_required
@cache_control(public=True, max_age=60 * 60)  # Search engines read it now and then; the page cache serves it too.
def sitemap_xml(request):
    return sitemap(request, SITEMAPS)


@require_safe
@login_not_required
@cache_control(public=True, max_age=24 * 60 * 60)  # Changes only with a new release.
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
