from django.urls import path

from . import views

app_name = "maisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("maisons/<slug:slug>/", views.maison_detail, name="detail"),
]
