from django.urls import path

from . import views

app_name = "maisons"

urlpatterns = [
    path("maisons/<slug:slug>/", views.maison_detail, name="detail"),
    path("maisons/<slug:slug>/modifier/", views.maison_presentation_edit, name="presentation_edit"),
    path("gestion/salles/", views.rooms_manage, name="rooms_manage"),
    path("gestion/salles/<int:pk>/", views.room_manage, name="room_manage"),
    path("gestion/salles/<int:pk>/indisponibilites/", views.room_block_add, name="room_block_add"),
    path(
        "gestion/salles/<int:pk>/indisponibilites/<int:block_pk>/lever/",
        views.room_block_remove,
        name="room_block_remove",
    ),
]
