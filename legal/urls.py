"""Included at the root of config/urls.py, before Wagtail's catch-all; the URL names are the project's."""

from django.urls import path

from . import views

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("plan-du-site/", views.site_map_page, name="site_map"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
