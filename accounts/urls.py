from django.urls import path

from . import views, views_data

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mes-donnees/", views_data.personal_data_view, name="personal_data"),
    path("invitations/", views.InvitationListView.as_view(), name="invitation_list"),
    path("invitations/nouvelle/", views.invitation_create_view, name="invitation_create"),
    path("invitations/<int:pk>/annuler/", views.invitation_cancel_view, name="invitation_cancel"),
    path("invitations/<int:pk>/renvoyer/", views.invitation_resend_view, name="invitation_resend"),
    path("invitation/", views.invitation_accept_view, name="invitation_accept"),
    path("invitation/<str:token>/", views.invitation_link_view, name="invitation_link"),
]
