from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from maisons.models import Maison

from . import perms
from .enums import Role
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
            "roles": [role.label for role in Role if role in request.user.roles],
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for invitation in context["invitations"]:
            invitation.can_manage = perms.can_manage_invitation(self.request.user, invitation)
        return context


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


def _manageable_invitation(request, pk) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.filter(accepted_at__isnull=True).prefetch_related("roles"), pk=pk
    )
    if not perms.can_manage_invitation(request.user, invitation):
        raise PermissionDenied
    return invitation


@require_POST
@permission_required(perms.can_invite)
def invitation_cancel_view(request, pk):
    invitation = _manageable_invitation(request, pk)
    invitation.delete()
    messages.success(request, f"Invitation de {invitation.email} annulée.")
    return redirect("accounts:invitation_list")


@require_POST
@permission_required(perms.can_invite)
def invitation_resend_view(request, pk):
    invitation = _manageable_invitation(request, pk)
    invitation_resend(invitation=invitation)
    messages.success(request, f"Nouveau lien envoyé à {invitation.email}.")
    return redirect("accounts:invitation_list")


# The invitation link carries its secret token. So that it does not stay in URLs (access logs, browser history,
# Referer), the first GET of the link keeps the invitation in the session and redirects to /comptes/invitation/,
# which shows the form and takes the POST.
INVITATION_SESSION_KEY = "accounts_invitation"


def _already_signed_in(request):
    messages.warning(request, "Vous êtes déjà connecté·e : déconnectez-vous pour accepter cette invitation.")
    return redirect("accounts:dashboard")


def _invitation_gone(request, reason: str = ""):
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=410)


@login_not_required
@require_safe
def invitation_link_view(request, token):
    """The link of the e-mail: remember the invitation in the session, then leave the token's URL."""
    invitation = invitation_get_valid(token)
    if invitation is None:
        return _invitation_gone(request)
    if request.user.is_authenticated:
        return _already_signed_in(request)
    # The token's hash, not the token: a resent invitation (new token) no longer matches this session.
    request.session[INVITATION_SESSION_KEY] = {"id": invitation.pk, "token_hash": invitation.token_hash}
    return redirect("accounts:invitation_accept")


@login_not_required
def invitation_accept_view(request):
    """Choose a password for the invitation kept in the session by `invitation_link_view`."""
    if request.user.is_authenticated:
        return _already_signed_in(request)
    stored = request.session.get(INVITATION_SESSION_KEY) or {}
    invitation = (
        Invitation.objects.pending()
        .filter(pk=stored.get("id"), token_hash=stored.get("token_hash", ""))
        .prefetch_related("roles")
        .first()
    )
    if invitation is None:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return _invitation_gone(request)
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(invitation=invitation, password=form.cleaned_data["password1"])
        except ValueError as error:
            request.session.pop(INVITATION_SESSION_KEY, None)
            return _invitation_gone(request, str(error))
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Bienvenue ! Votre compte est créé.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
