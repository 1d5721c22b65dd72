from django.urls import path

from . import planning_views as views

app_name = "planning"

urlpatterns = [
    path("", views.planning, name="week"),
    path("evenements/nouveau/", views.event_create, name="event_create"),
    path("evenements/<int:pk>/", views.event_edit, name="event"),
    path("evenements/<int:duplicate_of>/dupliquer/", views.event_create, name="event_duplicate"),
    path("occurrences/<int:pk>/", views.occurrence, name="occurrence"),
]
