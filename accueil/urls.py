from django.urls import path

from . import views

app_name = "accueil"

urlpatterns = [
    path("", views.home, name="home"),
    path("maison/", views.maison_change, name="maison_change"),
    path("partenaires/", views.partner_suggestions, name="partner_suggestions"),
    path("visites/<int:pk>/modifier/", views.visit_edit, name="visit_edit"),
    path("visites/<int:pk>/supprimer/", views.visit_delete, name="visit_delete"),
    path("visites/<int:pk>/retablir/", views.visit_restore, name="visit_restore"),
    path("visites/<int:pk>/mise-en-relation/", views.referral_create, name="referral_create"),
    path("mises-en-relation/<int:pk>/", views.referral_answer, name="referral_answer"),
]
