from django.urls import path

from . import views

app_name = "partenaires"

urlpatterns = [
    path("partenaires/", views.directory, name="directory"),
    path("partenaires/<slug:slug>/", views.partner_detail, name="detail"),
    path("gestion/partenaires/", views.manage_list, name="manage_list"),
    path("gestion/partenaires/nouveau/", views.partner_create, name="manage_create"),
    path("gestion/partenaires/importer/", views.import_start, name="import_start"),
    path("gestion/partenaires/importer/<int:pk>/", views.import_detail, name="import_detail"),
    path("gestion/partenaires/importer/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("gestion/partenaires/exporter/", views.export, name="export"),
    path("gestion/partenaires/<slug:slug>/", views.partner_edit, name="manage_edit"),
    path("gestion/partenaires/<slug:slug>/retirer/", views.partner_retire, name="manage_retire"),
    path("gestion/partenaires/<slug:slug>/retablir/", views.partner_restore, name="manage_restore"),
    path("gestion/partenaires/<slug:slug>/services/nouveau/", views.service_create, name="service_create"),
    path("gestion/partenaires/<slug:slug>/services/<int:pk>/", views.service_edit, name="service_edit"),
    path("gestion/partenaires/<slug:slug>/services/<int:pk>/supprimer/", views.service_delete, name="service_delete"),
    path("gestion/partenaires/<slug:slug>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("gestion/partenaires/<slug:slug>/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("gestion/partenaires/<slug:slug>/contacts/<int:pk>/supprimer/", views.contact_delete, name="contact_delete"),
]
