from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Maisons du Département – administration"
admin.site.site_title = "Administration du portail"
admin.site.index_title = "Administration"
# The admin's sign-in goes through allauth's: its rate limits, MFA and journal (allauth "Admin" docs).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("maisons.urls")),
    path("accueil/", include("accueil.urls")),
    path("reservations/", include("events.urls")),
    path("gestion/", views.gestion, name="gestion"),
    path("comptes/", include("accounts.urls")),
    # Addresses are the identity that invitations proved; an administrator changes them (/admin/), not the person.
    path("comptes/email/", views.not_found, name="account_email"),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("sante/", views.health, name="health"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="accessibility"),
    path("mentions-legales/", views.legal_page, {"page": "mentions_legales"}, name="legal_notice"),
    path("donnees-personnelles/", views.legal_page, {"page": "donnees_personnelles"}, name="privacy"),
    path("plan-du-site/", views.site_map, name="site_map"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
