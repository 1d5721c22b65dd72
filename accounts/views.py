from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from maisons.models import Maison

from . import perms
from .forms import InvitationAcceptForm, InvitationForm
from .mixins import PermissionMixin, permission_required
from .models import Invitation
from .navigation import staff_areas
from .services import invitation_accept as accept_invitation
from .services import invitation_create, invitation_get_valid, invitation_resend


@require_safe
def dashboard(request):
    """Mon espace: who I am, my roles and Maisons, and the areas I can use."""
    maisons = perms.visible_maisons(request.user, Maison.objects.all())
    return render(
        request,
        "accounts/dashboard.html",
        {
            "roles": sorted(role.label for role in request.user.roles),
            "maisons": maisons,
            "areas": staff_areas(request.user),
        },
    )


@method_decorator(require_safe, name="dispatch")
class InvitationListView(PermissionMixin, ListView):
    permission = staticmethod(perms.can_invite)
    template_name = "accounts/invitation_list.html"
    context_object_name = "invitations"
    paginate_by = 50

    def get_queryset(self):
        return Invitation.objects.select_related("invited_by", "user").prefetch_related("roles", "maisons")


@permission_required(perms.can_invite)
def invitation_create_view(request):
    allowed = perms.invitable_roles(request.user)
    form = InvitationForm(request.POST or None, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                roles=form.cleaned_data["roles"],
                maisons=form.cleaned_data["maisons"],
                invited_by=request.user,
            )
        except ValidationError as error:  # A twin submitted at the same moment.
            form.add_error(None, error)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("accounts:invitation_list")
    context = {"form": form, "validity_days": settings.INVITATION_VALIDITY_DAYS}
    return render(request, "accounts/invitation_create.html", context)


@require_POST
@permission_required(perms.can_invite)
def invitation_cancel_view(request, pk):
    invitation = get_object_or_404(Invitation.objects.filter(accepted_at__isnull=True), pk=pk)
    invitation.delete()
    messages.success(request, f"Invitation de {invitation.email} annulée.")
    return redirect("accounts:invitation_list")


@require_POST
@permission_required(perms.can_invite)
def invitation_resend_view(request, pk):
    invitation = get_object_or_404(Invitation.objects.filter(accepted_at__isnull=True), pk=pk)
    invitation_resend(invitation=invitation)
    messages.success(request, f"Nouveau lien envoyé à {invitation.email}.")
    return redirect("accounts:invitation_list")


@login_not_required
def invitation_accept_view(request, token):
    invitation = invitation_get_valid(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", {"reason": ""}, status=410)
    if request.user.is_authenticated:
        messages.warning(request, "Vous êtes déjà connecté·e : déconnectez-vous pour accepter cette invitation.")
        return redirect("accounts:dashboard")
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(invitation=invitation, password=form.cleaned_data["password1"])
        except ValueError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Bienvenue ! Votre compte est créé.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
