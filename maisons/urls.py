from django.urls import path

from . import views

app_name = "maisons"

urlpatterns = [
    path("maisons/<slug:slug>/", views.maison_detail, name="detail"),
    path("maisons/<slug:slug>/modifier/", views.maison_presentation_edit, name="presentation_edit"),
]
