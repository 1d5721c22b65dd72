from django.urls import path

from . import views

app_name = "partner_verification"

urlpatterns = [
    # The partner's personal link (no account): its entry, then confirm or propose changes.
    path("partenaires/verification/<str:token>/", views.check, name="check"),
    path("partenaires/verification/<str:token>/confirmer/", views.confirm, name="confirm"),
    path("partenaires/verification/<str:token>/modifier/", views.propose, name="propose"),
    # The project lead's pages.
    path("gestion/partenaires/qualite/", views.quality_list, name="quality"),
    path("gestion/partenaires/verifications/", views.review_list, name="review_list"),
    path("gestion/partenaires/verifications/<int:pk>/", views.proposal_detail, name="proposal"),
    path("gestion/partenaires/verifications/<int:pk>/publier/", views.proposal_publish, name="proposal_publish"),
    path("gestion/partenaires/verifications/<int:pk>/ecarter/", views.proposal_reject, name="proposal_reject"),
    path("gestion/partenaires/verifications/demander/<slug:slug>/", views.request_now, name="request_now"),
]
