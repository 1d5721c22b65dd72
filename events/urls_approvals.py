"""The project lead's answers to room requests (/gestion/reservations/), included at "" in config/urls.py."""

from django.urls import path

from . import views_reservations

app_name = "approvals"

urlpatterns = [
    path("gestion/reservations/", views_reservations.approvals, name="list"),
    path("gestion/reservations/<int:pk>/accepter/", views_reservations.approval_accept, name="accept"),
    path("gestion/reservations/<int:pk>/refuser/", views_reservations.approval_refuse, name="refuse"),
]
