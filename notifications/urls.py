from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("comptes/notifications/", views.preferences, name="preferences"),
    path("comptes/desabonnement/<str:token>/", views.opt_out, name="opt_out"),
    path("gestion/rappels/", views.rules, name="rules"),
    path("gestion/rappels/envois/", views.sent, name="sent"),
    path("gestion/rappels/envois/<int:pk>/renvoyer/", views.resend, name="resend"),
    path("gestion/rappels/<str:kind>/", views.rule_edit, name="rule"),
]
