from django.urls import path

from . import views_reservations

app_name = "events"

urlpatterns = [
    # Elected officials' room reservations (events/views_reservations.py).
    path("", views_reservations.bookings, name="bookings"),
    path("nouvelle/", views_reservations.booking_create, name="booking_create"),
    path("mes-reservations/", views_reservations.my_bookings, name="my_bookings"),
    path("<int:pk>/annuler/", views_reservations.booking_cancel, name="booking_cancel"),
]
