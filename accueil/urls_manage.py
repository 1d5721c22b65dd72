from django.urls import path

from . import views_manage

app_name = "accueil_manage"

urlpatterns = [
    path("", views_manage.index, name="index"),
    path("motifs/nouveau/", views_manage.motif_edit, name="motif_create"),
    path("motifs/<int:pk>/", views_manage.motif_edit, name="motif_edit"),
    path("motifs/<int:pk>/retirer/", views_manage.motif_retire, name="motif_retire"),
    path("directions/nouvelle/", views_manage.direction_edit, name="direction_create"),
    path("directions/<int:pk>/", views_manage.direction_edit, name="direction_edit"),
]
