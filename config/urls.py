from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from api.urls import api_urls
from pages import views as pages_views

from . import views

admin.site.site_header = "Maisons du Département – administration"
admin.site.site_title = "Administration du portail"
admin.site.index_title = "Administration"
# The admin's sign-in goes through allauth's: its rate limits, MFA and journal (allauth "Admin" docs).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # The home page is Wagtail's root page (pages.HomePage); pages.views.serve is Wagtail's view with the site cached.
    path("", login_not_required(pages_views.serve), {"path": ""}, name="home"),
    path("", include("maisons.urls")),
    path("accueil/statistiques/", include("accueil.stats.urls")),
    path("accueil/", include("accueil.urls")),
    path("gestion/accueil/", include("accueil.urls_manage")),  # Reasons and directions (accueil/views_manage.py).
    path("reservations/", include("events.urls")),
    # The public agenda (/agenda/), its iCalendar feeds and registrations (events/urls_agenda.py).
    path("", include("events.urls_agenda")),
    path("gestion/", views.gestion, name="gestion"),
    path("", include("events.urls_approvals")),  # /gestion/reservations/: the project lead answers room requests.
    # The project lead's planning of each Maison: events, series, conflicts (events/urls_planning.py).
    path("gestion/planning/", include("events.urls_planning")),
    # Preferences, the refusal link of the e-mails, and the project lead's reminder rules (notifications/urls.py).
    path("", include("notifications.urls")),
    path("comptes/", include("accounts.urls")),
    # Addresses are the identity that invitations proved; an administrator changes them (/admin/), not the person.
    path("comptes/email/", views.not_found, name="account_email"),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("sante/", views.health, name="health"),
    # Legal and navigation pages, sitemap.xml and robots.txt (legal/urls.py), before Wagtail's catch-all.
    path("", include("legal.urls")),
    path("recherche/", include("search.urls")),
    # Read-only open data (/api/, docs/api.md): a French documentation page, then the API's routes.
    path("api/", include("api.urls")),
    path("api/", api_urls),
    # Partners' verification links and the project lead's review and quality pages, before the directory's
    # /gestion/partenaires/<slug>/ (partenaires/verification/urls.py).
    path("", include("partenaires.verification.urls")),
    # The partner directory (/partenaires/) and its management pages (/gestion/partenaires/).
    path("", include("partenaires.urls")),
    # Wagtail's admin signs in through allauth (rate limits, MFA, journal): its own sign-in form is never served.
    path("cms/login/", login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))),
    path("cms/", include(wagtailadmin_urls)),
    re_path(r"^documents/(\d+)/(.*)$", login_not_required(wagtaildocs_serve.serve), name="wagtaildocs_serve"),
    # Wagtail serves every other address from its page tree; the Django URLs above come first (URL ownership,
    # pages/tests). Only its page view: not its front-end sign-in or password forms (wagtail.urls).
    re_path(r"^((?:[\w\-]+/)*)$", login_not_required(pages_views.serve), name="wagtail_serve"),
]

if settings.DEBUG:
    # Uploaded files in development (the reverse proxy serves them in production): images are public, as they
    # are there; Wagtail's documents go through their own view above, whatever their storage path.
    from django.conf.urls.static import static

    urlpatterns += [
        pattern.__class__(pattern.pattern, login_not_required(pattern.callback), pattern.default_args)
        for pattern in static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    ]
