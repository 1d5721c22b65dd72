"""The public agenda, its iCalendar feeds, registration, and the organiser's registration lists.

Included at "" in config/urls.py (namespace "agenda"), before Wagtail's catch-all; the room bookings and the
planning keep their own URLconf (events/urls.py, at /reservations/)."""

from django.urls import path

from . import views_agenda
from .feeds import views as feeds
from .registrations import views as registrations

app_name = "agenda"

urlpatterns = [
    path("agenda/", views_agenda.agenda_list, name="list"),
    path("agenda.ics", views_agenda.agenda_feed, name="feed"),
    path("maisons/<slug:slug>/agenda.ics", views_agenda.maison_feed, name="maison_feed"),
    path("agenda/abonnement/", feeds.subscription, name="subscription"),
    path("agenda/flux/<str:key>/personnel.ics", feeds.personal_feed, name="personal_feed"),
    path("agenda/flux/<str:key>/maisons/<slug:slug>.ics", feeds.maison_staff_feed, name="maison_staff_feed"),
    path("agenda/flux/<str:key>/salles/<int:pk>.ics", feeds.room_staff_feed, name="room_staff_feed"),
    path("agenda/annulation/<str:token>/", registrations.cancel, name="registration_cancel"),
    path("agenda/<slug:slug>/", views_agenda.agenda_detail, name="detail"),
    path("agenda/<slug:slug>/evenement.ics", views_agenda.agenda_detail_ics, name="detail_ics"),
    path("agenda/<slug:slug>/inscription/", registrations.register, name="register"),
    path("gestion/agenda/inscriptions/", registrations.manage_list, name="registrations"),
    path("gestion/agenda/inscriptions/<int:pk>/", registrations.manage_detail, name="registrations_detail"),
    path("gestion/agenda/inscriptions/<int:pk>/export.csv", registrations.manage_export, name="registrations_export"),
]
