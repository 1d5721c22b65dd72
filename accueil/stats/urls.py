from django.urls import path

from . import views

app_name = "accueil_stats"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("visites.csv", views.export_visits, {"fmt": "csv"}, name="visits_csv"),
    path("visites.xlsx", views.export_visits, {"fmt": "xlsx"}, name="visits_xlsx"),
    path("tableaux/<slug:chart>.csv", views.export_aggregate, {"fmt": "csv"}, name="aggregate_csv"),
    path("tableaux/<slug:chart>.xlsx", views.export_aggregate, {"fmt": "xlsx"}, name="aggregate_xlsx"),
    path("rapport-mensuel/", views.monthly_report, name="monthly_report"),
    path("france-services.csv", views.france_services, {"fmt": "csv"}, name="france_services_csv"),
    path("france-services.xlsx", views.france_services, {"fmt": "xlsx"}, name="france_services_xlsx"),
]
